import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockOpenAI, type MockOpenAI } from '../../../tests/fixtures/mock-openai';
import type { Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { OpenAIEngine } from '../engine/openai-engine';
import { FileStore } from './file-store';
import { runBench } from './runner';
import type { ModeSpec, Problem, ProblemResult, RunHeader } from './types';

let mock: MockOpenAI;
let dir: string;

beforeAll(async () => {
  mock = await startMockOpenAI();
  dir = await mkdtemp(join(tmpdir(), 'tally-runner-'));
});
afterAll(async () => {
  await mock.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  mock.reset();
});

const problems: Problem[] = Array.from({ length: 8 }, (_, i) => ({
  id: `L${i + 1}`,
  line: i + 1,
  question: `Item Q${i + 1}: what is ${i} plus 10?`,
  gold: String(i + 10),
}));

const right = (p: Problem) => `Add: ${p.gold}. The answer is \\boxed{${p.gold}}.`;
const wrong = (p: Problem) => `Add badly. The answer is \\boxed{${Number(p.gold) + 1}}.`;

function header(modes: ModeSpec[]): RunHeader {
  return {
    version: 1,
    createdAt: 0,
    problems,
    config: {
      dataset: 'synthetic',
      fingerprint: 'x',
      selection: { sample: 'first', limit: problems.length, seed: 1 },
      modes,
      sampling: { temperature: 0.7, top_p: 0.95, max_tokens: 256 },
      family: 'generic',
      model: 'mock-math',
    },
  };
}

async function engine(concurrency = 4): Promise<OpenAIEngine> {
  const e = new OpenAIEngine({ baseUrl: mock.baseUrl, model: 'mock-math', concurrency });
  await e.load();
  return e;
}

let n = 0;
async function store(h: RunHeader): Promise<FileStore> {
  n += 1;
  const s = new FileStore(join(dir, `run-${n}.jsonl`));
  await s.begin(h);
  return s;
}

/** Each problem's question asked, counted over the mock's requests. */
function asked(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of mock.stats().requests) {
    const text = request.messages.at(-1)?.content ?? '';
    const problem = problems.find((p) => text.includes(p.question));
    if (problem) counts.set(problem.id, (counts.get(problem.id) ?? 0) + 1);
  }
  return counts;
}

