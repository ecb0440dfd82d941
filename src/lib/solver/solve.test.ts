import { describe, expect, test } from 'vitest';
import type { ChatMessage, CompleteOptions, Completion, Engine } from '../engine/engine';
import { abortError, EngineError, isAbort } from '../engine/errors';
import type { TokenLogprob } from '../engine/logprobs';
import { programPromptFor } from '../program/prompt';
import type { ProgramRunner, RunOutcome } from '../program/runner';
import { promptFor } from './prompt';
import { solveEnsemble, solveSingle, type EnsembleOptions } from './solve';

/** What the fake engine does for one call. */
interface Script {
  text: string;
  /** event-loop turns per streamed piece (ordering without wall-clock timing) */
  turns?: number;
  finishReason?: Completion['finishReason'];
  /** reject with this instead of finishing */
  error?: EngineError;
  /** the tokens' log-probabilities, sent when asked for */
  logprobs?: TokenLogprob[];
}

const turn = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** A test double of the Engine interface: streams scripted texts word by word. */
class ScriptedEngine implements Engine {
  readonly kind = 'openai';
  calls: { messages: ChatMessage[]; options: CompleteOptions }[] = [];
  aborted: number[] = [];
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly scripts: (call: number, messages: ChatMessage[]) => Script,
    readonly concurrency = 1,
  ) {}

  load(): Promise<void> {
    return Promise.resolve();
  }

  unload(): Promise<void> {
    return Promise.resolve();
  }

  async complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const call = this.calls.length;
    this.calls.push({ messages, options });
    const script = this.scripts(call, messages);
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const pieces = script.text.split(/(?<= )/);
      for (const piece of pieces) {
        for (let t = 0; t < (script.turns ?? 1); t += 1) await turn();
        if (options.signal?.aborted) {
          this.aborted.push(call);
          throw abortError();
        }
        options.onDelta?.(piece);
      }
      if (script.error) throw script.error;
      return {
        text: script.text,
        finishReason: script.finishReason ?? 'stop',
        usage: { promptTokens: 20, completionTokens: pieces.length, ms: 5 * pieces.length },
        ...(options.top_logprobs === undefined ? {} : { logprobs: script.logprobs ?? null }),
      };
    } finally {
      this.inFlight -= 1;
    }
  }
}

const question = 'Janet has 16 eggs, eats 3 and bakes with 4, and sells the rest for $2. How much?';
const right = 'She sells 16 - 3 - 4 = 9 eggs. She makes 9 * 2 = 18 dollars. \\boxed{18}';
const wrong = 'She sells 16 - 3 = 13 eggs. She makes 13 * 2 = 26 dollars. \\boxed{26}';

function ensemble(overrides: Partial<EnsembleOptions> = {}): EnsembleOptions {
  return { family: 'qwen-math', k: 8, stop: { kind: 'fixed' }, ...overrides };
}

describe('solveSingle', () => {
  test('one greedy call with the family prompt, streamed, answer extracted', async () => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const deltas: string[] = [];
    const result = await solveSingle(engine, question, {
      family: 'qwen-math',
      onDelta: (d) => deltas.push(d),
    });
    expect(engine.calls).toHaveLength(1);
    expect(engine.calls[0]?.messages).toEqual(promptFor('qwen-math', question));
    expect(engine.calls[0]?.options).toMatchObject({ temperature: 0, top_p: 1, max_tokens: 1024 });
    expect(deltas.join('')).toBe(right);
    expect(result).toMatchObject({ answer: '18', source: 'boxed', text: right, weight: 1 });
    const words = right.split(' ').length;
    expect(result.usage).toEqual({ promptTokens: 20, completionTokens: words, ms: 5 * words });
    expect(result.check.wrong).toEqual([]);
    expect(result.check.steps.length).toBe(2);
  });

  test('aborting rejects with the aborted EngineError after what streamed', async () => {
    const engine = new ScriptedEngine(() => ({ text: right, turns: 3 }));
    const controller = new AbortController();
    const deltas: string[] = [];
    const pending = solveSingle(engine, question, {
      family: 'generic',
      signal: controller.signal,
      onDelta: (d) => {
        deltas.push(d);
        if (deltas.length === 2) controller.abort();
      },
    });
    const error: unknown = await pending.catch((e: unknown) => e);
    expect(isAbort(error)).toBe(true);
    expect(error).toBeInstanceOf(EngineError);
    expect(deltas).toHaveLength(2);
  });

  test('a cut-off solution with no stated answer has none, not its last number', async () => {
    const engine = new ScriptedEngine(() => ({
      text: 'First 16 - 3 = 13 and',
      finishReason: 'length',
    }));
    const result = await solveSingle(engine, question, { family: 'qwen-math' });
    expect(result.answer).toBeNull();
    expect(result.finishReason).toBe('length');
  });
});

