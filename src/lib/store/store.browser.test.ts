// The store against the fixture model server in real Chromium: faults (drops, corruption, 5xx,
// stalls), pause and resume, damaged saved state, delete. Each ends with shards byte-identical to the source.
import { hasModelInCache } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import {
  appConfig,
  fault,
  fixtureModel,
  requestsFor,
  sourceShardHashes,
  storeModel,
  storedShardHashes,
} from '../../../tests/fixtures/store-client';
import type { FixtureModel } from '../../../tests/fixtures/model-server';
import { DownloadManager, type Activity } from './manager';
import { listModels, readChunks, removeModel, writeEntry } from './disk';
import { downloadModel, type DownloadOptions } from './download';
import type { DownloadProgress } from './types';
import { inTransaction, openDatabase } from './idb';

/** Quick retries, so fault tests take milliseconds of backoff, not seconds. */
const fast: DownloadOptions = {
  policy: { backoffMs: 20, maxBackoffMs: 100, stallMs: 2000 },
  progressMs: 0,
};

const shardPath = (model: FixtureModel, name: string) => `/models/${model.id}/resolve/main/${name}`;

async function failure(promise: Promise<unknown>): Promise<EngineError> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  return error as EngineError;
}

/** bytes of IndexedDB this origin uses (Chromium's breakdown), else all usage */
async function indexedDbUsage(): Promise<number> {
  const estimate: StorageEstimate & { usageDetails?: { indexedDB?: number } } =
    await navigator.storage.estimate();
  return estimate.usageDetails?.indexedDB ?? estimate.usage ?? 0;
}

async function expectIntact(model: FixtureModel) {
  expect(await storedShardHashes(model)).toEqual(sourceShardHashes(model));
  expect(await hasModelInCache(model.id, appConfig(model))).toBe(true);
}

/**
 * Drops `file`'s connection at `at` after a 300 ms pause there (well under `fast`'s stall limit),
 * so everything sent before it has reached the page when the connection goes.
 */
async function dropAfterPause(model: FixtureModel, file: string, at: number): Promise<void> {
  await fault(model, { kind: 'stall', file, at, ms: 300 });
  await fault(model, { kind: 'drop', file, at });
}

