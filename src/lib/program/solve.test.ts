import { expect, test } from 'vitest';
import type { ChatMessage, CompleteOptions, Completion, Engine } from '../engine/engine';
import { programPromptFor } from './prompt';
import type { ProgramRunner, RunOutcome } from './runner';
import { solveProgram } from './solve';

/** Stands in for the model only: replies with a fixed text and records what it was asked. */
class ReplyingEngine implements Engine {
  readonly kind = 'openai';
  readonly concurrency = 1;
  readonly calls: { messages: ChatMessage[]; options: CompleteOptions }[] = [];
  constructor(private readonly reply: string) {}
  load(): Promise<void> {
    return Promise.resolve();
  }
  unload(): Promise<void> {
    return Promise.resolve();
  }
  complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    this.calls.push({ messages, options });
    options.onDelta?.(this.reply);
    return Promise.resolve({
      text: this.reply,
      finishReason: 'stop',
      usage: { promptTokens: 40, completionTokens: 30, ms: 900 },
    });
  }
}

/** Stands in for the sandbox only: records warm-ups and programs. */
function recordingRunner(outcome: RunOutcome): ProgramRunner & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    warm: () => {
      log.push('warm');
      return Promise.resolve();
    },
    run: (code) => {
      log.push(code);
      return Promise.resolve(outcome);
    },
    close: () => undefined,
  };
}

const question =
  'Janet has 16 eggs, eats 3 and bakes with 4. She sells the rest at $2. How much does she make?';

test('one greedy call with the program prompt; the sandbox warms before the reply; the answer is the run’s', async () => {
  const reply = '```python\ndef solution():\n    return (16 - 3 - 4) * 2\n```';
  const engine = new ReplyingEngine(reply);
  const runner = recordingRunner({ ok: true, stdout: '', returned: '18', ms: 3 });
  const deltas: string[] = [];
  const result = await solveProgram(engine, runner, question, {
    family: 'qwen-math',
    onDelta: (d) => deltas.push(d),
  });
  expect(engine.calls).toHaveLength(1);
  expect(engine.calls[0]?.messages).toEqual(programPromptFor('qwen-math', question));
  expect(engine.calls[0]?.options).toMatchObject({ temperature: 0, top_p: 1, max_tokens: 1024 });
  expect(runner.log).toEqual(['warm', 'def solution():\n    return (16 - 3 - 4) * 2']);
  expect(deltas).toEqual([reply]);
  expect(result).toMatchObject({
    answer: '18',
    error: null,
    text: reply,
    finishReason: 'stop',
    usage: { completionTokens: 30 },
  });
});

test('a reply without a program is a result that says so, and nothing runs', async () => {
  const runner = recordingRunner({ ok: true, stdout: '', returned: '1', ms: 1 });
  const result = await solveProgram(new ReplyingEngine('The answer is 18.'), runner, question, {
    family: 'generic',
  });
  expect(runner.log).toEqual(['warm']);
  expect(result.error?.kind).toBe('no-program');
  expect(result.answer).toBeNull();
});

test('what the program prints is read with the question', async () => {
  const engine = new ReplyingEngine(
    '```python\nprint("6 * 12 = 72 months, which is 6 years")\n```',
  );
  const runner = recordingRunner({
    ok: true,
    stdout: '6 * 12 = 72 months, which is 6 years\n',
    returned: null,
    ms: 3,
  });
  const comet = 'A comet comes back every 72 months. How many years pass between its visits?';
  const result = await solveProgram(engine, runner, comet, { family: 'generic' });
  expect(result.answer).toBe('6');
});