describe('the question reads each sample', () => {
  const bakery = 'A bakery bakes 122 loaves a week. How many loaves does it bake in three weeks?';
  const restating =
    'It bakes 122 loaves every week.\nSo the bakery sold 366 loaves over the three weeks.';

  test('in a single answer and in every sample of an ensemble', async () => {
    const engine = new ScriptedEngine(() => ({ text: restating }));
    expect((await solveSingle(engine, bakery, { family: 'generic' })).answer).toBe('366');
    const result = await solveEnsemble(engine, bakery, ensemble({ k: 3, family: 'generic' }));
    expect(result.samples.map((s) => s.answer)).toEqual(['366', '366', '366']);
    // the same reply to another question: "three weeks" is no longer a condition it states
    const other = await solveSingle(engine, 'How many loaves?', { family: 'generic' });
    expect(other.answer).toBe('3');
  });

  test('in what a program sample prints', async () => {
    const runner: ProgramRunner = {
      warm: () => Promise.resolve(),
      run: () =>
        Promise.resolve({
          ok: true,
          stdout: '6 * 12 = 72 months, which is 6 years\n',
          returned: null,
          ms: 1,
        }),
      close: () => undefined,
    };
    const engine = new ScriptedEngine(() => ({ text: program(0) }));
    const comet = 'A comet comes back every 72 months. How many years pass between its visits?';
    const result = await solveEnsemble(engine, comet, ensemble({ k: 2, kinds: 'program', runner }));
    expect(result.samples.map((s) => s.answer)).toEqual(['6', '6']);
  });
});

