// The GPU's technical facts in the words every screen uses: plain words first, WebGPU's or
// web-llm's own name after them in brackets, as a hint for those who know it.
import type { Quantization } from '../models/catalog';

/** The GPU feature a model's f16 build needs: a label, its WebGPU name, and the two in a sentence. */
export const halfPrecisionLabel = 'Half-precision maths';
export const halfPrecisionTerm = 'shader-f16';
export const halfPrecision = `${halfPrecisionLabel.toLowerCase()} (${halfPrecisionTerm})`;

/** Each build of a model, by the quantization web-llm names it with. */
export const buildNames: Record<Quantization, string> = {
  q4f16_1: 'half-precision build (q4f16_1)',
  q4f32_1: 'full-precision build (q4f32_1)',
};

/** "WizardMath-7B needs half-precision maths (shader-f16), which this GPU lacks." */
export function lacksHalfPrecision(what: string): string {
  return `${what} needs ${halfPrecision}, which this GPU lacks.`;
}
