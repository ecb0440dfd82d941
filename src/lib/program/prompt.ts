// The messages that ask each model family for a program instead of prose; the engine applies the
// chat template. Cannot fail: an unknown family is a type error, and the question is passed through.
import type { ChatMessage } from '../engine/engine';
import type { PromptFamily } from '../solver/prompt';

/**
 * Qwen2.5-Math's tool-integrated reasoning (TIR) system prompt, as its model card gives it
 * (Qwen/Qwen2.5-Math-7B-Instruct, "Tool-integrated Reasoning"). The model answers with prose and
 * ```python blocks; Tally runs the blocks (see extractProgram) instead of trusting the
 * ```output the model may imagine after them.
 */
export const toolDirective =
  'Please integrate natural language reasoning with programs to solve the problem above, and put your final answer within \\boxed{}.';

/**
 * A zero-shot version of PAL's prompt (Gao et al. 2022, "PAL: Program-aided Language Models",
 * reasoning-machines/pal, `math_prompts.py`): its few-shot examples each answer a GSM8K question
 * with `def solution():` that computes the answer in named variables and returns it. Tally asks
 * for the same shape in words, so any instruct model can follow it without 8 worked examples.
 */
export const solutionDirective =
  'Write a Python program that solves the problem. Define a function `solution()` that computes ' +
  'the answer step by step in well-named variables and returns the final number. Use only the ' +
  'Python standard library. Reply with the program alone, in one ```python code block.';

/** The chat messages that ask `family` for a program that solves `question`. */
export function programPromptFor(family: PromptFamily, question: string): ChatMessage[] {
  switch (family) {
    case 'qwen-math':
      return [
        { role: 'system', content: toolDirective },
        { role: 'user', content: question },
      ];
    // DeepSeek advises no system prompt for its R1 distills: the directive joins the user turn.
    case 'deepseek-r1':
    case 'generic':
      return [{ role: 'user', content: `${question}\n\n${solutionDirective}` }];
  }
}