describe('solveEnsemble', () => {
  test('runs one sample at a time on a concurrency-1 engine, sampling as asked', async () => {
    const engine = new ScriptedEngine((i) => ({ text: i % 3 === 2 ? wrong : right }));
    const events: string[] = [];
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({
        k: 6,
        temperature: 0.6,
        top_p: 0.9,
        seed: 100,
        maxTokens: 300,
        onSampleStart: (i) => events.push(`start ${i}`),
        onSample: (i, r) => events.push(`done ${i} ${r.answer ?? '-'}`),
      }),
    );
    expect(engine.maxInFlight).toBe(1);
    expect(engine.calls.map((c) => c.options.seed)).toEqual([100, 101, 102, 103, 104, 105]);
    expect(engine.calls[0]?.options).toMatchObject({
      temperature: 0.6,
      top_p: 0.9,
      max_tokens: 300,
    });
    expect(events.slice(0, 4)).toEqual(['start 0', 'done 0 18', 'start 1', 'done 1 18']);
    expect(result).toMatchObject({
      answer: '18',
      samplesUsed: 6,
      samplesSaved: 0,
      stopReason: 'k',
      cancelled: 0,
    });
    expect(result.agreement).toBeCloseTo(4 / 6);
    expect(result.vote.buckets.map((b) => [b.answer, b.count])).toEqual([
      ['18', 4],
      ['26', 2],
    ]);
    expect(result.completionTokens).toBe(
      result.samples.reduce((n, s) => n + s.usage.completionTokens, 0),
    );
    expect(result.promptTokens).toBe(6 * 20);
    expect(result.samples.every((s) => s.usage.ms > 0)).toBe(true);
    expect(result.ms).toBeGreaterThanOrEqual(0);
  });

  test('streams deltas tagged with their sample and reports the vote after each sample', async () => {
    const engine = new ScriptedEngine((i) => ({ text: i === 1 ? wrong : right }));
    const texts = new Map<number, string>();
    const winners: (string | null)[] = [];
    await solveEnsemble(
      engine,
      question,
      ensemble({
        k: 3,
        onDelta: (i, d) => texts.set(i, (texts.get(i) ?? '') + d),
        onVote: (v) => winners.push(v.winner),
      }),
    );
    expect([...texts.values()]).toEqual([right, wrong, right]);
    expect(winners).toEqual(['18', '18', '18']);
  });

  test('stops early when the rule is satisfied and says how many samples it saved', async () => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 16, stop: { kind: 'esc', window: 3 } }),
    );
    expect(engine.calls).toHaveLength(3);
    expect(result).toMatchObject({
      samplesUsed: 3,
      samplesSaved: 13,
      stopReason: 'settled',
      answer: '18',
    });
  });

  test('the default rule (beta 0.95) stops after 4 unanimous samples', async () => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const result = await solveEnsemble(engine, question, { family: 'qwen-math', k: 40 });
    expect(result.samplesUsed).toBe(4);
    expect(result.samplesSaved).toBe(36);
  });

  test('runs up to engine.concurrency at once and aborts in-flight samples past the stop point', async () => {
    // sample i takes i + 1 turns per word, so they finish in start order
    const engine = new ScriptedEngine((i) => ({ text: right, turns: i + 1 }), 4);
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 20, stop: { kind: 'esc', window: 2 } }),
    );
    expect(engine.maxInFlight).toBe(4);
    expect(result.samplesUsed).toBe(2);
    expect(result.stopReason).toBe('settled');
    // sample 0's lane took sample 4; 2, 3 and 4 were in flight when sample 1 settled the vote
    expect(engine.calls).toHaveLength(5);
    expect(engine.aborted.sort()).toEqual([2, 3, 4]);
    expect(result.cancelled).toBe(3);
    expect(result.samplesSaved).toBe(18);
    expect(engine.inFlight).toBe(0);
  });

  test('aborting resolves with the samples that finished', async () => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const controller = new AbortController();
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({
        k: 10,
        signal: controller.signal,
        onSample: (i) => {
          if (i === 2) controller.abort();
        },
      }),
    );
    expect(result).toMatchObject({
      samplesUsed: 3,
      samplesSaved: 7,
      stopReason: 'aborted',
      answer: '18',
    });
    expect(engine.calls).toHaveLength(3);
  });

  test('aborting mid-sample drops that sample and starts no more', async () => {
    const engine = new ScriptedEngine(() => ({ text: right, turns: 2 }), 2);
    const controller = new AbortController();
    let deltas = 0;
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({
        k: 10,
        signal: controller.signal,
        onDelta: () => {
          deltas += 1;
          if (deltas === 5) controller.abort();
        },
      }),
    );
    expect(result).toMatchObject({ samplesUsed: 0, stopReason: 'aborted', answer: null });
    expect(engine.calls).toHaveLength(2);
    expect(engine.aborted.sort()).toEqual([0, 1]);
  });

  test('an already aborted signal runs nothing', async () => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const result = await solveEnsemble(engine, question, ensemble({ signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ samplesUsed: 0, samplesSaved: 8, stopReason: 'aborted' });
    expect(engine.calls).toHaveLength(0);
  });

  test('a failed sample is marked failed, not counted, and the vote goes on with the others', async () => {
    const failure = new EngineError('bad-response', 'The server sent malformed log-probabilities.');
    const engine = new ScriptedEngine(
      (i) => (i === 1 ? { text: right, error: failure } : { text: right, turns: 5 }),
      3,
    );
    const failed: [number, EngineError][] = [];
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 5, onSampleFailed: (i, e) => failed.push([i, e]) }),
    );
    expect(failed).toEqual([[1, failure]]);
    expect(result).toMatchObject({ answer: '18', samplesUsed: 4, failed: 1, stopReason: 'k' });
    expect(result.samples.map((s) => s.index).sort()).toEqual([0, 2, 3, 4]);
    expect(engine.aborted).toEqual([]);
  });

  test('when every sample fails, the ensemble rejects with the first failure', async () => {
    const failure = new EngineError('server', 'The server answered 500.');
    const engine = new ScriptedEngine(() => ({ text: right, error: failure }), 2);
    await expect(solveEnsemble(engine, question, ensemble({ k: 3 }))).rejects.toBe(failure);
  });

  test('best-of-n names its sample by its number in the run, whatever order the samples finished in', async () => {
    const sure = (text: string): TokenLogprob[] => [
      { token: text, logprob: -0.02, top_logprobs: [{ token: text, logprob: -0.02 }] },
    ];
    const verdict = (yes: number, no: number): TokenLogprob[] => [
      {
        token: 'Yes',
        logprob: yes,
        top_logprobs: [
          { token: 'Yes', logprob: yes },
          { token: 'No', logprob: no },
        ],
      },
    ];
    // sample 0 (18) is slow: samples 1 (26) and 2 (18) finish first
    const engine = new ScriptedEngine((i, messages) => {
      const asked = messages.at(-1)?.content ?? '';
      if (asked.includes('Is the proposed solution correct?')) {
        return {
          text: 'Yes',
          logprobs: asked.includes('boxed{18}') ? verdict(-0.1, -2.4) : verdict(-2, -0.2),
        };
      }
      return { text: i === 1 ? wrong : right, turns: i === 0 ? 8 : 1, logprobs: sure('x') };
    }, 3);
    const result = await solveEnsemble(engine, question, ensemble({ k: 3, verify: true }));
    expect(result.samples.map((s) => s.index)).toEqual([1, 2, 0]);
    // the 18s tie on confidence: the earlier in the run is verified, and best-of-n names it
    const verified = result.samples.filter((s) => s.verifier !== null);
    expect(verified.map((s) => [s.index, s.answer])).toEqual([
      [1, '26'],
      [0, '18'],
    ]);
    expect(result.aggregates['best-of-n']).toMatchObject({ answer: '18', sample: 0 });
  });

  test('weighing by arithmetic lets checked solutions outvote miscalculated ones', async () => {
    const miscalculated = 'She sells 16 - 3 - 4 = 8 eggs. 8 * 2 = 16. \\boxed{16}';
    const scripts = (i: number): { text: string } => ({ text: i < 2 ? miscalculated : right });
    const plain = await solveEnsemble(new ScriptedEngine(scripts), question, ensemble({ k: 3 }));
    expect(plain.answer).toBe('16');
    const weighed = await solveEnsemble(
      new ScriptedEngine(scripts),
      question,
      ensemble({ k: 3, weighByArithmetic: true }),
    );
    expect(weighed.answer).toBe('18');
    expect(weighed.samples.map((s) => s.weight)).toEqual([0.5, 0.5, 1.5]);
  });

  test('samples without an answer abstain', async () => {
    const engine = new ScriptedEngine((i) => ({ text: i === 0 ? 'I am not sure.' : right }));
    const result = await solveEnsemble(engine, question, ensemble({ k: 3 }));
    expect(result.vote).toMatchObject({ abstained: 1, valid: 2, agreement: 1, winner: '18' });
  });

  test.each([
    [{ k: 0 }, /from 1 to 40/],
    [{ k: 41 }, /from 1 to 40/],
    [{ k: 2.5 }, /from 1 to 40/],
    [{ temperature: -1 }, /temperature/],
    [{ top_p: 0 }, /top_p/],
    [{ maxTokens: 0 }, /maxTokens/],
    [{ stop: { kind: 'esc', window: 0 } }, /Agreeing in a row/],
    [{ kinds: 'both' }, /need a sandbox/],
  ] as [Partial<EnsembleOptions>, RegExp][])('rejects bad options %j', async (bad, message) => {
    const engine = new ScriptedEngine(() => ({ text: right }));
    const error: unknown = await solveEnsemble(engine, question, ensemble(bad)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EngineError);
    expect(error).toMatchObject({
      code: 'bad-input',
      message: expect.stringMatching(message) as unknown,
    });
    expect(engine.calls).toHaveLength(0);
  });
});

