import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStore } from './file-store';
import type { ProblemResult, RunHeader } from './types';

const header: RunHeader = {
  version: 1,
  createdAt: 5,
  problems: [{ id: 'L1', line: 1, question: 'q', gold: '1' }],
  config: {
    dataset: 'd',
    fingerprint: 'f',
    selection: { sample: 'first', limit: 1, seed: 0 },
    modes: [{ kind: 'single' }],
    sampling: { temperature: 0.7, top_p: 1, max_tokens: 100 },
    family: 'generic',
    model: 'm',
  },
};

function result(problemId: string, answer: string): ProblemResult {
  return {
    problemId,
    mode: 'single',
    gold: '1',
    answer,
    correct: answer === '1',
    samples: [
      { text: answer, answer, completionTokens: 1, promptTokens: 1, ms: 1, finishReason: 'stop' },
    ],
    votes: { [answer]: 1 },
    tokens: 1,
    seconds: 0.1,
    finishedAt: 1,
  };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tally-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileStore', () => {
  it('has nothing before a run begins', async () => {
    expect(await new FileStore(join(dir, 'none.jsonl')).load()).toBeUndefined();
  });

  it('keeps the header and every appended result, one line each, even when appends overlap', async () => {
    const path = join(dir, 'run.jsonl');
    const store = new FileStore(path);
    await store.begin(header);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.append(result(`L${i}`, String(i)))),
    );
    const text = await readFile(path, 'utf8');
    expect(text.trim().split('\n')).toHaveLength(21);
    const saved = await new FileStore(path).load();
    expect(saved?.header).toEqual(header);
    expect(saved?.results.map((r) => r.problemId).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `L${i}`).sort(),
    );
    expect(saved?.unreadable).toBe(0);
  });

  it('skips a torn last line and invalid entries, counting them; the last duplicate wins', async () => {
    const path = join(dir, 'run.jsonl');
    const store = new FileStore(path);
    await store.begin(header);
    await store.append(result('L1', '2'));
    await store.append(result('L1', '1'));
    await appendFile(path, '{"type":"result","result":{"problemId":"L2"}}\n{"type":"result","res');
    const saved = await store.load();
    expect(saved?.results).toEqual([result('L1', '1')]);
    expect(saved?.unreadable).toBe(2);
  });

  it('refuses a file that is not a results file', async () => {
    const path = join(dir, 'other.jsonl');
    await writeFile(path, '{"question": "q", "answer": "#### 1"}\n');
    await expect(new FileStore(path).load()).rejects.toThrow(/not a Tally results file/);
  });

  it('begin starts over and clear deletes', async () => {
    const path = join(dir, 'run.jsonl');
    const store = new FileStore(path);
    await store.begin(header);
    await store.append(result('L1', '1'));
    await store.begin(header);
    expect((await store.load())?.results).toEqual([]);
    await store.clear();
    expect(await store.load()).toBeUndefined();
  });
});