describe('runBench', () => {
  it('stops at once when a program mode has no sandbox to run its programs in', async () => {
    const h = header([{ kind: 'program' }]);
    const outcome = await runBench({
      engine: await engine(),
      header: h,
      done: [],
      store: await store(h),
      concurrency: 1,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.finished).toBe(0);
    expect(outcome.error?.code).toBe('bad-input');
    expect(outcome.error?.message).toBe('The program mode needs a sandbox to run programs in.');
    expect(mock.stats().requests).toEqual([]);
  });

  it('scores each problem in each mode against its gold answer', async () => {
    // Odd problems right, even wrong; problem 8's samples split 2:1 for the right answer.
    mock.script({
      replies: problems.map((p, i) => ({
        match: p.question,
        outputs:
          i === 7 ? [wrong(p), right(p), right(p), wrong(p)] : [i % 2 === 0 ? right(p) : wrong(p)],
      })),
    });
    const h = header([{ kind: 'single' }, { kind: 'ensemble', k: 3, rule: { kind: 'fixed' } }]);
    const s = await store(h);
    const seen: ProblemResult[] = [];
    const outcome = await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: s,
      concurrency: 1,
      onResult: (r) => seen.push(r),
    });
    expect(outcome).toMatchObject({ status: 'complete', finished: 16, failures: [] });
    const byKey = new Map(seen.map((r) => [`${r.problemId}/${r.mode}`, r]));
    for (const [i, p] of problems.entries()) {
      const single = byKey.get(`${p.id}/single`);
      const ensemble = byKey.get(`${p.id}/ensemble-k3-fixed`);
      expect(single?.correct).toBe(i % 2 === 0);
      expect(ensemble?.correct).toBe(i % 2 === 0 || i === 7);
      expect(single?.samples).toHaveLength(1);
      expect(ensemble?.samples).toHaveLength(3);
      expect(single?.gold).toBe(p.gold);
    }
    const eight = byKey.get('L8/ensemble-k3-fixed');
    expect(eight?.votes).toEqual({ '17': 2, '18': 1 });
    expect(eight?.answer).toBe('17');
    expect(eight?.tokens).toBe(eight?.samples.reduce((sum, x) => sum + x.completionTokens, 0));
    expect((await s.load())?.results).toHaveLength(16);
  });

  it('records every aggregation of the same samples, and each sample’s scores', async () => {
    // Problem 1: three unsure samples say 11 (wrong), two sure ones say 10 (right); the verifier
    // says yes to 10 and no to 11. Problem 2 is asked nothing special: every sample is right.
    const [one, two] = problems as [Problem, Problem];
    const sure = [-0.02, -5, -6, -7, -8];
    const unsure = [-0.9, -1.1, -1.3, -1.5, -1.7];
    mock.script({
      replies: [
        {
          match: 'boxed{10}',
          outputs: [{ text: 'Yes', logprobs: [-0.1, -2.4], alternatives: ['No'] }],
        },
        {
          match: 'boxed{11}',
          outputs: [{ text: 'No', logprobs: [-0.2, -1.7], alternatives: ['Yes'] }],
        },
        {
          match: one.question,
          outputs: [
            { text: wrong(one), logprobs: unsure },
            { text: right(one), logprobs: sure },
            { text: wrong(one), logprobs: unsure },
            { text: wrong(one), logprobs: unsure },
            { text: right(one), logprobs: sure },
          ],
        },
        { match: two.question, outputs: [right(two)] },
      ],
    });
    const h = header([{ kind: 'ensemble', k: 5, rule: { kind: 'fixed' }, verify: true }]);
    h.problems = [one, two];
    const s = await store(h);
    const outcome = await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: s,
      concurrency: 1,
    });
    expect(outcome.status).toBe('complete');
    const [first, second] = (await s.load())?.results ?? [];
    // the ensemble's own answer is the confidence-weighted one (solver defaultAggregation)
    expect(first).toMatchObject({ answer: '10', correct: true, votes: { '11': 3, '10': 2 } });
    const generated = first?.samples.reduce((n, x) => n + x.completionTokens, 0) ?? 0;
    const verifierRequests = mock
      .stats()
      .requests.filter(
        (r) => r.max_tokens === 1 && r.messages.at(-1)?.content.includes(one.question),
      );
    expect(verifierRequests).toHaveLength(2);
    const verifying = first?.aggregates?.verifier.verificationTokens ?? 0;
    expect(verifying).toBeGreaterThan(2);
    expect(first?.aggregates).toEqual({
      majority: {
        available: true,
        answer: '11',
        correct: false,
        generationTokens: generated,
        verificationTokens: 0,
      },
      confidence: {
        available: true,
        answer: '10',
        correct: true,
        generationTokens: generated,
        verificationTokens: 0,
      },
      verifier: {
        available: true,
        answer: '10',
        correct: true,
        generationTokens: generated,
        verificationTokens: verifying,
      },
      'best-of-n': {
        available: true,
        answer: '10',
        correct: true,
        generationTokens: generated,
        verificationTokens: verifying,
      },
    });
    // lowest group confidence: the mean over the top-5 log-probabilities of every token
    // each token's confidence: −mean of its top log-probabilities, read over the top tokens
    const confidence = (top: number[]) =>
      -top.reduce((n, l) => n + l, 0) / top.length +
      Math.log(top.reduce((n, l) => n + Math.exp(l), 0));
    const [sureness, doubt] = [confidence(sure), confidence(unsure)];
    expect(first?.samples.map((x) => x.confidence)).toEqual(
      [doubt, sureness, doubt, doubt, sureness].map((c): unknown => expect.closeTo(c, 6)),
    );
    // the verifier asked once per answer, about its first (most confident) sample
    expect(first?.samples.map((x) => x.verifier)).toEqual([
      expect.closeTo(1 / (1 + Math.exp(1.5)), 6),
      expect.closeTo(1 / (1 + Math.exp(-2.3)), 6),
      null,
      null,
      null,
    ]);
    // one answer only: every aggregation agrees on it
    expect(second?.aggregates?.majority.answer).toBe(two.gold);
    expect(second?.aggregates?.['best-of-n']).toMatchObject({ answer: two.gold, correct: true });
  });

  it('skips what is done and runs only the rest', async () => {
    const h = header([{ kind: 'single' }]);
    const s = await store(h);
    const first = await runBench({
      engine: await engine(),
      header: h,
      done: [],
      store: s,
      concurrency: 4,
    });
    expect(first.finished).toBe(8);
    const saved = (await s.load())?.results ?? [];
    const done = saved.filter((r) => Number(r.problemId.slice(1)) <= 5);
    mock.reset();
    const second = await runBench({
      engine: await engine(),
      header: h,
      done,
      store: s,
      concurrency: 4,
    });
    expect(second).toMatchObject({ status: 'complete', finished: 3 });
    expect([...asked().keys()].sort()).toEqual(['L6', 'L7', 'L8']);
  });

  it('runs one problem at a time on an engine that runs one sequence at a time', async () => {
    mock.script({ chunkDelayMs: 5 });
    const h = header([{ kind: 'single' }]);
    await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: await store(h),
      concurrency: 4,
    });
    expect(mock.stats().maxInFlight).toBe(1);
  });

  it('stops on abort, keeping what finished and saving nothing cut off', async () => {
    // Replies of growing length, so the two lanes never finish together.
    mock.script({
      chunkDelayMs: 15,
      replies: problems.map((p, i) => ({
        match: p.question,
        outputs: [`${'step '.repeat(4 * i)}${right(p)}`],
      })),
    });
    const h = header([{ kind: 'single' }]);
    const s = await store(h);
    const abort = new AbortController();
    const seen: ProblemResult[] = [];
    const outcome = await runBench({
      engine: await engine(2),
      header: h,
      done: [],
      store: s,
      concurrency: 2,
      signal: abort.signal,
      onResult: (r) => {
        seen.push(r);
        if (seen.length === 3) abort.abort();
      },
    });
    expect(outcome.status).toBe('aborted');
    expect(outcome.failures).toEqual([]);
    const saved = (await s.load())?.results ?? [];
    expect(saved.map((r) => r.problemId).sort()).toEqual(seen.map((r) => r.problemId).sort());
    expect(saved.length).toBeGreaterThanOrEqual(3);
    expect(saved.length).toBeLessThan(8);
    // the other lane was mid-reply: its stream was cut (the server sees the close a moment later)
    await expect.poll(() => mock.stats().aborted).toBeGreaterThanOrEqual(1);
  });

  it('goes on past a failed problem and reports it', async () => {
    mock.script({ fail: { status: 500, times: 2 } });
    const h = header([{ kind: 'single' }]);
    const outcome = await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: await store(h),
      concurrency: 1,
    });
    expect(outcome.status).toBe('incomplete');
    expect(outcome.finished).toBe(6);
    expect(outcome.failures.map((f) => [f.problemId, f.error.code])).toEqual([
      ['L1', 'server'],
      ['L2', 'server'],
    ]);
  });

  it('stops after five failures in a row, and at once on an error every problem would hit', async () => {
    mock.script({ fail: { status: 503 } });
    const h = header([{ kind: 'single' }]);
    const down = await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: await store(h),
      concurrency: 1,
    });
    expect(down.status).toBe('failed');
    expect(down.failures).toHaveLength(5);
    expect(down.error?.message).toMatch(/5 problems failed in a row/);

    const e = await engine(1);
    mock.script({ fail: { status: 401 } });
    const refused = await runBench({
      engine: e,
      header: h,
      done: [],
      store: await store(h),
      concurrency: 1,
    });
    expect(refused.status).toBe('failed');
    expect(refused.failures).toHaveLength(1);
    expect(refused.error?.code).toBe('unauthorized');
  });

  it('stops at once when another tab takes the GPU over', async () => {
    const h = header([{ kind: 'single' }]);
    // the in-browser engine's reply once another tab or the widget has taken the GPU
    const takenOver: Engine = {
      kind: 'webllm',
      concurrency: 1,
      load: () => Promise.resolve(),
      unload: () => Promise.resolve(),
      complete: () =>
        Promise.reject(new EngineError('taken-over', 'Another tab took over the GPU.')),
    };
    const outcome = await runBench({
      engine: takenOver,
      header: h,
      done: [],
      store: await store(h),
      concurrency: 1,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.failures).toHaveLength(1);
    expect(outcome.error?.code).toBe('taken-over');
  });

  it('stops when a result cannot be saved', async () => {
    const h = header([{ kind: 'single' }]);
    const broken = new FileStore(join(dir, 'no-such-dir', 'run.jsonl'));
    const outcome = await runBench({
      engine: await engine(1),
      header: h,
      done: [],
      store: broken,
      concurrency: 1,
    });
    expect(outcome.status).toBe('failed');
    expect(outcome.error?.code).toBe('storage');
    expect(outcome.finished).toBe(0);
  });
});
