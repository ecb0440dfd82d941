// Against the fixture model server in real Chromium: a web-llm upgrade that only moves a model's
// library (issue 11, item 8), how files were checked, and a web-llm database missing its store.
import { hasModelInCache } from '@mlc-ai/web-llm';
import { expect, test } from 'vitest';
import {
  appConfig,
  fixtureModel,
  requestsFor,
  sourceShardHashes,
  storeModel,
  storedShardHashes,
} from '../../../tests/fixtures/store-client';
import { EngineError } from '../engine/errors';
import { allUrls, listModels, removeModel } from './disk';
import { downloadModel } from './download';
import { closeDatabase } from './idb';

/** Deletes `webllm/model` and makes it again at version 1 with no object store, as damage would. */
async function damageModelDatabase(): Promise<void> {
  await closeDatabase('webllm/model');
  await new Promise<void>((resolve, reject) => {
    const wipe = indexedDB.deleteDatabase('webllm/model');
    wipe.onsuccess = () => {
      resolve();
    };
    wipe.onerror = () => {
      reject(new Error('delete failed'));
    };
  });
  await new Promise<void>((resolve, reject) => {
    const bare = indexedDB.open('webllm/model', 1);
    bare.onsuccess = () => {
      bare.result.close();
      resolve();
    };
    bare.onerror = () => {
      reject(new Error('open failed'));
    };
  });
}

/** A connection that, like web-llm's, never closes when asked: another tab holding the database. */
function holdModelDatabase(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open('webllm/model');
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(new Error('open failed'));
    };
  });
}

// First in this file: web-llm's own cache (hasModelInCache, below) keeps its connections open,
// and an open connection would block the wipe these tests start with.
test('a damaged webllm/model database that another tab holds open is explained, not waited on', async () => {
  await damageModelDatabase();
  const holder = await holdModelDatabase();
  const model = await fixtureModel('held', { shards: 2, shardBytes: 100_000 });
  const error = await downloadModel(storeModel(model)).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EngineError);
  expect((error as EngineError).code).toBe('storage');
  expect((error as EngineError).message).toMatch(/another Tally tab or widget holds it open/);
  holder.close();
});

test('a webllm/model database missing its store is made again, and the download works', async () => {
  await damageModelDatabase();
  const model = await fixtureModel('nostore', { shards: 2, shardBytes: 100_000 });
  await downloadModel(storeModel(model));
  expect(await storedShardHashes(model)).toEqual(sourceShardHashes(model));
  expect(await hasModelInCache(model.id, appConfig(model))).toBe(true);
  await removeModel(model.id);
});

test('a new library URL fetches the library alone; the weights stay', async () => {
  const model = await fixtureModel('upgrade', { shards: 3, shardBytes: 300_000 });
  await downloadModel(storeModel(model));
  const before = (await requestsFor(model)).length;

  const upgraded = { ...storeModel(model), model_lib: `${model.libUrl}?v=0.2.87` };
  const notices: string[] = [];
  await downloadModel(upgraded, { onNotice: (m) => notices.push(m) });

  const paths = (await requestsFor(model)).slice(before).map((r) => r.path);
  expect(paths.filter((p) => p.endsWith('.bin'))).toEqual([]);
  expect(paths.filter((p) => p === `/libs/${model.id}.wasm`)).toHaveLength(1);
  expect(notices.join(' ')).toMatch(/new library: it is fetched again; the weights are kept/);
  expect(await storedShardHashes(model)).toEqual(sourceShardHashes(model));
  const libraries = await allUrls('webllm/wasm');
  expect(libraries).toContain(upgraded.model_lib);
  expect(libraries).not.toContain(model.libUrl);
  const config = appConfig(model);
  const entry = config.model_list[0];
  if (entry) entry.model_lib = upgraded.model_lib;
  expect(await hasModelInCache(model.id, config)).toBe(true);
  await removeModel(model.id);
});

test('a model with no published digest is listed as checked by size only', async () => {
  const bare = await fixtureModel('nodigest', { shards: 2, shardBytes: 100_000 });
  const signed = await fixtureModel('digest', { shards: 2, shardBytes: 100_000 });
  await downloadModel(storeModel(bare, false));
  await downloadModel(storeModel(signed));
  const checked = new Map((await listModels()).models.map((m) => [m.key, m.checked]));
  expect(checked.get(bare.id)).toBe('size');
  expect(checked.get(signed.id)).toBe('digest');
  await removeModel(bare.id);
  await removeModel(signed.id);
});
