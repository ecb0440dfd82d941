import { describe, expect, test } from 'vitest';
import { catalog } from '../models/catalog';
import { assessFit, probeGpu, type GpuReport } from './gpu';

const report = (over: Partial<GpuReport>): GpuReport => ({
  available: true,
  vendor: 'acme',
  architecture: 'rdna',
  description: 'Acme GPU',
  fallback: false,
  features: ['shader-f16'],
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 30,
  memoryEstimateMB: 6144,
  ...over,
});
const byName = (fits: ReturnType<typeof assessFit>, name: string) => {
  const fit = fits.find((f) => f.model.name === name);
  if (!fit) throw new Error(`${name} missing`);
  return fit;
};

describe('assessFit', () => {
  test('a 6 GB f16 GPU runs the default in q4f16_1 but not an 8B q4f32_1-only fit', () => {
    const fits = assessFit(report({}), catalog);
    expect(byName(fits, 'Qwen2-Math-7B-Instruct').build?.quantization).toBe('q4f16_1');
    expect(byName(fits, 'Qwen2-Math-7B-Instruct').fits).toBe(true);
  });

  test('without shader-f16 the default falls back to q4f32_1 and f16-only models do not fit', () => {
    const fits = assessFit(report({ features: [], memoryEstimateMB: 0 }), catalog);
    const qwen = byName(fits, 'Qwen2-Math-7B-Instruct');
    expect(qwen.build?.quantization).toBe('q4f32_1');
    expect(qwen.note).toMatch(/lacks half-precision maths \(shader-f16\)/);
    const wizard = byName(fits, 'WizardMath-7B-V1.1');
    expect(wizard.fits).toBe(false);
    expect(wizard.note).toBe('This GPU lacks half-precision maths (shader-f16).');
  });

  test('too little memory says how much is needed', () => {
    const fits = assessFit(report({ memoryEstimateMB: 3072 }), catalog);
    const qwen = byName(fits, 'Qwen2-Math-7B-Instruct');
    expect(qwen.fits).toBe(false);
    expect(qwen.note).toMatch(/about 5\.0 GB.*estimated 3\.0 GB/);
    expect(byName(fits, 'Qwen2.5-Math-1.5B-Instruct').fits).toBe(true);
  });

  test('a software adapter repeats nothing per model (the device panel says it once)', () => {
    const fits = assessFit(report({ fallback: true, features: [] }), catalog);
    expect(byName(fits, 'Qwen2-Math-7B-Instruct').fits).toBe(true);
    expect(new Set(fits.map((f) => f.note))).toEqual(
      new Set(['This GPU lacks half-precision maths (shader-f16).', '']),
    );
  });

  test('no WebGPU: nothing fits', () => {
    const fits = assessFit(report({ available: false }), catalog);
    expect(fits.every((f) => !f.fits && f.note === 'Needs WebGPU.')).toBe(true);
  });
});

describe('probeGpu', () => {
  test('a browser without navigator.gpu gets a reason, not an exception', async () => {
    const result = await probeGpu({} as Navigator);
    expect(result.available).toBe(false);
    expect(result.reason).toMatch(/no WebGPU/);
  });
});
