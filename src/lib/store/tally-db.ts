// Tally's own record of downloads (database `tally-downloads`): one entry per model and the byte
// ranges of files not yet complete. Unreadable entries are reported, never thrown over others.
import { EngineError, type SerializedError } from '../engine/errors';
import { inTransaction, openDatabase, requestResult } from './idb';
import type { PlannedFile, StoreModel } from './types';

export const TALLY_DB = 'tally-downloads';
const VERSION = 1;
const MODELS = 'models';
const CHUNKS = 'chunks';
/** Bumped when Entry changes shape; older entries are reset with a notice. */
export const ENTRY_FORMAT = 1;

export interface FileState extends PlannedFile {
  /** complete, verified and in web-llm's database (tensor-cache.json: verified, written last) */
  done: boolean;
}

/** A download Tally knows of, complete or not. */
export interface Entry {
  format: typeof ENTRY_FORMAT;
  id: string;
  model: StoreModel;
  /** modelBase(model.model) */
  base: string;
  /** every file, tensor-cache.json last; empty until planned */
  files: FileState[];
  status: 'partial' | 'complete';
  /** why it is not downloading: a person paused it, or it failed; cleared by start/resume */
  hold?: { reason: 'paused' | 'error'; error?: SerializedError };
  /** ms since epoch */
  updatedAt: number;
}

/** A persisted byte range `[start, end)` of a file still downloading. */
export interface Chunk {
  url: string;
  /** bytes */
  start: number;
  /** bytes, exclusive */
  end: number;
  data: ArrayBuffer;
}

function upgrade(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'id' });
  if (!db.objectStoreNames.contains(CHUNKS)) {
    db.createObjectStore(CHUNKS, { keyPath: ['url', 'start', 'end'] });
  }
}

async function open(): Promise<IDBDatabase> {
  try {
    return await openDatabase(TALLY_DB, VERSION, upgrade);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'VersionError') {
      throw new EngineError(
        'storage',
        'The download records in this browser were written by a newer version of Tally. Reload ' +
          'the page to get that version; nothing was changed.',
        { cause: error },
      );
    }
    throw error;
  }
}

