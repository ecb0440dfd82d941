// What is on disk, and what each key means: the one module that knows both databases the store
// writes. web-llm 0.2.86's IndexedDB cache (cacheBackend "indexeddb", read from its lib/index.js:
// a change there breaks web-llm's hasModelInCache in webllm-layout.browser.test.ts, loudly), and
// Tally's own record of downloads (`tally-downloads`: one entry per model, the byte ranges of files
// not yet complete). Then what needs both: which files are present, listing, deleting.
import { EngineError, type SerializedError } from '../engine/errors';
import { deleteDatabase, inTransaction, openDatabase, requestResult } from './idb';
import { capitalized } from '../format';
import { storageError } from './quota';
import type { ModelOnDisk, PlannedFile, StoreModel, WebLLMDatabase } from './types';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isSize = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

// web-llm's databases: `webllm/config`, `webllm/wasm`, `webllm/model`, each keyed by file URL.

/** The web-llm version whose layout this module writes (package.json pins it exactly). */
export const WEBLLM_VERSION = '0.2.86';

/** ArtifactIndexedDBCache: one database per scope, opened at version 1. */
const WEBLLM_DB_VERSION = 1;
/** …with a single object store, keyPath 'url', values `{ url, data }`. */
const URLS = 'urls';

export const DATABASES: readonly WebLLMDatabase[] = [
  'webllm/config',
  'webllm/wasm',
  'webllm/model',
];

/** web-llm's file names (TENSOR_CACHE_MANIFEST_FILENAME and the literals in reloadInternal). */
export const TENSOR_CACHE = 'tensor-cache.json';
export const CHAT_CONFIG = 'mlc-chat-config.json';

/** One shard as tensor-cache.json lists it (web-llm reads `records[i].dataPath` and `.nbytes`). */
export interface ShardRecord {
  dataPath: string;
  /** bytes */
  nbytes: number;
}

/** The shard list web-llm reads from tensor-cache.json (given parsed, as web-llm stores it). */
export function parseTensorCache(value: unknown, url: string): ShardRecord[] {
  const bad = (why: string) =>
    new EngineError('bad-response', `${url} is not an MLC weight index: ${why}.`);
  if (!isObject(value) || !Array.isArray(value.records)) throw bad('it has no records list');
  if (value.records.length === 0) throw bad('it lists no weight shards');
  const seen = new Set<string>();
  const records = value.records.map((record: unknown, i) => {
    if (!isObject(record) || typeof record.dataPath !== 'string' || record.dataPath === '') {
      throw bad(`record ${i} has no dataPath`);
    }
    if (!isSize(record.nbytes)) throw bad(`record ${i} has no size (nbytes)`);
    if (seen.has(record.dataPath)) throw bad(`${record.dataPath} is listed twice`);
    seen.add(record.dataPath);
    return { dataPath: record.dataPath, nbytes: record.nbytes };
  });
  if (records.every((r) => r.nbytes === 0)) throw bad('its shards add up to 0 bytes');
  return records;
}

/**
 * web-llm's `cleanModelUrl`: a trailing slash, then `resolve/main/` unless the URL already has a
 * `/resolve/<rev>/` part. Every file of the model is `new URL(name, base)`.
 */
export function modelBase(model: string): string {
  let url = model.endsWith('/') ? model : `${model}/`;
  if (!/.+\/resolve\/.+\//.test(url)) url += 'resolve/main/';
  return new URL(url).href;
}

/**
 * web-llm fetches a library it would not cache (a URL holding "localhost", or a relative one)
 * on every load; storing it would only waste space.
 */
export function webllmCachesLibrary(modelLib: string): boolean {
  return modelLib.startsWith('http') && !modelLib.includes('localhost');
}

/** The model library as web-llm caches it (keyed by its URL), or undefined when it does not. */
export function libraryFile(model: StoreModel): PlannedFile | undefined {
  if (!webllmCachesLibrary(model.model_lib)) return undefined;
  const digest = model.digests?.lib;
  return {
    name: 'lib',
    url: model.model_lib,
    db: 'webllm/wasm',
    kind: 'arraybuffer',
    shard: false,
    ...(digest === undefined ? {} : { digest }),
  };
}

function upgradeWebLLM(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(URLS)) db.createObjectStore(URLS, { keyPath: 'url' });
}

/**
 * Opens one of web-llm's databases. One that exists without its store (damaged, or made by
 * something else) holds nothing web-llm can read, and every transaction on it would fail: it is
 * deleted and made again as web-llm makes it, at the version web-llm opens.
 */
