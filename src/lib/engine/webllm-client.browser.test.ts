// WebLLMEngine against web-llm 0.2.86's real MLCEngine and LLMChatPipeline in a real browser
// worker, with only the TVM runtime replaced (tests/fixtures/tvm-stand-in.ts: the model's logits,
// scripted by the prompt as tests/fixtures/scripted-model.ts says, and the GPU kernels): web-llm's
// own load, sampling, log-probabilities, stop handling, token counts, generator, lock, interrupt
// flag and finish reasons decide what happens here.
import { afterEach, describe, expect, test } from 'vitest';
import type { CompleteOptions, LoadProgress } from './engine';
import { EngineError } from './errors';
import { WebLLMEngine } from './webllm-client';
import { verifyAnswers } from '../solver/verify';
import { catalog, type ModelBuild } from '../models/catalog';
import { fixtureModel } from '../../../tests/fixtures/store-client';
import type { Stats } from '../../../tests/fixtures/scripted-model';

const standInWorker = () =>
  new Worker(new URL('../../../tests/fixtures/stand-in-gpu.worker.ts', import.meta.url), {
    type: 'module',
  });

const lite = catalog[1]?.builds[1];
if (!lite) throw new Error('catalog changed: the lite q4f32_1 build is gone');
const base: ModelBuild = lite;

/** A fixture model; its library's name scripts the load ("lose-on-load", "slow-load"). */
async function fixtureBuild(name = 'engine'): Promise<ModelBuild> {
  const model = await fixtureModel(name, { shards: 1, shardBytes: 1024 });
  return { ...base, model_id: model.id, model: model.modelUrl, model_lib: model.libUrl };
}

const ask = (content: string) => [{ role: 'user' as const, content }];
const greedy = {
  temperature: 0,
  top_p: 1,
  max_tokens: 256,
  repetition_penalty: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
};

const engines: WebLLMEngine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.unload().catch(() => undefined)));
});

async function engineFor(onLost?: (error: EngineError) => void): Promise<WebLLMEngine> {
  const engine = new WebLLMEngine(await fixtureBuild(), {
    createWorker: standInWorker,
    ...(onLost ? { onLost } : {}),
  });
  engines.push(engine);
  return engine;
}

async function loaded(onLost?: (error: EngineError) => void): Promise<WebLLMEngine> {
  const engine = await engineFor(onLost);
  await engine.load();
  return engine;
}