describe('downloadModel', () => {
  test('a connection dropped mid-shard resumes from the byte it reached', async () => {
    const model = await fixtureModel('drop', { shards: 4, shardBytes: 2_000_000 });
    // Paced, with a pause before the drop, so the page has read every byte the server sent: a
    // stream that errors discards what the browser had queued but not handed out, and those
    // bytes would rightly be fetched again (how many depends on timing alone).
    await fault(model, { kind: 'throttle', file: 'params_shard_1.bin', bytesPerSecond: 8_000_000 });
    await dropAfterPause(model, 'params_shard_1.bin', 1_234_567);
    const seen: DownloadProgress[] = [];
    await downloadModel(storeModel(model), { ...fast, onProgress: (p) => seen.push(p) });

    const gets = (await requestsFor(model)).filter(
      (r) => r.path === shardPath(model, 'params_shard_1.bin'),
    );
    expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=1234567-']);
    expect(gets[0]?.bytes).toBe(1_234_567);
    expect(gets[1]?.status).toBe(206);
    await expectIntact(model);
    // progress only moves forward and ends at the whole model
    const done = seen.map((p) => p.bytesDone);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(seen.at(-1)?.phase).toBe('complete');
    expect(seen.at(-1)?.bytesDone).toBe(seen.at(-1)?.bytesTotal);
    expect(seen.at(-1)?.bytesTotal).toBeGreaterThan(model.shards.length * 2_000_000);
  });

  test('a server that hides Content-Range from the page (bare CORS) still resumes by byte', async () => {
    const model = await fixtureModel('bare', { shards: 2, shardBytes: 2_000_000 });
    await fault(model, { kind: 'bare-cors', file: 'params_shard_1.bin', times: 0 });
    await fault(model, { kind: 'throttle', file: 'params_shard_1.bin', bytesPerSecond: 8_000_000 });
    await dropAfterPause(model, 'params_shard_1.bin', 765_432);
    await downloadModel(storeModel(model), fast);

    const gets = (await requestsFor(model)).filter(
      (r) => r.path === shardPath(model, 'params_shard_1.bin'),
    );
    expect(gets.map((r) => r.range)).toEqual([undefined, 'bytes=765432-']);
    expect(gets[1]?.status).toBe(206);
    await expectIntact(model);
  });

  test('a corrupted shard is detected by sha256 and fetched again', async () => {
    const model = await fixtureModel('corrupt', { shards: 4, shardBytes: 1_000_000 });
    await fault(model, { kind: 'corrupt', file: 'params_shard_2.bin', at: 777_777 });
    const notices: string[] = [];
    await downloadModel(storeModel(model), { ...fast, onNotice: (m) => notices.push(m) });

    const gets = (await requestsFor(model)).filter(
      (r) => r.path === shardPath(model, 'params_shard_2.bin'),
    );
    expect(gets).toHaveLength(2);
    expect(gets.map((r) => r.range)).toEqual([undefined, undefined]);
    expect(notices.join(' ')).toMatch(/params_shard_2\.bin does not match its SHA-256 digest/);
    await expectIntact(model);
  });

  test('a shard that is always corrupt fails with integrity and is never marked complete', async () => {
    const model = await fixtureModel('rotten', { shards: 3, shardBytes: 500_000 });
    await fault(model, { kind: 'corrupt', file: 'params_shard_0.bin', at: 10, times: 0 });
    const error = await failure(downloadModel(storeModel(model), fast));
    expect(error.code).toBe('integrity');
    expect(error.message).toMatch(/params_shard_0\.bin .*3 times/);
    const gets = (await requestsFor(model)).filter(
      (r) => r.path === shardPath(model, 'params_shard_0.bin'),
    );
    expect(gets).toHaveLength(3);
    expect(await hasModelInCache(model.id, appConfig(model))).toBe(false);
    expect(Object.keys(await storedShardHashes(model))).not.toContain('params_shard_0.bin');
    expect(await readChunks(`${model.modelUrl}/resolve/main/params_shard_0.bin`)).toEqual([]);
    await removeModel(model.id);
  });

  test('500s then recovery: retried with backoff, then complete', async () => {
    const model = await fixtureModel('flaky', { shards: 3, shardBytes: 400_000 });
    await fault(model, { kind: 'status', file: 'params_shard_1.bin', status: 500, times: 3 });
    await fault(model, { kind: 'status', file: 'tokenizer.json', status: 503, times: 1 });
    await downloadModel(storeModel(model), fast);
    const statuses = (await requestsFor(model))
      .filter((r) => r.path === shardPath(model, 'params_shard_1.bin'))
      .map((r) => r.status);
    expect(statuses).toEqual([500, 500, 500, 200]);
    await expectIntact(model);
  });

  test('a server that keeps failing gives a clear error after bounded retries', async () => {
    const model = await fixtureModel('down', { shards: 2, shardBytes: 100_000 });
    await fault(model, { kind: 'status', file: 'params_shard_1.bin', status: 502, times: 0 });
    const error = await failure(downloadModel(storeModel(model), fast));
    expect(error.code).toBe('server');
    expect(error.message).toMatch(
      /params_shard_1\.bin from 127\.0\.0\.1:\d+ after 6 tries.*HTTP 502.*kept; try again to resume/,
    );
    const tries = (await requestsFor(model)).filter(
      (r) => r.path === shardPath(model, 'params_shard_1.bin'),
    );
    expect(tries).toHaveLength(6);
    expect(await hasModelInCache(model.id, appConfig(model))).toBe(false);
    await removeModel(model.id);
  });

  test('an unreachable host fails planning with one message naming a required file and the host', async () => {
    // Port 0 is refused by every browser before any connection: all three planning files fail.
    const model = {
      id: 'unreachable',
      model: 'http://127.0.0.1:0/models/unreachable',
      model_lib: 'http://127.0.0.1:0/libs/unreachable.wasm',
    };
    const error = await failure(downloadModel(model, fast));
    expect(error.code).toBe('network');
    expect(error.message).toMatch(
      /^Could not download mlc-chat-config\.json from 127\.0\.0\.1:0 after 6 tries: .*Check the connection and try again\.$/,
    );
    expect((await listModels()).models.map((m) => m.key)).not.toContain(model.id);
  });

  test('a stalled connection is dropped and resumed', async () => {
    const model = await fixtureModel('stall', { shards: 2, shardBytes: 600_000 });
    await fault(model, { kind: 'stall', file: 'params_shard_0.bin', at: 300_000, ms: 60_000 });
    await downloadModel(storeModel(model), {
      ...fast,
      policy: { ...fast.policy, stallMs: 500 },
    });
    const ranges = (await requestsFor(model))
      .filter((r) => r.path === shardPath(model, 'params_shard_0.bin'))
      .map((r) => r.range);
    expect(ranges).toEqual([undefined, 'bytes=300000-']);
    await expectIntact(model);
  });

  test('pause (abort) keeps the bytes; resume continues with a Range from the last checkpoint', async () => {
    const model = await fixtureModel('pause', { shards: 1, shardBytes: 3_000_000 });
    await fault(model, { kind: 'throttle', file: 'params_shard_0.bin', bytesPerSecond: 2_000_000 });
    const abort = new AbortController();
    const policy = { ...fast.policy, checkpointBytes: 256 * 1024, checkpointMs: 0 };
    const first = downloadModel(storeModel(model), {
      ...fast,
      policy,
      signal: abort.signal,
      onProgress: (p) => {
        if (p.bytesDone > 1_000_000) abort.abort();
      },
    });
    expect((await failure(first)).code).toBe('aborted');
    const url = `${model.modelUrl}/resolve/main/params_shard_0.bin`;
    const kept = (await readChunks(url)).reduce((sum, c) => sum + c.data.byteLength, 0);
    expect(kept).toBeGreaterThan(500_000);
    expect(kept).toBeLessThan(3_000_000);
    expect(await hasModelInCache(model.id, appConfig(model))).toBe(false);

    await downloadModel(storeModel(model), { ...fast, policy });
    const ranges = (await requestsFor(model))
      .filter((r) => r.path === shardPath(model, 'params_shard_0.bin'))
      .map((r) => r.range);
    expect(ranges).toEqual([undefined, `bytes=${kept}-`]);
    await expectIntact(model);
    expect(await readChunks(url)).toEqual([]);
  });

  test('without digests, sizes are still checked; each file is fetched once', async () => {
    const model = await fixtureModel('nodigest', { shards: 2, shardBytes: 300_000 });
    await downloadModel(storeModel(model, false), fast);
    await expectIntact(model);
    // and a clean download fetches every file exactly once
    const paths = (await requestsFor(model)).map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toHaveLength(model.files.length + 2); // + the library, + the manifest's 404
  });
});

