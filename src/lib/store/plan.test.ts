import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { modelBase, parseTensorCache, webllmCachesLibrary } from './disk';
import { checkModel, parseManifest, planFiles, tokenizerFile } from './plan';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).slice().buffer;
const model = {
  id: 'M-q4f32_1-MLC',
  model: 'https://huggingface.co/mlc-ai/M-q4f32_1-MLC',
  model_lib: 'https://example.com/libs/M.wasm',
};
const index = {
  records: [
    { dataPath: 'params_shard_0.bin', nbytes: 100, records: [] },
    { dataPath: 'params_shard_1.bin', nbytes: 50, records: [] },
  ],
};

function code(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error.code;
    throw error;
  }
  return 'none';
}

describe('modelBase (web-llm cleanModelUrl)', () => {
  test.each([
    ['https://h/x/M', 'https://h/x/M/resolve/main/'],
    ['https://h/x/M/', 'https://h/x/M/resolve/main/'],
    ['https://h/x/M/resolve/main', 'https://h/x/M/resolve/main/'],
    ['https://h/x/M/resolve/main/', 'https://h/x/M/resolve/main/'],
    ['https://h/x/M/resolve/v2/', 'https://h/x/M/resolve/v2/'],
  ])('%s -> %s', (input, base) => {
    expect(modelBase(input)).toBe(base);
  });

  test('web-llm does not cache libraries on localhost or relative URLs', () => {
    expect(webllmCachesLibrary('https://x/lib.wasm')).toBe(true);
    expect(webllmCachesLibrary('http://localhost:4173/lib.wasm')).toBe(false);
    expect(webllmCachesLibrary('/libs/lib.wasm')).toBe(false);
  });
});

describe('planFiles', () => {
  test('config, tokenizer, library, shards, and tensor-cache.json last, in web-llm databases', () => {
    const files = planFiles(model, json({ tokenizer_files: ['tokenizer.json'] }), index, new Map());
    const base = `${model.model}/resolve/main/`;
    expect(files.map((f) => [f.name, f.db, f.kind, f.size])).toEqual([
      ['mlc-chat-config.json', 'webllm/config', 'arraybuffer', 38],
      ['tokenizer.json', 'webllm/model', 'arraybuffer', undefined],
      ['lib', 'webllm/wasm', 'arraybuffer', undefined],
      ['params_shard_0.bin', 'webllm/model', 'arraybuffer', 100],
      ['params_shard_1.bin', 'webllm/model', 'arraybuffer', 50],
      ['tensor-cache.json', 'webllm/model', 'json', undefined],
    ]);
    expect(files[0]?.url).toBe(`${base}mlc-chat-config.json`);
    expect(files[2]?.url).toBe(model.model_lib);
    expect(files[3]?.url).toBe(`${base}params_shard_0.bin`);
  });

  test('digests come from the model, else from the manifest', () => {
    const manifest = parseManifest(
      json({
        format: 1,
        files: [
          { name: 'params_shard_0.bin', size: 100, sha256: 'A'.repeat(64) },
          { name: 'tokenizer.json', size: 7 },
        ],
      }),
      'm',
    );
    const files = planFiles(
      { ...model, digests: { 'params_shard_1.bin': 'b'.repeat(64) } },
      json({ tokenizer_files: ['tokenizer.model'] }),
      index,
      manifest,
    );
    const by = Object.fromEntries(files.map((f) => [f.name, f]));
    expect(by['params_shard_0.bin']?.digest).toBe('a'.repeat(64));
    expect(by['params_shard_1.bin']?.digest).toBe('b'.repeat(64));
    expect(by['tokenizer.model']).toBeDefined();
  });

  test('a manifest that disagrees with tensor-cache.json is rejected', () => {
    const manifest = parseManifest(
      json({ format: 1, files: [{ name: 'params_shard_0.bin', size: 99 }] }),
      'm',
    );
    expect(
      code(() => planFiles(model, json({ tokenizer_files: ['tokenizer.json'] }), index, manifest)),
    ).toBe('bad-response');
  });
});

