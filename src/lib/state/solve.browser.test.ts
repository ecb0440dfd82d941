// SolveState when a new problem replaces one whose engine call is still draining (web-llm and
// servers finish a stopped request a little later): the late run must not touch the screen.
import { expect, test } from 'vitest';
import type { ChatMessage, CompleteOptions, Completion, Engine } from '../engine/engine';
import { abortError } from '../engine/errors';
import { History } from './history.svelte';
import { SolveState } from './solve.svelte';

/** Answers "\boxed{N}" for a question naming N; "slow" questions settle 80 ms after a stop. */
class DrainingEngine implements Engine {
  readonly kind = 'openai';
  readonly concurrency = 1;
  async load(): Promise<void> {}
  async unload(): Promise<void> {}
  complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const question = messages.at(-1)?.content ?? '';
    const answer = /(\d+)/.exec(question)?.[1] ?? '0';
    const usage = { promptTokens: 1, completionTokens: 1, ms: 1 };
    if (!question.includes('slow'))
      return Promise.resolve({ text: `\\boxed{${answer}}`, finishReason: 'stop', usage });
    return new Promise((resolve, reject) => {
      options.onDelta?.('Working on it');
      options.signal?.addEventListener('abort', () =>
        setTimeout(() => {
          reject(abortError());
        }, 80),
      );
    });
  }
}

test('a run replaced by a new problem leaves the new one on screen and in history untouched', async () => {
  const history = new History();
  const state = new SolveState(history);
  const engine = new DrainingEngine();
  state.question = 'A slow problem about 7 apples.';
  const first = state.solve(engine, 'generic', 'mock');
  await new Promise((resolve) => setTimeout(resolve, 10));
  state.question = 'What is 18?';
  await state.solve(engine, 'generic', 'mock');
  expect(state.status).toBe('done');
  await first;
  expect(state.status).toBe('done');
  expect(state.single?.answer).toBe('18');
  expect(state.error).toBe('');
  expect(history.entries.map((e) => [e.question, e.single?.answer])).toEqual([
    ['What is 18?', '18'],
  ]);
});