/** Every key [url, start, end] of one URL: arrays sort after numbers, so [url, []] bounds them. */
function urlRange(url: string): IDBKeyRange {
  return IDBKeyRange.bound([url], [url, []]);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

function parseFile(raw: unknown): FileState | undefined {
  if (!isObject(raw)) return undefined;
  const { name, url, db, kind, size, digest, shard, done } = raw;
  if (typeof name !== 'string' || typeof url !== 'string') return undefined;
  if (db !== 'webllm/config' && db !== 'webllm/wasm' && db !== 'webllm/model') return undefined;
  if (kind !== 'arraybuffer' && kind !== 'json') return undefined;
  if (size !== undefined && !isSize(size)) return undefined;
  if (digest !== undefined && typeof digest !== 'string') return undefined;
  if (typeof shard !== 'boolean' || typeof done !== 'boolean') return undefined;
  return {
    name,
    url,
    db,
    kind,
    shard,
    done,
    ...(size === undefined ? {} : { size }),
    ...(digest === undefined ? {} : { digest }),
  };
}

function parseModel(raw: unknown): StoreModel | undefined {
  if (!isObject(raw)) return undefined;
  const { id, model, model_lib, model_manifest, digests } = raw;
  if (typeof id !== 'string' || typeof model !== 'string' || typeof model_lib !== 'string') {
    return undefined;
  }
  if (model_manifest !== undefined && typeof model_manifest !== 'string') return undefined;
  let checked: Record<string, string> | undefined;
  if (digests !== undefined) {
    if (!isObject(digests)) return undefined;
    checked = {};
    for (const [k, v] of Object.entries(digests)) {
      if (typeof v !== 'string') return undefined;
      checked[k] = v;
    }
  }
  return {
    id,
    model,
    model_lib,
    ...(model_manifest === undefined ? {} : { model_manifest }),
    ...(checked === undefined ? {} : { digests: checked }),
  };
}

/** What was read back: an entry, or why it could not be used (its id when it has one). */
export type ParsedEntry = { ok: true; entry: Entry } | { ok: false; id?: string; problem: string };

/** Checks a stored value field by field; anything else is reported, not trusted. */
export function parseEntry(raw: unknown): ParsedEntry {
  if (!isObject(raw)) return { ok: false, problem: 'a saved download record is unreadable' };
  const id = typeof raw.id === 'string' ? raw.id : undefined;
  const fail = (problem: string): ParsedEntry =>
    id === undefined ? { ok: false, problem } : { ok: false, id, problem };
  if (raw.format !== ENTRY_FORMAT) {
    return fail(
      `the saved download state of ${id ?? 'a model'} is from another version of Tally (format ${String(raw.format)})`,
    );
  }
  const model = parseModel(raw.model);
  if (!id || !model || model.id !== id || typeof raw.base !== 'string') {
    return fail(`the saved download state of ${id ?? 'a model'} is damaged`);
  }
  if (!Array.isArray(raw.files)) return fail(`the saved file list of ${id} is damaged`);
  const files: FileState[] = [];
  for (const f of raw.files) {
    const file = parseFile(f);
    if (!file) return fail(`the saved file list of ${id} is damaged`);
    files.push(file);
  }
  if (raw.status !== 'partial' && raw.status !== 'complete') {
    return fail(`the saved status of ${id} is damaged`);
  }
  let hold: Entry['hold'];
  if (isObject(raw.hold)) {
    const { reason, error } = raw.hold;
    if (reason === 'paused' || reason === 'error') {
      hold = { reason };
      if (isObject(error) && typeof error.code === 'string' && typeof error.message === 'string') {
        hold.error = { code: error.code as SerializedError['code'], message: error.message };
      }
    }
  }
  return {
    ok: true,
    entry: {
      format: ENTRY_FORMAT,
      id,
      model,
      base: raw.base,
      files,
      status: raw.status,
      ...(hold ? { hold } : {}),
      updatedAt: typeof raw.updatedAt === 'number' ? raw.updatedAt : 0,
    },
  };
}

/** Every saved entry, parsed; `raw` keeps the key of those that did not parse. */
export async function readEntries(): Promise<{ parsed: ParsedEntry; key: IDBValidKey }[]> {
  const db = await open();
  return inTransaction(db, MODELS, 'readonly', async (tx) => {
    const store = tx.objectStore(MODELS);
    const [keys, values] = await Promise.all([
      requestResult(store.getAllKeys()),
      requestResult<unknown[]>(store.getAll()),
    ]);
    return values.map((value, i) => ({ parsed: parseEntry(value), key: keys[i] ?? '' }));
  });
}

/** The entry for `id`: undefined when absent, a problem when unreadable. */
export async function readEntry(id: string): Promise<ParsedEntry | undefined> {
  const db = await open();
  const raw = await inTransaction(db, MODELS, 'readonly', (tx) =>
    requestResult<unknown>(tx.objectStore(MODELS).get(id)),
  );
  return raw === undefined ? undefined : parseEntry(raw);
}

export async function writeEntry(entry: Entry): Promise<void> {
  const db = await open();
  await inTransaction(db, MODELS, 'readwrite', (tx) => {
    tx.objectStore(MODELS).put({ ...entry, updatedAt: Date.now() });
  });
}

export async function deleteEntry(key: IDBValidKey): Promise<void> {
  const db = await open();
  await inTransaction(db, MODELS, 'readwrite', (tx) => {
    tx.objectStore(MODELS).delete(key);
  });
}

/** Persists one range of a file in progress. */
export async function writeChunk(chunk: Chunk): Promise<void> {
  const db = await open();
  await inTransaction(db, CHUNKS, 'readwrite', (tx) => {
    tx.objectStore(CHUNKS).put(chunk);
  });
}

/** The persisted ranges of a file, in order of start. */
export async function readChunks(url: string): Promise<Chunk[]> {
  const db = await open();
  const values = await inTransaction(db, CHUNKS, 'readonly', (tx) =>
    requestResult<unknown[]>(tx.objectStore(CHUNKS).getAll(urlRange(url))),
  );
  return values.filter(
    (v): v is Chunk =>
      isObject(v) &&
      v.url === url &&
      isSize(v.start) &&
      isSize(v.end) &&
      v.data instanceof ArrayBuffer &&
      v.data.byteLength === v.end - v.start,
  );
}

export async function deleteChunks(urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const db = await open();
  await inTransaction(db, CHUNKS, 'readwrite', (tx) => {
    for (const url of urls) tx.objectStore(CHUNKS).delete(urlRange(url));
  });
}

/** Bytes persisted per URL, from the keys alone (no chunk data is read). */
export async function chunkBytes(): Promise<Map<string, number>> {
  const db = await open();
  const keys = await inTransaction(db, CHUNKS, 'readonly', (tx) =>
    requestResult(tx.objectStore(CHUNKS).getAllKeys()),
  );
  const bytes = new Map<string, number>();
  for (const key of keys) {
    if (!Array.isArray(key)) continue;
    const [url, start, end] = key as unknown[];
    if (typeof url === 'string' && isSize(start) && isSize(end)) {
      bytes.set(url, (bytes.get(url) ?? 0) + end - start);
    }
  }
  return bytes;
}
