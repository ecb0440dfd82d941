// The page-side web-llm client against web-llm's real worker handler in a real browser worker.
import { describe, expect, test } from 'vitest';
import type { LoadProgress } from './engine';
import { EngineError } from './errors';
import { WebLLMEngine } from './webllm-client';
import { catalog, type ModelBuild } from '../models/catalog';

const scriptedWorker = () =>
  new Worker(new URL('../../../tests/fixtures/scripted-engine.worker.ts', import.meta.url), {
    type: 'module',
  });

const base = catalog[1]?.builds[1];
if (!base) throw new Error('catalog changed: the lite q4f32_1 build is gone');
const build = (model_id = base.model_id): ModelBuild => ({ ...base, model_id });
const ask = (content: string) => [{ role: 'user' as const, content }];
const greedy = { temperature: 0, top_p: 1, max_tokens: 256 };

async function loaded(): Promise<WebLLMEngine> {
  const engine = new WebLLMEngine(build(), scriptedWorker);
  await engine.load();
  return engine;
}

async function rejection(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

describe('WebLLMEngine over the worker protocol', () => {
  test('load reports one monotonic progress through named phases, ending ready', async () => {
    const engine = new WebLLMEngine(build(), scriptedWorker);
    const seen: LoadProgress[] = [];
    await engine.load((p) => seen.push(p));
    const fractions = seen.map((p) => p.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(seen.map((p) => p.phase)).toEqual(['fetch', 'fetch', 'gpu-upload', 'ready']);
    expect(seen.at(-1)?.fraction).toBe(1);
    await engine.unload();
  });

  test('streams deltas in order and reports usage', async () => {
    const engine = await loaded();
    const deltas: string[] = [];
    const result = await engine.complete(ask('count 25'), {
      ...greedy,
      onDelta: (d) => deltas.push(d),
    });
    const expected = Array.from({ length: 25 }, (_, i) => `${i + 1} `);
    expect(deltas).toEqual(expected);
    expect(result.text).toBe(expected.join(''));
    expect(result.usage.completionTokens).toBe(25);
    expect(result.usage.promptTokens).toBe(7);
    expect(result.finishReason).toBe('stop');
    await engine.unload();
  });

  test('abort mid-stream stops the worker within one token and rejects with AbortError', async () => {
    const engine = await loaded();
    const abort = new AbortController();
    const deltas: string[] = [];
    const error = await rejection(
      engine.complete(ask('count 200 slow'), {
        ...greedy,
        signal: abort.signal,
        onDelta: (d) => {
          deltas.push(d);
          if (deltas.length === 5) abort.abort();
        },
      }),
    );
    expect(error.code).toBe('aborted');
    expect(error.name).toBe('AbortError');
    expect(deltas).toHaveLength(5);
    const stats = await engine.complete(ask('stats'), greedy);
    const produced = Number(/produced=(\d+)/.exec(stats.text)?.[1]);
    expect(produced).toBeGreaterThanOrEqual(5);
    expect(produced).toBeLessThanOrEqual(6);
    await engine.unload();
  });

  test('a worker that dies rejects every pending call, and the engine can load again', async () => {
    const engine = await loaded();
    const slow = engine.complete(ask('count 500 slow'), greedy);
    const crashing = engine.complete(ask('crash'), greedy);
    const [a, b] = await Promise.all([rejection(slow), rejection(crashing)]);
    expect(a.code).toBe('worker-crashed');
    expect(b.code).toBe('worker-crashed');
    expect(a.message).toMatch(/stopped unexpectedly.*scripted crash.*Load the model again/);
    expect((await rejection(engine.complete(ask('count 2'), greedy))).code).toBe('worker-crashed');
    await engine.load();
    expect((await engine.complete(ask('count 2'), greedy)).text).toBe('1 2 ');
    await engine.unload();
  });

  test("web-llm's thrown library error maps to model-lib-invalid", async () => {
    const engine = new WebLLMEngine(build('broken-lib'), scriptedWorker);
    const error = await rejection(engine.load());
    expect(error.code).toBe('model-lib-invalid');
    expect(error.message).toMatch(/model library could not be loaded/);
  });

  test('aborting a load ends it at once', async () => {
    const engine = new WebLLMEngine(build(), scriptedWorker);
    const abort = new AbortController();
    const loading = engine.load(undefined, abort.signal);
    abort.abort();
    expect((await rejection(loading)).code).toBe('aborted');
  });
});
