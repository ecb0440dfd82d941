// The messages each model family was trained to answer math in; the engine applies the chat template.
// Cannot fail: an unknown family is a type error, and the question is passed through as typed.
import type { ChatMessage } from '../engine/engine';

/**
 * How a model wants to be asked.
 * - 'qwen-math': Qwen2-Math / Qwen2.5-Math Instruct. Qwen's documented chain-of-thought prompt is
 *   a system message asking for step-by-step reasoning and a `\boxed{}` answer.
 * - 'deepseek-r1': DeepSeek-R1 distills. DeepSeek advises no system prompt, with the same
 *   step-by-step and `\boxed{}` directive inside the user message.
 * - 'generic': any other instruct model (Llama, Mistral, Phi, WizardMath). WizardMath's
 *   Alpaca template ends "Let's think step by step."; its chat template is the engine's job, so
 *   the phrase folds into this family's user message, with a "The answer is" line extractAnswer reads.
 */
export type PromptFamily = 'qwen-math' | 'deepseek-r1' | 'generic';

/** Qwen2.5-Math's chain-of-thought system prompt, as its model card gives it. */
export const boxedDirective =
  'Please reason step by step, and put your final answer within \\boxed{}.';

const genericDirective =
  'Let\'s think step by step. End with a last line of the form "The answer is N.", where N is the final number only.';

/** The chat messages that ask `family` to solve `question`. */
export function promptFor(family: PromptFamily, question: string): ChatMessage[] {
  switch (family) {
    case 'qwen-math':
      return [
        { role: 'system', content: boxedDirective },
        { role: 'user', content: question },
      ];
    case 'deepseek-r1':
      return [{ role: 'user', content: `${question}\n${boxedDirective}` }];
    case 'generic':
      return [{ role: 'user', content: `${question}\n\n${genericDirective}` }];
  }
}