/** Stands in for the sandbox only: "prints" the number in `print(N)`; `hang` never ends until stopped. */
function printingRunner(): ProgramRunner & { ran: string[]; stopped: number } {
  const runner = {
    ran: [] as string[],
    stopped: 0,
    warm: () => Promise.resolve(),
    run: (code: string, signal?: AbortSignal): Promise<RunOutcome> => {
      runner.ran.push(code);
      if (code.includes('hang')) {
        return new Promise((_resolve, reject) => {
          signal?.addEventListener('abort', () => {
            runner.stopped += 1;
            reject(abortError());
          });
        });
      }
      const printed = /print\((\d+)\)/.exec(code)?.[1] ?? '';
      return Promise.resolve({ ok: true, stdout: `${printed}\n`, returned: null, ms: 2 });
    },
    close: () => undefined,
  };
  return runner;
}

const program = (n: number) => `\`\`\`python\nprint(${n})\n\`\`\``;

describe('solveEnsemble with programs', () => {
  test('both kinds alternate prompts, programs are run, and one vote counts prose and program answers', async () => {
    const runner = printingRunner();
    // the prose samples say 26, the programs print 18
    const engine = new ScriptedEngine((call) => ({ text: call % 2 === 0 ? wrong : program(18) }));
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 6, kinds: 'both', runner, stop: { kind: 'fixed' } }),
    );
    expect(engine.calls.map((c) => c.messages)).toEqual(
      [0, 1, 2, 3, 4, 5].map((i) =>
        i % 2 === 0 ? promptFor('qwen-math', question) : programPromptFor('qwen-math', question),
      ),
    );
    expect(runner.ran).toEqual(['print(18)', 'print(18)', 'print(18)']);
    expect(result.samples.map((s) => [s.kind, s.answer])).toEqual([
      ['prose', '26'],
      ['program', '18'],
      ['prose', '26'],
      ['program', '18'],
      ['prose', '26'],
      ['program', '18'],
    ]);
    expect(result.samples[1]?.program).toMatchObject({ program: 'print(18)', error: null });
    expect(result.vote.buckets.map((b) => [b.answer, b.count])).toEqual([
      ['26', 3],
      ['18', 3],
    ]);
  });

  test('program samples alone vote and stop early under the same rule', async () => {
    const runner = printingRunner();
    const engine = new ScriptedEngine(() => ({ text: program(18) }));
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 16, kinds: 'program', runner, stop: { kind: 'beta', threshold: 0.95 } }),
    );
    expect(result).toMatchObject({ answer: '18', stopReason: 'settled', samplesUsed: 4 });
    expect(result.samples.every((s) => s.kind === 'program' && s.weight === 1)).toBe(true);
  });

  test('a program still running when the vote settles is stopped, not counted', async () => {
    const runner = printingRunner();
    // two lanes: sample 1's program hangs while sample 0 and 2.. settle the vote
    const engine = new ScriptedEngine(
      (call) => ({ text: call === 1 ? '```python\nhang()\n```' : program(18) }),
      2,
    );
    const result = await solveEnsemble(
      engine,
      question,
      ensemble({ k: 8, kinds: 'program', runner, stop: { kind: 'esc', window: 2 } }),
    );
    expect(result.stopReason).toBe('settled');
    expect(runner.stopped).toBe(1);
    expect(result.samples.map((s) => s.index)).not.toContain(1);
    expect(result.cancelled).toBeGreaterThanOrEqual(1);
  });
});