async function openWebLLM(name: WebLLMDatabase): Promise<IDBDatabase> {
  const db = await openDatabase(name, WEBLLM_DB_VERSION, upgradeWebLLM);
  if (db.objectStoreNames.contains(URLS)) return db;
  // web-llm never closes its connections: one held by another tab (or this tab's engine) keeps
  // the damaged database alive; say so rather than wait for ever.
  await deleteDatabase(
    name,
    () =>
      new EngineError(
        'storage',
        `The browser database ${name} is damaged and another Tally tab or widget holds it open: ` +
          'close the other Tally tabs (or reload this one) and try again.',
      ),
  );
  return openDatabase(name, WEBLLM_DB_VERSION, upgradeWebLLM);
}

/** The value web-llm reads back: `data` is an ArrayBuffer, or the parsed tensor-cache.json. */
export interface WebLLMEntry {
  url: string;
  data: unknown;
}

/** Writes one complete file where web-llm looks for it (replacing any older copy). */
export async function putFile(
  file: Pick<PlannedFile, 'db' | 'url'>,
  data: ArrayBuffer | object,
): Promise<void> {
  const db = await openWebLLM(file.db);
  await inTransaction(db, URLS, 'readwrite', (tx) => {
    tx.objectStore(URLS).put({ url: file.url, data } satisfies WebLLMEntry);
  });
}

/** Reads an entry's `data`, or undefined when web-llm has no such URL. */
export async function getFile(db: WebLLMDatabase, url: string): Promise<unknown> {
  const conn = await openWebLLM(db);
  const value = await inTransaction(conn, URLS, 'readonly', (tx) =>
    requestResult<unknown>(tx.objectStore(URLS).get(url)),
  );
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return 'data' in value ? value.data : undefined;
}

/** Which of `urls` web-llm has (as its `hasAllKeys` checks: the key exists). */
export async function presentUrls(db: WebLLMDatabase, urls: string[]): Promise<Set<string>> {
  const conn = await openWebLLM(db);
  const keys = await inTransaction(conn, URLS, 'readonly', (tx) =>
    Promise.all(urls.map((url) => requestResult(tx.objectStore(URLS).getKey(url)))),
  );
  return new Set(urls.filter((_, i) => keys[i] !== undefined));
}

/** Every key (URL) in one of web-llm's databases. */
export async function allUrls(db: WebLLMDatabase): Promise<string[]> {
  const conn = await openWebLLM(db);
  const keys = await inTransaction(conn, URLS, 'readonly', (tx) =>
    requestResult(tx.objectStore(URLS).getAllKeys()),
  );
  return keys.filter((k): k is string => typeof k === 'string');
}

/** Deletes entries; absent URLs are fine. */
export async function deleteUrls(db: WebLLMDatabase, urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const conn = await openWebLLM(db);
  await inTransaction(conn, URLS, 'readwrite', (tx) => {
    for (const url of urls) tx.objectStore(URLS).delete(url);
  });
}

// Tally's database `tally-downloads`: `models` (one Entry per model id) and `chunks` (byte ranges
// keyed [url, start, end] of files still downloading). Unreadable entries are reported, never
// thrown over others.

export const TALLY_DB = 'tally-downloads';
const TALLY_VERSION = 1;
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

function upgradeTally(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(MODELS)) db.createObjectStore(MODELS, { keyPath: 'id' });
  if (!db.objectStoreNames.contains(CHUNKS)) {
    db.createObjectStore(CHUNKS, { keyPath: ['url', 'start', 'end'] });
  }
}

/** Connections whose stores were found as upgradeTally makes them. */
const wellFormed = new WeakSet<IDBDatabase>();
/** A rebuild of a damaged database under way: every caller waits for the one. */
let rebuilding: Promise<IDBDatabase> | undefined;
/** Saved records a rebuild could not keep (no id, or an id repeated): the next listing says so. */
let leftOutByRebuild = 0;

/**
 * Opens Tally's database. One that is not as upgradeTally makes it (a store missing, or keyed
 * otherwise, as something else that made the database at this version left it) is rebuilt.
 */
