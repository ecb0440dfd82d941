// web-llm 0.2.86's IndexedDB cache layout (cacheBackend "indexeddb"), read from its lib/index.js:
// a change there breaks web-llm's hasModelInCache in webllm-layout.browser.test.ts, loudly.
import type { PlannedFile, WebLLMDatabase } from './types';
import { EngineError } from '../engine/errors';
import { closeDatabase, inTransaction, openDatabase, requestResult } from './idb';

/** The web-llm version whose layout this module writes (package.json pins it exactly). */
export const WEBLLM_VERSION = '0.2.86';

/** ArtifactIndexedDBCache: one database per scope, opened at version 1. */
const DB_VERSION = 1;
/** …with a single object store, keyPath 'url', values `{ url, data }`. */
const STORE = 'urls';

export const DATABASES: readonly WebLLMDatabase[] = [
  'webllm/config',
  'webllm/wasm',
  'webllm/model',
];

/** web-llm's file names (TENSOR_CACHE_MANIFEST_FILENAME and the literals in reloadInternal). */
export const TENSOR_CACHE = 'tensor-cache.json';
export const CHAT_CONFIG = 'mlc-chat-config.json';

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

function upgrade(db: IDBDatabase): void {
  if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: 'url' });
}

/**
 * Opens one of web-llm's databases. One that exists without its store (damaged, or made by
 * something else) holds nothing web-llm can read, and every transaction on it would fail: it is
 * deleted and made again as web-llm makes it, at the version web-llm opens.
 */
async function open(name: WebLLMDatabase): Promise<IDBDatabase> {
  const db = await openDatabase(name, DB_VERSION, upgrade);
  if (db.objectStoreNames.contains(STORE)) return db;
  await closeDatabase(name);
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => {
      resolve();
    };
    request.onerror = () => {
      reject(request.error ?? new DOMException(`Could not delete ${name}`, 'UnknownError'));
    };
    // web-llm never closes its connections: one held by another tab (or this tab's engine) keeps
    // the damaged database alive; say so rather than wait for ever.
    request.onblocked = () => {
      reject(
        new EngineError(
          'storage',
          `The browser database ${name} is damaged and another Tally tab or widget holds it open: ` +
            'close the other Tally tabs (or reload this one) and try again.',
        ),
      );
    };
  });
  return openDatabase(name, DB_VERSION, upgrade);
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
  const db = await open(file.db);
  await inTransaction(db, STORE, 'readwrite', (tx) => {
    tx.objectStore(STORE).put({ url: file.url, data } satisfies WebLLMEntry);
  });
}

/** Reads an entry's `data`, or undefined when web-llm has no such URL. */
export async function getFile(db: WebLLMDatabase, url: string): Promise<unknown> {
  const conn = await open(db);
  const value = await inTransaction(conn, STORE, 'readonly', (tx) =>
    requestResult<unknown>(tx.objectStore(STORE).get(url)),
  );
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  return 'data' in value ? value.data : undefined;
}

/** Which of `urls` web-llm has (as its `hasAllKeys` checks: the key exists). */
export async function presentUrls(db: WebLLMDatabase, urls: string[]): Promise<Set<string>> {
  const conn = await open(db);
  const keys = await inTransaction(conn, STORE, 'readonly', (tx) =>
    Promise.all(urls.map((url) => requestResult(tx.objectStore(STORE).getKey(url)))),
  );
  return new Set(urls.filter((_, i) => keys[i] !== undefined));
}

/** Every key (URL) in one of web-llm's databases. */
export async function allUrls(db: WebLLMDatabase): Promise<string[]> {
  const conn = await open(db);
  const keys = await inTransaction(conn, STORE, 'readonly', (tx) =>
    requestResult(tx.objectStore(STORE).getAllKeys()),
  );
  return keys.filter((k): k is string => typeof k === 'string');
}

/** Deletes entries; absent URLs are fine. */
export async function deleteUrls(db: WebLLMDatabase, urls: string[]): Promise<void> {
  if (urls.length === 0) return;
  const conn = await open(db);
  await inTransaction(conn, STORE, 'readwrite', (tx) => {
    for (const url of urls) tx.objectStore(STORE).delete(url);
  });
}