/** Fails after `ms` instead of waiting for the test's timeout: a hang is the bug. */
function within<T>(ms: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${what} did not settle within ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    (value) => new Error(`expected a rejection, got ${JSON.stringify(value)}`),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** What the previous generation read and sampled, and what the GPU kernels were called with. */
async function stats(engine: WebLLMEngine): Promise<Stats> {
  const reply = await within(5000, engine.complete(ask('stats'), greedy), 'stats');
  return JSON.parse(reply.text) as Stats;
}

/** Scripted tokens in streamed text ("1 2 3 " is three). */
const tokens = (text: string) => text.split(' ').filter(Boolean).length;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Each test starts a worker and a SwiftShader GPU device: seconds each on a loaded machine.
describe('WebLLMEngine over web-llm’s real MLCEngine', { timeout: 60_000 }, () => {
  test('load names each phase, shaders included, with one monotonic fraction ending ready', async () => {
    const engine = await engineFor();
    const seen: LoadProgress[] = [];
    await engine.load((p) => seen.push(p));
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(new Set(seen.map((p) => p.phase))).toEqual(new Set(['gpu-upload', 'shaders', 'ready']));
    expect(seen.find((p) => p.phase === 'shaders')?.text).toMatch(/shader/i);
    expect(seen.at(-1)).toMatchObject({ phase: 'ready', fraction: 1 });
  });

  test('streams deltas in order and reports usage and finish reasons', async () => {
    const engine = await loaded();
    const deltas: string[] = [];
    const result = await engine.complete(ask('count 25 step 5'), {
      ...greedy,
      onDelta: (d) => deltas.push(d),
    });
    const expected = Array.from({ length: 25 }, (_, i) => `${i + 1} `);
    expect(deltas.join('')).toBe(expected.join(''));
    // one delta per token while the page keeps up; never more deltas than tokens
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.length).toBeLessThanOrEqual(25);
    expect(result.text).toBe(expected.join(''));
    // web-llm counts the end-of-reply token it stopped at as a completion token
    expect(result.usage).toMatchObject({ completionTokens: 26 });
    expect(result.finishReason).toBe('stop');
    // the prompt is the whole conversation in the model's chat template, as web-llm tokenized it
    expect(result.usage.promptTokens).toBe((await stats(engine)).prompt);
    expect(result.usage.promptTokens).toBeGreaterThan(20);
    const cut = await engine.complete(ask('count 25'), { ...greedy, max_tokens: 4 });
    expect([cut.text, cut.finishReason]).toEqual(['1 2 3 4 ', 'length']);
  });

  test('a character split across tokens reaches the page whole, as web-llm holds it back', async () => {
    const engine = await loaded();
    const deltas: string[] = [];
    // "é" is two byte tokens and "€" three: web-llm decodes "n\uFFFD" after the first byte and
    // streams nothing until the character is whole
    const result = await engine.complete(ask('say né€!'), {
      ...greedy,
      top_logprobs: 1,
      onDelta: (d) => deltas.push(d),
    });
    expect(result.text).toBe('né€!');
    expect(deltas.join('')).toBe('né€!');
    expect(deltas.filter((d) => d.includes('\uFFFD'))).toEqual([]);
    // seven tokens and the end token; web-llm sends no entry for a token it held back, the
    // completing byte's entry spells only that byte, and the end token's (no text) is not kept
    expect(result.usage.completionTokens).toBe(8);
    expect(result.logprobs?.map((t) => t.token)).toEqual(['n', '\uFFFD', '\uFFFD', '!']);
  });

  test('asked for log-probabilities: every token’s reaches the page, in order, as the model’s own over its top tokens', async () => {
    const engine = await loaded();
    const streamed: number[] = [];
    // the scripted logits at token 5: "5 " 0, alt1 −1.5, alt2 −2.5, alt3 −3.5, …
    const top3 = Math.log(1 + Math.exp(-1.5) + Math.exp(-2.5));
    const expected = [
      { token: '5 ', logprob: -top3 },
      { token: 'alt1', logprob: -1.5 - top3 },
      { token: 'alt2', logprob: -2.5 - top3 },
    ];
    // sampled at 0.7, web-llm reports softmax(logits / 0.7); the page reads the model's own.
    // top_p 0.5 keeps web-llm's sampler on the scripted token ("1 " alone is more than half).
    for (const temperature of [1, 0.7]) {
      streamed.length = 0;
      const result = await engine.complete(ask('count 12 step 3'), {
        ...greedy,
        temperature,
        top_p: 0.5,
        top_logprobs: 3,
        onDelta: (_, tokens) => streamed.push(...(tokens ?? []).map((t) => t.logprob)),
      });
      const logprobs = result.logprobs ?? [];
      expect(logprobs.map((t) => t.token)).toEqual(
        Array.from({ length: 12 }, (_, i) => `${i + 1} `),
      );
      expect(streamed).toEqual(logprobs.map((t) => t.logprob));
      const fifth = logprobs[4];
      expect(fifth?.logprob).toBeCloseTo(-top3, 5);
      expect(fifth?.top_logprobs.map((t) => t.token)).toEqual(expected.map((t) => t.token));
      fifth?.top_logprobs.forEach((t, i) => {
        expect(t.logprob).toBeCloseTo(expected[i]?.logprob ?? 0, 5);
      });
    }
    const plain = await engine.complete(ask('count 3'), greedy);
    expect(plain).not.toHaveProperty('logprobs');
  });

  test('the end-of-reply token’s entry never reaches the page, however slow the page', async () => {
    const engine = await loaded();
    const result = await engine.complete(ask('count 5 step 1'), {
      ...greedy,
      top_logprobs: 2,
      // a busy page: the worker gathers tokens (and web-llm's end token) while it waits
      onDelta: () => {
        const until = performance.now() + 60;
        while (performance.now() < until) {
          // a long task
        }
      },
    });
    expect(result.usage.completionTokens).toBe(6);
    expect(result.logprobs?.map((t) => t.token)).toEqual(['1 ', '2 ', '3 ', '4 ', '5 ']);
  });

  test('greedy log-probabilities carry nothing on web-llm: the top token 0, the others impossible', async () => {
    const engine = await loaded();
    const result = await engine.complete(ask('count 2'), { ...greedy, top_logprobs: 3 });
    expect(result.logprobs?.[0]?.top_logprobs.map((t) => t.logprob)).toEqual([
      0,
      -Infinity,
      -Infinity,
    ]);
  });

  test('the verifier’s P(yes) on web-llm is the model’s, not 0, 1 or nothing', async () => {
    const engine = await loaded();
    // the model's first token: "To" narrowly ahead of "Yes", "No" behind
    const candidate = (first: string) => ({
      index: 0,
      text: `first ${first}`,
      answer: '18',
      confidence: null,
    });
    const odds = (first: string) =>
      verifyAnswers(engine, 'How many?', [candidate(first)]).then((v) => v.verdicts[0]?.score);
    expect(await odds('To=0,Yes=-0.1,No=-2,The=-3')).toBeCloseTo(1 / (1 + Math.exp(-1.9)), 4);
    expect(await odds('Yes=0,No=-0.1,To=-2')).toBeCloseTo(1 / (1 + Math.exp(-0.1)), 4);
  });

  test('greedy sends neutral penalties, so mlc-chat-config.json’s 1.05 does not apply', async () => {
    const engine = await loaded();
    await engine.complete(ask('count 2'), greedy);
    // the kernels saw T = 0 clamped to 1e-6 and top_p 1; the penalty kernel never ran
    expect(await stats(engine)).toMatchObject({
      sampled: 3,
      temperature: Math.fround(1e-6),
      top_p: 1,
      penalties: null,
    });
    // a penalty asked for reaches the kernel, from the second token on
    await engine.complete(ask('count 2'), { ...greedy, repetition_penalty: 1.25 });
    expect((await stats(engine)).penalties).toEqual([0, 0, 1.25]);
  });

  test.each([0, 30])(
    'stop %i ms in, before the first token, ends decoding within one token',
    async (ms) => {
      const engine = await loaded();
      const abort = new AbortController();
      const deltas: string[] = [];
      const running = engine.complete(ask('count 200 step 40 prefill 400'), {
        ...greedy,
        max_tokens: 60,
        signal: abort.signal,
        onDelta: (d) => deltas.push(d),
      });
      await sleep(ms);
      abort.abort();
      const error = await rejection(running);
      expect([error.code, error.name]).toEqual(['aborted', 'AbortError']);
      expect(deltas).toEqual([]);
      expect((await stats(engine)).sampled).toBeLessThanOrEqual(1);
    },
  );

  test('stop mid-stream ends decoding within one token and rejects with AbortError', async () => {
    const engine = await loaded();
    const abort = new AbortController();
    let text = '';
    let seen = 0;
    const error = await rejection(
      engine.complete(ask('count 200 step 40'), {
        ...greedy,
        signal: abort.signal,
        onDelta: (d) => {
          text += d;
          if (tokens(text) >= 5 && !abort.signal.aborted) {
            seen = tokens(text);
            abort.abort();
          }
        },
      }),
    );
    expect([error.code, error.name]).toEqual(['aborted', 'AbortError']);
    expect(tokens(text)).toBe(seen);
    const { sampled } = await stats(engine);
    expect(sampled).toBeGreaterThanOrEqual(seen);
    expect(sampled).toBeLessThanOrEqual(seen + 1);
  });

  test('two concurrent completions never cut each other short; the stopped one rejects', async () => {
    const engine = await loaded();
    const stopB = new AbortController();
    let seenA = 0;
    const a = engine.complete(ask('count 30 step 10'), {
      ...greedy,
      onDelta: () => {
        seenA += 1;
        if (seenA === 3) stopB.abort();
      },
    });
    const b = engine.complete(ask('count 5'), { ...greedy, signal: stopB.signal });
    const [resultA, errorB] = await Promise.all([a, rejection(b)]);
    expect(resultA.text).toBe(Array.from({ length: 30 }, (_, i) => `${i + 1} `).join(''));
    expect(resultA.finishReason).toBe('stop');
    expect([errorB.code, errorB.name]).toEqual(['aborted', 'AbortError']);

    // and the other way round: stopping the running one leaves the queued one whole
    const stopC = new AbortController();
    const c = engine.complete(ask('count 30 step 10'), {
      ...greedy,
      signal: stopC.signal,
      onDelta: () => {
        stopC.abort();
      },
    });
    const d = engine.complete(ask('count 6'), greedy);
    const [errorC, resultD] = await Promise.all([rejection(c), d]);
    expect(errorC.name).toBe('AbortError');
    expect([resultD.text, resultD.finishReason]).toEqual(['1 2 3 4 5 6 ', 'stop']);
  });

  test('a problem longer than the context window is refused as bad input, and the engine goes on', async () => {
    const engine = await loaded();
    // 5,000 letters the fixture tokenizer cannot merge: 5,000 tokens against a 4,096 window
    const error = await rejection(engine.complete(ask(`count 2 ${'z'.repeat(5000)}`), greedy));
    expect(error.code).toBe('bad-input');
    expect(error.message).toMatch(/context window/);
    expect((await engine.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a throw inside onDelta rejects that call and leaves the engine working', async () => {
    const engine = await loaded();
    const thrown = await within(
      5000,
      engine
        .complete(ask('count 20 step 5'), {
          ...greedy,
          onDelta: (d) => {
            if (d.includes('3 ')) throw new Error('listener failed');
          },
        })
        .then(
          () => undefined,
          (e: unknown) => e,
        ),
      'the failing call',
    );
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toMatch(/listener failed/);
    const next = await within(5000, engine.complete(ask('count 2'), greedy), 'the next complete');
    expect(next.text).toBe('1 2 ');
    await within(5000, engine.unload(), 'unload');
  });

  test('a device lost during a solve rejects it with device-lost, tells the page, and a new load works', async () => {
    const lost: EngineError[] = [];
    const engine = await loaded((e) => lost.push(e));
    const options: CompleteOptions = { ...greedy };
    const error = await rejection(
      within(5000, engine.complete(ask('count 50 step 5 lose-device'), options), 'the solve'),
    );
    expect(error.code).toBe('device-lost');
    expect(lost.map((e) => e.code)).toEqual(['device-lost']);
    await within(20000, engine.load(), 'the next load');
    expect((await engine.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a device lost while idle reaches the page at once, not as a dead Ready', async () => {
    const lost: EngineError[] = [];
    const engine = await loaded((e) => lost.push(e));
    expect((await engine.complete(ask('count 2 lose-later'), greedy)).text).toBe('1 2 ');
    for (let i = 0; i < 100 && lost.length === 0; i++) await sleep(20);
    expect(lost.map((e) => e.code)).toEqual(['device-lost']);
    expect((await rejection(engine.complete(ask('count 2'), greedy))).code).toBe('device-lost');
    await engine.load();
    expect((await engine.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a worker that dies is a loss: every pending call rejects, the page is told, the GPU is freed, and the engine can load again', async () => {
    const lost: EngineError[] = [];
    const engine = await loaded((e) => lost.push(e));
    const crashing = engine.complete(ask('crash'), greedy);
    const queued = engine.complete(ask('count 5'), greedy);
    const [a, b] = await Promise.all([rejection(crashing), rejection(queued)]);
    expect([a.code, b.code]).toEqual(['worker-crashed', 'worker-crashed']);
    expect(a.message).toMatch(/stopped unexpectedly.*scripted crash.*Load the model again/);
    expect(lost.map((e) => e.code)).toEqual(['worker-crashed']);
    expect((await rejection(engine.complete(ask('count 2'), greedy))).code).toBe('worker-crashed');
    // another page gets the GPU without waiting
    const other = await engineFor();
    await within(20000, other.load(), 'another page’s load');
    await other.unload();
    await engine.load();
    expect((await engine.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a device lost during the load is reported as such, with the advice to try a smaller model', async () => {
    const engine = new WebLLMEngine(await fixtureBuild('engine-lose-on-load'), {
      createWorker: standInWorker,
    });
    engines.push(engine);
    const error = await rejection(within(20000, engine.load(), 'the load'));
    expect(error.code).toBe('device-lost');
    expect(error.message).toMatch(/while the model was loading.*smaller model/);
  });

  test('one model on the GPU per browser: a second load waits, says for whom, and goes once the first unloads', async () => {
    const first = await loaded();
    const second = await engineFor();
    const seen: LoadProgress[] = [];
    let done = false;
    const loading = second
      .load((p) => seen.push(p))
      .then(() => {
        done = true;
      });
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(20);
    expect(seen[0]?.phase).toBe('waiting');
    expect(seen[0]?.text).toMatch(/^Waiting for .*engine-.* to free the GPU/);
    await sleep(200);
    expect(done).toBe(false);
    await first.unload();
    await within(20000, loading, 'the waiting load');
    expect((await second.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a waiting load can take the GPU over; the page that held it is told and unloads', async () => {
    const lost: EngineError[] = [];
    const first = await loaded((e) => lost.push(e));
    const second = await engineFor();
    const seen: LoadProgress[] = [];
    const loading = second.load((p) => seen.push(p));
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(20);
    expect(seen[0]?.phase).toBe('waiting');
    second.takeOver();
    await within(20000, loading, 'the load that took over');
    expect(lost.map((e) => e.code)).toEqual(['taken-over']);
    expect((await rejection(first.complete(ask('count 2'), greedy))).code).toBe('taken-over');
    expect((await second.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
  });

  test('a page still loading that is taken over is told so', async () => {
    const lost: EngineError[] = [];
    const first = new WebLLMEngine(await fixtureBuild('engine-slow-load'), {
      createWorker: standInWorker,
      onLost: (e) => lost.push(e),
    });
    engines.push(first);
    const started: LoadProgress[] = [];
    const loading = rejection(first.load((p) => started.push(p)));
    for (let i = 0; i < 200 && !started.some((p) => p.phase === 'gpu-upload'); i++) await sleep(20);
    const second = await engineFor();
    const seen: LoadProgress[] = [];
    const taking = second.load((p) => seen.push(p));
    for (let i = 0; i < 100 && seen.length === 0; i++) await sleep(20);
    second.takeOver();
    expect((await within(20000, loading, 'the load taken over')).code).toBe('taken-over');
    expect(lost.map((e) => e.code)).toEqual(['taken-over']);
    await within(20000, taking, 'the load that took over');
  });

  test('after a device loss the old worker is ended', async () => {
    let ended = 0;
    const counted = () => {
      const worker = standInWorker();
      const terminate = worker.terminate.bind(worker);
      worker.terminate = () => {
        ended += 1;
        terminate();
      };
      return worker;
    };
    const lost: EngineError[] = [];
    const engine = new WebLLMEngine(await fixtureBuild(), {
      createWorker: counted,
      onLost: (e) => lost.push(e),
    });
    engines.push(engine);
    await engine.load();
    await engine.complete(ask('count 2 lose-later'), greedy);
    for (let i = 0; i < 100 && lost.length === 0; i++) await sleep(20);
    expect(lost.map((e) => e.code)).toEqual(['device-lost']);
    expect(ended).toBe(1);
  });

  test('aborting a load ends it at once', async () => {
    const engine = await engineFor();
    const abort = new AbortController();
    const loading = engine.load(undefined, abort.signal);
    abort.abort();
    expect((await rejection(loading)).code).toBe('aborted');
  });
});