describe('saved state', () => {
  test('a damaged record gives a notice, starts that download over, and leaves others alone', async () => {
    const keep = await fixtureModel('keep', { shards: 2, shardBytes: 100_000 });
    await downloadModel(storeModel(keep), fast);
    const model = await fixtureModel('damaged', { shards: 2, shardBytes: 100_000 });
    const db = await openDatabase('tally-downloads', 1, () => undefined);
    await inTransaction(db, 'models', 'readwrite', (tx) => {
      tx.objectStore('models').put({ id: model.id, format: 1, files: 'garbage' });
    });
    const { models: listed } = await listModels();
    expect(listed.find((m) => m.key === model.id)?.status).toBe('damaged');

    const notices: string[] = [];
    await downloadModel(storeModel(model), { ...fast, onNotice: (m) => notices.push(m) });
    expect(notices.join(' ')).toMatch(/damaged.*starts over.*untouched/i);
    await expectIntact(model);
    await expectIntact(keep);
  });

  test('a record from another format version is reset with a clear notice', async () => {
    const model = await fixtureModel('oldformat', { shards: 1, shardBytes: 100_000 });
    await writeEntry({
      format: 0 as 1,
      id: model.id,
      model: storeModel(model),
      base: '',
      files: [],
      status: 'partial',
      updatedAt: 0,
    });
    const notices: string[] = [];
    await downloadModel(storeModel(model), { ...fast, onNotice: (m) => notices.push(m) });
    expect(notices.join(' ')).toMatch(/another version of Tally/);
    await expectIntact(model);
  });

  test('delete frees the space and web-llm no longer finds the model', async () => {
    const model = await fixtureModel('delete', { shards: 8, shardBytes: 4_000_000 });
    await downloadModel(storeModel(model), fast);
    const before = await indexedDbUsage();
    const listed = (await listModels()).models.find((m) => m.key === model.id);
    expect(listed?.status).toBe('complete');
    expect(listed?.bytes).toBeGreaterThanOrEqual(model.bytes);
    await removeModel(model.id);
    expect(await hasModelInCache(model.id, appConfig(model))).toBe(false);
    expect((await listModels()).models.some((m) => m.key === model.id)).toBe(false);
    await expect.poll(indexedDbUsage).toBeLessThan(before - 0.9 * 32_000_000);
  });
});

describe('one download across tabs', () => {
  test('two managers (as two tabs) download once: the server sees each range once', async () => {
    const model = await fixtureModel('twotabs', { shards: 4, shardBytes: 1_000_000 });
    await fault(model, { kind: 'throttle', file: 'params_shard_0.bin', bytesPerSecond: 4_000_000 });
    const seenA: Activity[] = [];
    const seenB: Activity[] = [];
    const make = (seen: Activity[]) =>
      new DownloadManager({
        onActivity: (a) => {
          if (a.id === model.id) seen.push(a);
        },
        onDisk: () => undefined,
        onNotice: () => undefined,
        download: fast,
      });
    const a = make(seenA);
    const b = make(seenB);
    const runA = a.start(storeModel(model));
    await new Promise((r) => setTimeout(r, 100));
    const runB = b.start(storeModel(model));
    await Promise.all([runA, runB]);
    a.close();
    b.close();

    expect(seenA.at(-1)?.state).toBe('complete');
    expect(seenB.at(-1)?.state).toBe('complete');
    expect(seenB.some((x) => x.where === 'elsewhere' && x.state === 'downloading')).toBe(true);
    const gets = (await requestsFor(model)).filter((r) => r.method === 'GET');
    const keys = gets.map((r) => `${r.path} ${r.range ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    await expectIntact(model);
  });
});
