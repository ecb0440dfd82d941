// The Downloads state class (what the UI reads) over the real store in Chromium: a download ends
// complete and listed, a failure lands in the model's activity, delete empties the list.
import { describe, expect, test } from 'vitest';
import { Downloads } from '../state/downloads.svelte';
import { fault, fixtureModel, storeModel } from '../../../tests/fixtures/store-client';

const fast = { policy: { backoffMs: 10, maxBackoffMs: 20, attempts: 2 }, progressMs: 0 };

describe('Downloads', () => {
  test('start → complete and listed with its size; remove → gone', async () => {
    const model = await fixtureModel('state', { shards: 3, shardBytes: 200_000 });
    const downloads = new Downloads(fast);
    await downloads.start(storeModel(model));
    expect(downloads.status(model.id).state).toBe('complete');
    expect(downloads.status(model.id).progress?.bytesDone).toBeGreaterThanOrEqual(600_000);
    expect(downloads.persisted).toBeTypeOf('boolean');
    await downloads.refresh();
    const row = downloads.disk.find((m) => m.key === model.id);
    expect(row?.status).toBe('complete');
    expect(row?.bytes).toBeGreaterThanOrEqual(model.bytes);
    expect(downloads.estimate?.quota).toBeGreaterThan(0);

    await downloads.remove(model.id);
    expect(downloads.status(model.id).state).toBe('idle');
    await downloads.refresh();
    expect(downloads.disk.some((m) => m.key === model.id)).toBe(false);
  });

  test('a pause pressed before the first byte holds; Resume then downloads it whole', async () => {
    const model = await fixtureModel('state-pause-early', { shards: 2, shardBytes: 100_000 });
    const downloads = new Downloads(fast);
    const started = downloads.start(storeModel(model));
    downloads.pause(model.id);
    await started;
    expect(downloads.status(model.id).state).toBe('paused');
    await downloads.refresh();
    expect(downloads.disk.find((m) => m.key === model.id)?.status).not.toBe('complete');

    await downloads.resume(model.id);
    expect(downloads.status(model.id).state).toBe('complete');
    await downloads.remove(model.id);
  });

  test('a failure shows as an error on the model, and is kept (with its error) for the next visit', async () => {
    const model = await fixtureModel('state-fail', { shards: 2, shardBytes: 100_000 });
    await fault(model, { kind: 'status', file: 'params_shard_1.bin', status: 404, times: 0 });
    const downloads = new Downloads(fast);
    await downloads.start(storeModel(model));
    const activity = downloads.status(model.id);
    expect(activity.state).toBe('error');
    expect(activity.error?.code).toBe('bad-response');
    expect(activity.error?.message).toMatch(/params_shard_1\.bin.*404/);

    // (refresh, not restore: restore would also resume other tests' partial downloads)
    const later = new Downloads(fast);
    await later.refresh();
    const row = later.disk.find((m) => m.key === model.id);
    expect(row?.status).toBe('partial');
    expect(row?.hold?.reason).toBe('error');
    expect(row?.hold?.error?.code).toBe('bad-response');
    await later.remove(model.id);
  });
});
