// The write workers in real Chromium: a checked file lands where web-llm reads it, without a copy
// left on the page; a file that fails its check, or a malformed digest, stores nothing.
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { hexDigest } from './integrity';
import { deleteUrls, getFile } from './disk';
import { Writer, type WriteFile } from './writer';

const url = 'https://models.example/writer-test/resolve/main/params_shard_0.bin';
const bytes = () => new Uint8Array([1, 2, 3, 4, 5]).buffer;
const file = (extra: Partial<WriteFile> = {}): WriteFile => ({
  name: 'params_shard_0.bin',
  url,
  db: 'webllm/model',
  size: 5,
  ...extra,
});

describe('Writer', () => {
  const writer = new Writer(2);
  afterAll(() => {
    writer.close();
  });
  afterEach(async () => {
    await deleteUrls('webllm/model', [url]);
  });

  test('stores a file that matches its size and digest; the page keeps no copy', async () => {
    const data = bytes();
    const digest = await hexDigest('SHA-256', data);
    expect(await writer.write(file({ digest }), data)).toBeUndefined();
    expect(data.byteLength).toBe(0); // transferred, not copied
    expect(new Uint8Array((await getFile('webllm/model', url)) as ArrayBuffer)).toEqual(
      new Uint8Array(bytes()),
    );
  });

  test('a wrong size or digest is reported and nothing is stored', async () => {
    expect(await writer.write(file({ size: 6 }), bytes())).toBe('is 5 bytes, not 6');
    expect(await writer.write(file({ digest: '0'.repeat(64) }), bytes())).toBe(
      'does not match its SHA-256 digest',
    );
    expect(await getFile('webllm/model', url)).toBeUndefined();
  });

  test('a malformed digest fails the write with a clear error', async () => {
    const error = await writer.write(file({ digest: 'md5-xyz' }), bytes()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('bad-input');
    expect(await getFile('webllm/model', url)).toBeUndefined();
  });
});