async function openTally(): Promise<IDBDatabase> {
  let db;
  try {
    db = await openDatabase(TALLY_DB, TALLY_VERSION, upgradeTally);
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
  if (wellFormed.has(db)) return db;
  const names = db.objectStoreNames;
  if (names.contains(MODELS) && names.contains(CHUNKS)) {
    const tx = db.transaction([MODELS, CHUNKS], 'readonly');
    const chunkKey = tx.objectStore(CHUNKS).keyPath;
    if (
      tx.objectStore(MODELS).keyPath === 'id' &&
      Array.isArray(chunkKey) &&
      chunkKey.join() === 'url,start,end'
    ) {
      wellFormed.add(db);
      return db;
    }
  }
  rebuilding ??= rebuildTally(db).finally(() => {
    rebuilding = undefined;
  });
  return rebuilding;
}

/**
 * Makes Tally's database again as upgradeTally makes it, keeping every saved record that has an
 * id, each id once (one that parses before one that does not); the byte ranges of files still
 * downloading are not kept (those files are fetched again: finished files are in web-llm's
 * databases, untouched).
 */
async function rebuildTally(damaged: IDBDatabase): Promise<IDBDatabase> {
  const records = damaged.objectStoreNames.contains(MODELS)
    ? await inTransaction(damaged, MODELS, 'readonly', (tx) =>
        requestResult<unknown[]>(tx.objectStore(MODELS).getAll()),
      )
    : [];
  const kept = new Map<string, unknown>();
  for (const raw of records) {
    if (!isObject(raw) || typeof raw.id !== 'string') continue;
    const first = kept.get(raw.id);
    if (first === undefined || (!parseEntry(first).ok && parseEntry(raw).ok)) kept.set(raw.id, raw);
  }
  await deleteDatabase(
    TALLY_DB,
    () =>
      new EngineError(
        'storage',
        'The download records in this browser are damaged and another Tally tab or widget holds ' +
          'them open: close the other Tally tabs (or reload this one) and try again.',
      ),
  );
  const db = await openDatabase(TALLY_DB, TALLY_VERSION, upgradeTally);
  await inTransaction(db, MODELS, 'readwrite', (tx) => {
    for (const raw of kept.values()) tx.objectStore(MODELS).put(raw);
  });
  leftOutByRebuild += records.length - kept.size;
  wellFormed.add(db);
  return db;
}

/** Every key [url, start, end] of one URL: arrays sort after numbers, so [url, []] bounds them. */
function urlRange(url: string): IDBKeyRange {
  return IDBKeyRange.bound([url], [url, []]);
}

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
  if (raw.status === 'complete' && files.length === 0) {
    return fail(`the saved file list of ${id} is empty`);
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
  const db = await openTally();
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
  const db = await openTally();
  const raw = await inTransaction(db, MODELS, 'readonly', (tx) =>
    requestResult<unknown>(tx.objectStore(MODELS).get(id)),
  );
  return raw === undefined ? undefined : parseEntry(raw);
}

export async function writeEntry(entry: Entry): Promise<void> {
  const db = await openTally();
  await inTransaction(db, MODELS, 'readwrite', (tx) => {
    tx.objectStore(MODELS).put({ ...entry, updatedAt: Date.now() });
  });
}

export async function deleteEntry(key: IDBValidKey): Promise<void> {
  const db = await openTally();
  await inTransaction(db, MODELS, 'readwrite', (tx) => {
    tx.objectStore(MODELS).delete(key);
  });
}

/** Persists one range of a file in progress. */
export async function writeChunk(chunk: Chunk): Promise<void> {
  const db = await openTally();
  await inTransaction(db, CHUNKS, 'readwrite', (tx) => {
    tx.objectStore(CHUNKS).put(chunk);
  });
}

/** The persisted ranges of a file, in order of start. */
export async function readChunks(url: string): Promise<Chunk[]> {
  const db = await openTally();
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
  const db = await openTally();
  await inTransaction(db, CHUNKS, 'readwrite', (tx) => {
    for (const url of urls) tx.objectStore(CHUNKS).delete(urlRange(url));
  });
}

/** Bytes persisted per URL, from the keys alone (no chunk data is read). */
export async function chunkBytes(): Promise<Map<string, number>> {
  const db = await openTally();
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

// Both databases at once: a model's files are present when web-llm has their keys; Tally's entry
// says which keys are the model's and which ranges are partial.

/** Reads which of an entry's files are in web-llm's databases. */
export async function presence(files: PlannedFile[]): Promise<Set<string>> {
  const byDb = new Map<PlannedFile['db'], string[]>();
  for (const f of files) byDb.set(f.db, [...(byDb.get(f.db) ?? []), f.url]);
  const present = new Set<string>();
  for (const [db, urls] of byDb) for (const url of await presentUrls(db, urls)) present.add(url);
  return present;
}

/** Records why a download stopped (or, with undefined, that it goes on); never throws. */
export async function setHold(id: string, hold: Entry['hold']): Promise<void> {
  const found = await readEntry(id).catch(() => undefined);
  if (!found?.ok || (hold === undefined && !found.entry.hold)) return;
  const entry = { ...found.entry };
  if (hold) entry.hold = hold;
  else delete entry.hold;
  await writeEntry(entry).catch(() => undefined);
}

/** Deletes chunks whose file no saved entry lists (left by a reset or damaged record). */
async function sweepChunks(): Promise<void> {
  const listed = new Set<string>();
  for (const { parsed } of await readEntries()) {
    if (parsed.ok) for (const f of parsed.entry.files) listed.add(f.url);
  }
  const orphans = [...(await chunkBytes()).keys()].filter((url) => !listed.has(url));
  await deleteChunks(orphans);
}

/** What other models hold: every URL another saved entry names, and every other model folder. */
interface Others {
  urls: Set<string>;
  folders: string[];
}

/** What models other than `self` (a saved entry's id, or a folder web-llm fetched) hold. */
async function othersThan(self: { id?: string; base: string }): Promise<Others> {
  const urls = new Set<string>();
  const folders = new Set<string>();
  for (const { parsed } of await readEntries()) {
    if (!parsed.ok || parsed.entry.id === self.id) continue;
    urls.add(parsed.entry.model.model_lib);
    for (const f of parsed.entry.files) urls.add(f.url);
    folders.add(parsed.entry.base);
  }
  for (const url of await allUrls('webllm/model')) {
    if (url.endsWith(`/${TENSOR_CACHE}`)) folders.add(url.slice(0, -TENSOR_CACHE.length));
  }
  folders.delete(self.base);
  return { urls, folders: [...folders] };
}

/** Deletes keys from web-llm's databases, weight indexes first (web-llm then sees no model). */
async function deleteKeys(keys: Pick<PlannedFile, 'db' | 'url'>[]): Promise<void> {
  const indexes = keys.filter((k) => k.url.endsWith(`/${TENSOR_CACHE}`));
  for (const group of [indexes, keys]) {
    for (const db of DATABASES) {
      await deleteUrls(
        db,
        group.filter((k) => k.db === db).map((k) => k.url),
      );
    }
  }
}

/** Deletes an entry's library from web-llm's cache, unless another model uses it too. */
async function removeLibrary(entry: Entry): Promise<void> {
  const others = await othersThan(entry);
  await deleteKeys(entry.files.filter((f) => f.db === 'webllm/wasm' && !others.urls.has(f.url)));
}

/**
 * Deletes a model's files from web-llm's databases (index first): exactly the files its entry
 * names, less any another saved model names too (a shared library, a folder two ids share); then
 * its partial data and the entry. Keys under its folder it does not name stay: they may be another
 * model's, whose folder URL lies inside this one's.
 */
async function removeEntryData(entry: Entry): Promise<void> {
  const others = await othersThan(entry);
  await deleteKeys(entry.files.filter((f) => !others.urls.has(f.url)));
  await deleteChunks(entry.files.map((f) => f.url));
  await deleteEntry(entry.id);
}

/**
 * Deletes a folder web-llm fetched itself (no entry says which files are its own): its keys in
 * web-llm's databases, index first, but none inside another model's folder that lies inside this
 * one, and none another saved model names.
 */
async function removeFolder(base: string): Promise<void> {
  const others = await othersThan({ base });
  const own = (url: string) =>
    url.startsWith(base) &&
    !others.urls.has(url) &&
    !others.folders.some((folder) => folder.startsWith(base) && url.startsWith(folder));
  const keys: Pick<PlannedFile, 'db' | 'url'>[] = [];
  for (const db of ['webllm/model', 'webllm/config'] as const) {
    for (const url of (await allUrls(db)).filter(own)) keys.push({ db, url });
  }
  await deleteKeys(keys);
}

/** Reads the saved entry of `model`; resets it (with a notice) when damaged or for other URLs. */
export async function loadEntry(
  model: StoreModel,
  base: string,
  notice: (message: string) => void,
): Promise<Entry | undefined> {
  let found;
  try {
    found = await readEntry(model.id);
  } catch (error) {
    throw storageError(error);
  }
  if (!found) return undefined;
  if (!found.ok) {
    notice(`${capitalized(found.problem)}: its download starts over. Other models are untouched.`);
    await deleteEntry(model.id);
    await sweepChunks();
    return undefined;
  }
  const entry = found.entry;
  if (entry.base !== base) {
    notice(`${model.id} now comes from another URL: the earlier copy was removed.`);
    await removeEntryData(entry);
    return undefined;
  }
  if (entry.model.model_lib !== model.model_lib) {
    // a web-llm upgrade moves libraries, not weights: fetch the library alone
    notice(`${model.id} has a new library: it is fetched again; the weights are kept.`);
    await removeLibrary(entry);
    const lib = libraryFile(model);
    entry.files = entry.files.filter((f) => f.db !== 'webllm/wasm');
    if (lib) entry.files.push({ ...lib, done: false });
    entry.status = 'partial';
  }
  entry.model = model;
  for (const f of entry.files) {
    const digest = f.name === 'lib' ? model.digests?.lib : model.digests?.[f.name];
    if (digest !== undefined) f.digest = digest;
  }
  return entry;
}

/**
 * Deletes a model by its key from `listModels` (a model id, or a folder URL for models web-llm
 * fetched itself), and any partial data. Run it while holding the model's download lock.
 */
export async function removeModel(key: string): Promise<void> {
  try {
    const found = await readEntry(key);
    if (found?.ok) {
      await removeEntryData(found.entry);
    } else if (found) {
      await deleteEntry(key);
    } else if (/^https?:\/\//.test(key)) {
      await removeFolder(modelBase(key));
    }
    await sweepChunks();
  } catch (error) {
    throw storageError(error, 'deleting the model');
  }
}

/** What is in this browser's storage, as the storage list shows it. */
export interface Listing {
  /** each key once */
  models: ModelOnDisk[];
  /** saved records left out: unreadable, or repeating a key already listed */
  leftOut: number;
}

/** Every model in this browser's storage: Tally's downloads, and folders web-llm fetched itself. */
export async function listModels(): Promise<Listing> {
  let entries;
  let chunks;
  try {
    [entries, chunks] = await Promise.all([readEntries(), chunkBytes()]);
  } catch (error) {
    throw storageError(error, 'reading the models stored on this device');
  }
  let leftOut = leftOutByRebuild;
  leftOutByRebuild = 0;
  const out: ModelOnDisk[] = [];
  const keys = new Set<string>();
  // a keyed list shows each key once: a second record of a key would blank the whole list
  const add = (model: ModelOnDisk) => {
    if (keys.has(model.key)) leftOut += 1;
    else out.push(model);
    keys.add(model.key);
  };
  const bases = new Set<string>();
  for (const { parsed, key } of entries) {
    if (!parsed.ok) {
      add({
        key: parsed.id ?? (typeof key === 'string' ? key : JSON.stringify(key)),
        base: '',
        bytes: 0,
        status: 'damaged',
        foreign: false,
        checked: 'none',
        problem: `${capitalized(parsed.problem)}. Delete it to start that download over.`,
      });
      continue;
    }
    const e = parsed.entry;
    bases.add(e.base);
    const present = await presence(e.files);
    let bytes = 0;
    let total = 0;
    for (const f of e.files) {
      total += f.size ?? 0;
      bytes += present.has(f.url) ? (f.size ?? 0) : (chunks.get(f.url) ?? 0);
    }
    const complete = e.status === 'complete' && e.files.every((f) => present.has(f.url));
    add({
      key: e.id,
      model: e.model,
      base: e.base,
      bytes,
      ...(total > 0 ? { bytesTotal: total } : {}),
      status: complete ? 'complete' : 'partial',
      ...(e.hold ? { hold: e.hold } : {}),
      foreign: false,
      checked: e.files.every((f) => f.db === 'webllm/wasm' || f.digest !== undefined)
        ? 'digest'
        : 'size',
    });
  }
  const suffix = `/${TENSOR_CACHE}`;
  for (const url of await allUrls('webllm/model')) {
    if (!url.endsWith(suffix)) continue;
    const base = url.slice(0, -TENSOR_CACHE.length);
    if (bases.has(base)) continue;
    try {
      const shards = parseTensorCache(await getFile('webllm/model', url), url);
      const urls = shards.map((s) => new URL(s.dataPath, base).href);
      const present = await presentUrls('webllm/model', urls);
      const total = shards.reduce((sum, s) => sum + s.nbytes, 0);
      const bytes = shards.reduce(
        (sum, s, i) => sum + (present.has(urls[i] ?? '') ? s.nbytes : 0),
        0,
      );
      add({
        key: base,
        base,
        bytes,
        bytesTotal: total,
        status: present.size === urls.length ? 'complete' : 'partial',
        foreign: true,
        checked: 'none',
      });
    } catch {
      add({
        key: base,
        base,
        bytes: 0,
        status: 'damaged',
        foreign: true,
        checked: 'none',
        problem: `web-llm's index of ${base} is unreadable. Delete it to free its space.`,
      });
    }
  }
  return { models: out, leftOut };
}
