// Which files make up a model, where web-llm 0.2.86 looks for each, and how big each must be:
// from mlc-chat-config.json, tensor-cache.json and an optional tally-manifest.json. Throws on junk.
import { EngineError } from '../engine/errors';
import { parseDigest } from './integrity';
import type { PlannedFile, StoreModel } from './types';
import { CHAT_CONFIG, TENSOR_CACHE, libraryFile, modelBase, parseTensorCache } from './disk';

/**
 * A self-hosted folder may publish `tally-manifest.json` next to its files:
 * `{ "format": 1, "files": [{ "name": "params_shard_0.bin", "size": 33554432, "sha256": "<hex>" }] }`.
 * Names are relative to the folder (`…/resolve/main/`); every field but `name` is optional.
 */
export const TALLY_MANIFEST = 'tally-manifest.json';

/** The weight index's name before mlc-llm renamed it to tensor-cache.json (web-llm reads only that). */
export const OLD_TENSOR_CACHE = 'ndarray-cache.json';

/** What a manifest says of one file. */
export interface ManifestEntry {
  /** bytes */
  size?: number;
  /** sha256 hex */
  sha256?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function parseJson(data: ArrayBuffer, what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as unknown;
  } catch {
    throw new EngineError('bad-response', `${what} is not valid JSON.`);
  }
}

/**
 * The URL of `name` inside the model folder `base`, the one check every file the store fetches
 * or writes goes through. A name from a model's files (a tensor-cache.json `dataPath`, a
 * manifest entry) is untrusted: an absolute URL, a rooted path, a `..` segment (also written
 * `%2e%2e`) or a backslash could name another model's keys or another origin, so each is refused
 * with an error naming the entry, before anything is requested.
 */
export function fileInside(base: string, name: string, listedIn: string): string {
  const refuse = (why: string) =>
    new EngineError(
      'bad-response',
      `${listedIn} lists “${name}”, ${why}: Tally fetches only files inside the model's folder (${base}).`,
    );
  let decoded: string;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    throw refuse('which is not a valid file name');
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(decoded) || decoded.startsWith('/')) {
    throw refuse('which is an absolute address');
  }
  if (decoded.includes('\\')) throw refuse('which has a backslash');
  if (decoded.split('/').includes('..')) {
    throw refuse('which leaves the folder (“..”)');
  }
  const url = new URL(name, base);
  if (!url.href.startsWith(base) || url.search !== '' || url.hash !== '') {
    throw refuse('which resolves outside the folder');
  }
  return url.href;
}

/** The tokenizer file web-llm's asyncLoadTokenizer reads: tokenizer.json first, else .model. */
export function tokenizerFile(data: ArrayBuffer, url: string): string {
  const config = parseJson(data, url);
  const files = isObject(config) ? config.tokenizer_files : undefined;
  if (!Array.isArray(files)) {
    throw new EngineError('bad-response', `${url} lists no tokenizer_files.`);
  }
  if (files.includes('tokenizer.json')) return 'tokenizer.json';
  if (files.includes('tokenizer.model')) return 'tokenizer.model';
  throw new EngineError(
    'bad-response',
    `${url} names no tokenizer web-llm can read (tokenizer.json or tokenizer.model).`,
  );
}

/** Reads tally-manifest.json; throws 'bad-response' with the reason when malformed. */
export function parseManifest(data: ArrayBuffer, url: string): Map<string, ManifestEntry> {
  const value = parseJson(data, url);
  const bad = (why: string) => new EngineError('bad-response', `${url} is malformed: ${why}.`);
  if (!isObject(value) || value.format !== 1 || !Array.isArray(value.files)) {
    throw bad('expected {"format": 1, "files": [...]}');
  }
  const entries = new Map<string, ManifestEntry>();
  for (const [i, f] of value.files.entries()) {
    if (!isObject(f) || typeof f.name !== 'string') throw bad(`files[${i}] has no name`);
    const entry: ManifestEntry = {};
    if (f.size !== undefined) {
      if (!isSize(f.size)) throw bad(`files[${i}].size is not a byte count`);
      entry.size = f.size;
    }
    if (f.sha256 !== undefined) {
      if (typeof f.sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(f.sha256)) {
        throw bad(`files[${i}].sha256 is not 64 hex digits`);
      }
      entry.sha256 = f.sha256.toLowerCase();
    }
    entries.set(f.name, entry);
  }
  return entries;
}

/** Checks the model's URLs; 'bad-input' names the one that is wrong. */
export function checkModel(model: StoreModel): string {
  const http = (text: string, what: string): URL => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new EngineError('bad-input', `The ${what} of ${model.id} is not a URL: “${text}”.`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new EngineError('bad-input', `The ${what} of ${model.id} must be http(s).`);
    }
    return url;
  };
  http(model.model, 'model URL');
  http(model.model_lib, 'library URL');
  for (const [name, digest] of Object.entries(model.digests ?? {})) parseDigest(digest, name);
  return modelBase(model.model);
}

/** The files to fetch, in order: config, manifest, tokenizer, library, shards, tensor-cache last. */
export function planFiles(
  model: StoreModel,
  config: ArrayBuffer,
  tensorCache: unknown,
  manifest: Map<string, ManifestEntry>,
): PlannedFile[] {
  const base = modelBase(model.model);
  const configName = `${CHAT_CONFIG} of ${model.id}`;
  const at = (name: string, listedIn = configName) => fileInside(base, name, listedIn);
  const digestOf = (name: string) => model.digests?.[name] ?? manifest.get(name)?.sha256;
  const file = (
    name: string,
    url: string,
    db: PlannedFile['db'],
    extra: Partial<PlannedFile> = {},
  ): PlannedFile => {
    const digest = digestOf(name);
    const size = manifest.get(name)?.size;
    return {
      name,
      url,
      db,
      kind: 'arraybuffer',
      shard: false,
      ...(size === undefined ? {} : { size }),
      ...(digest === undefined ? {} : { digest }),
      ...extra,
    };
  };
  const configUrl = at(CHAT_CONFIG);
  const tensorUrl = at(TENSOR_CACHE);
  const files: PlannedFile[] = [
    file(CHAT_CONFIG, configUrl, 'webllm/config', { size: config.byteLength }),
  ];
  if (model.model_manifest !== undefined) {
    files.push(file(model.model_manifest, at(model.model_manifest), 'webllm/config'));
  }
  const tokenizer = tokenizerFile(config, configUrl);
  files.push(file(tokenizer, at(tokenizer), 'webllm/model'));
  const lib = libraryFile(model);
  if (lib) files.push(lib);
  for (const shard of parseTensorCache(tensorCache, tensorUrl)) {
    const listed = manifest.get(shard.dataPath)?.size;
    if (listed !== undefined && listed !== shard.nbytes) {
      throw new EngineError(
        'bad-response',
        `${TALLY_MANIFEST} says ${shard.dataPath} is ${listed} bytes; ${TENSOR_CACHE} says ${shard.nbytes}.`,
      );
    }
    files.push(
      file(shard.dataPath, at(shard.dataPath, tensorUrl), 'webllm/model', {
        size: shard.nbytes,
        shard: true,
      }),
    );
  }
  files.push(file(TENSOR_CACHE, tensorUrl, 'webllm/model', { kind: 'json' }));
  return files;
}