describe('parsing what servers send', () => {
  test.each([
    [{}],
    [{ records: [{ nbytes: 1 }] }],
    [{ records: [{ dataPath: 'a', nbytes: -1 }] }],
    [
      {
        records: [
          { dataPath: 'a', nbytes: 1 },
          { dataPath: 'a', nbytes: 1 },
        ],
      },
    ],
  ])('tensor-cache.json %j is refused with bad-response', (value) => {
    expect(code(() => parseTensorCache(value, 'u'))).toBe('bad-response');
  });

  test('tokenizer choice follows web-llm: tokenizer.json first', () => {
    expect(
      tokenizerFile(json({ tokenizer_files: ['tokenizer.model', 'tokenizer.json'] }), 'u'),
    ).toBe('tokenizer.json');
    expect(code(() => tokenizerFile(json({ tokenizer_files: ['vocab.txt'] }), 'u'))).toBe(
      'bad-response',
    );
    expect(code(() => tokenizerFile(new TextEncoder().encode('{').slice().buffer, 'u'))).toBe(
      'bad-response',
    );
  });

  test('malformed manifests are refused', () => {
    expect(code(() => parseManifest(json({ files: [] }), 'm'))).toBe('bad-response');
    expect(
      code(() => parseManifest(json({ format: 1, files: [{ name: 'a', sha256: 'xyz' }] }), 'm')),
    ).toBe('bad-response');
  });

  test('bad model URLs and digests are bad input', () => {
    expect(code(() => checkModel({ ...model, model: 'not a url' }))).toBe('bad-input');
    expect(code(() => checkModel({ ...model, model_lib: 'ftp://x/lib.wasm' }))).toBe('bad-input');
    expect(code(() => checkModel({ ...model, digests: { a: 'nope' } }))).toBe('bad-input');
    expect(checkModel(model)).toBe(`${model.model}/resolve/main/`);
  });
});

describe('files a model folder names stay inside it', () => {
  const config = json({ tokenizer_files: ['tokenizer.json'] });
  const withShard = (dataPath: string) => ({
    records: [
      { dataPath: 'params_shard_0.bin', nbytes: 100 },
      { dataPath, nbytes: 50 },
    ],
  });
  const refusal = (dataPath: string): string => {
    try {
      planFiles(model, config, withShard(dataPath), new Map());
    } catch (error) {
      if (error instanceof EngineError && error.code === 'bad-response') return error.message;
      throw error;
    }
    return 'accepted';
  };

  test.each([
    '../../../other-model/resolve/main/params_shard_0.bin',
    'sub/../../x.bin',
    '%2e%2e/%2e%2e/other/params_shard_0.bin',
    '.%2E/x.bin',
    'https://evil.example/params_shard_0.bin',
    '//evil.example/params_shard_0.bin',
    '/mlc-ai/other-model/resolve/main/params_shard_0.bin',
    'data:application/octet-stream,AAAA',
    '..\\x.bin',
    'x.bin?v=1',
  ])('%s is refused, naming the entry', (dataPath) => {
    const message = refusal(dataPath);
    expect(message).toContain(`“${dataPath}”`);
    expect(message).toContain('tensor-cache.json');
    expect(message).toContain("inside the model's folder");
  });

  test('plain names and sub-folders inside it are fine', () => {
    const files = planFiles(model, config, withShard('sub/params_shard_1.bin'), new Map());
    expect(files.find((f) => f.name === 'sub/params_shard_1.bin')?.url).toBe(
      `${modelBase(model.model)}sub/params_shard_1.bin`,
    );
  });

  test('an index with no shards, or shards of 0 bytes in all, is refused', () => {
    expect(() => parseTensorCache({ records: [] }, 'u')).toThrow(/lists no weight shards/);
    expect(() => parseTensorCache({ records: [{ dataPath: 'a.bin', nbytes: 0 }] }, 'u')).toThrow(
      /add up to 0 bytes/,
    );
  });
});
