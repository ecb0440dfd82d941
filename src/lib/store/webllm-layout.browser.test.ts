// Contract with web-llm 0.2.86: after Tally's store downloads a model, web-llm's own
// hasModelInCache sees it and its load fetches nothing. A web-llm upgrade that moves the cache fails here.
import { MLCEngine, hasModelInCache } from '@mlc-ai/web-llm';
import webllmPackage from '@mlc-ai/web-llm/package.json';
import { describe, expect, test } from 'vitest';
import appPackage from '../../../package.json';
import { fromWebLLM } from '../engine/errors';
import {
  appConfig,
  fixtureModel,
  readWebLLM,
  requestsFor,
  sourceShardHashes,
  storeModel,
  storedShardHashes,
} from '../../../tests/fixtures/store-client';
import { WEBLLM_VERSION, modelBase, removeModel } from './disk';
import { downloadModel } from './download';

describe('web-llm cache layout contract', () => {
  test('the layout was read from the web-llm version that is installed and pinned', () => {
    expect(webllmPackage.version).toBe(WEBLLM_VERSION);
    expect(appPackage.dependencies['@mlc-ai/web-llm']).toBe(WEBLLM_VERSION);
  });

  test('modelBase joins folder URLs exactly as web-llm does', async () => {
    const model = await fixtureModel('contract-url');
    // web-llm's own answer for a folder given with a trailing slash and with resolve/main already
    for (const folder of [
      model.modelUrl,
      `${model.modelUrl}/`,
      `${model.modelUrl}/resolve/main/`,
    ]) {
      expect(modelBase(folder)).toBe(`${model.modelUrl}/resolve/main/`);
    }
    expect(modelBase('https://huggingface.co/mlc-ai/X/resolve/v1/')).toBe(
      'https://huggingface.co/mlc-ai/X/resolve/v1/',
    );
  });

  test('after the store downloads a model, web-llm finds it and loads without the network', async () => {
    const model = await fixtureModel('contract', { shards: 6, shardBytes: 300_000 });
    const config = appConfig(model);
    expect(await hasModelInCache(model.id, config)).toBe(false);

    await downloadModel(storeModel(model));
    const afterStore = (await requestsFor(model)).length;

    expect(await hasModelInCache(model.id, config)).toBe(true);
    expect(await storedShardHashes(model)).toEqual(sourceShardHashes(model));
    // The value shapes web-llm reads back: bytes, except tensor-cache.json as parsed JSON.
    const base = `${model.modelUrl}/resolve/main/`;
    const index = (await readWebLLM('webllm/model', `${base}tensor-cache.json`)) as {
      url: string;
      data: { records: unknown[] };
    };
    expect(index.url).toBe(`${base}tensor-cache.json`);
    expect(index.data.records).toHaveLength(6);
    const chat = (await readWebLLM('webllm/config', `${base}mlc-chat-config.json`)) as {
      data: unknown;
    };
    expect(chat.data).toBeInstanceOf(ArrayBuffer);
    const lib = (await readWebLLM('webllm/wasm', model.libUrl)) as { data: unknown };
    expect(lib.data).toBeInstanceOf(ArrayBuffer);

    // web-llm's own load: config and library from the cache, then the library fails to compile.
    const engine = new MLCEngine({ appConfig: config, logLevel: 'SILENT' });
    const failure = await engine.reload(model.id).then(
      () => new Error('the fixture library is not wasm: the load should fail'),
      (error: unknown) => error,
    );
    expect(fromWebLLM(failure).code).toBe('model-lib-invalid');
    const during = (await requestsFor(model)).slice(afterStore);
    expect(during).toEqual([]);

    await removeModel(model.id);
    expect(await hasModelInCache(model.id, config)).toBe(false);
  });
});
