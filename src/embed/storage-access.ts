// In a cross-site iframe a browser may give the widget separate (partitioned) storage, or none, so a
// model downloaded on Tally's site is out of reach. Finds out, asks, copies; fails as EngineError.
//
// What browsers do (see docs/ARCHITECTURE.md, "PWA and widget"): Chromium with third-party cookies
// allowed gives a cross-site frame Tally's own IndexedDB; with them blocked it gives none, and a
// storage-access grant does not bring it back. Firefox and Safari partition it per embedding site.
// `document.requestStorageAccess({ indexedDB: true })` (Chrome 125+) returns a handle whose
// `.indexedDB` reaches Tally's first-party databases, but only from this document: web-llm runs in
// a dedicated worker and opens the global `indexedDB` itself, and an IDBFactory cannot be sent to a
// worker. So after a grant the widget looks again at its own storage (a grant may have unpartitioned
// it), and otherwise copies the model through the handle into its own storage, where the worker finds it.
import { EngineError, isAbort } from '../lib/engine/errors';
import type { ModelBuild } from '../lib/models/catalog';
import {
  CHAT_CONFIG,
  DATABASES,
  TENSOR_CACHE,
  modelBase,
  parseTensorCache,
} from '../lib/store/disk';
import type { WebLLMDatabase } from '../lib/store/types';
import type { StorageKind } from './protocol';

/** Where this document sits. */
export interface Placement {
  /** inside a frame */
  framed: boolean;
  /** the top-level page's origin, when the browser tells (ancestorOrigins, or the referrer) */
  topOrigin: string | undefined;
  /** framed by another site (storage may be partitioned or blocked); undefined when unknown */
  crossSite: boolean | undefined;
}

/**
 * The site of an origin as storage partitioning keys it: scheme and registrable domain. Without a
 * public-suffix list this takes the last two labels of a name (IPs and `localhost` whole), which
 * calls `a.co.uk` and `b.co.uk` one site; that only changes which notice the widget shows first.
 */
export function siteOf(origin: string): string {
  const url = new URL(origin);
  const host = url.hostname;
  const ip = /^[\d.]+$/.test(host) || host.startsWith('[');
  const labels = host.split('.');
  return `${url.protocol}//${ip ? host : labels.slice(-2).join('.')}`;
}

/** Where this document is framed, from `location.ancestorOrigins` or the referrer. */
export function placement(): Placement {
  const framed = window.parent !== window;
  if (!framed) return { framed, topOrigin: location.origin, crossSite: false };
  const ancestors = location.ancestorOrigins as DOMStringList | undefined;
  let topOrigin = ancestors && ancestors.length > 0 ? ancestors[ancestors.length - 1] : undefined;
  if (topOrigin === undefined && window.parent === window.top && document.referrer) {
    try {
      topOrigin = new URL(document.referrer).origin;
    } catch {
      topOrigin = undefined;
    }
  }
  if (topOrigin === undefined || topOrigin === 'null') {
    return { framed, topOrigin: undefined, crossSite: undefined };
  }
  return { framed, topOrigin, crossSite: siteOf(topOrigin) !== siteOf(location.origin) };
}

/**
 * What storage this frame has, given whether IndexedDB opened: none ('blocked'), Tally's own
 * ('first-party': same site, or a cross-site frame the browser gives unpartitioned access, which
 * `hasStorageAccess()` reports), or a separate one ('partitioned'; 'unknown' without a top origin).
 */
export async function storageKind(place: Placement, opened: boolean): Promise<StorageKind> {
  if (!opened) return 'blocked';
  if (place.crossSite === false) return 'first-party';
  const access = await document.hasStorageAccess().catch(() => false);
  if (access) return 'first-party';
  return place.crossSite === undefined ? 'unknown' : 'partitioned';
}

/** Whether this frame may use IndexedDB at all (a browser blocking third-party storage says no). */
export async function canUseIndexedDB(): Promise<boolean> {
  try {
    await indexedDB.databases();
    return true;
  } catch {
    return false;
  }
}

/** The part of the Storage Access API that reaches beyond cookies (not yet in TypeScript's DOM). */
interface StorageAccessHandle {
  readonly indexedDB?: IDBFactory;
}
type RequestStorageAccess = (types?: {
  indexedDB: boolean;
}) => Promise<StorageAccessHandle | undefined>;

/** Whether this browser has the Storage Access API at all (Chrome, Edge, Firefox, Safari do). */
export function hasStorageAccessApi(): boolean {
  return (
    typeof (document as { requestStorageAccess?: unknown }).requestStorageAccess === 'function'
  );
}

/**
 * Asks for storage access, with Tally's first-party IndexedDB where the browser hands one out
 * (Chrome 125+); undefined where it grants access without a handle (Firefox, Safari). Call it from
 * a click: browsers need a user gesture.
 * @throws EngineError 'storage' when the browser refuses
 */
export async function requestStorageAccess(): Promise<IDBFactory | undefined> {
  const request = (document as { requestStorageAccess?: RequestStorageAccess })
    .requestStorageAccess;
  if (typeof request !== 'function') {
    throw new EngineError('storage', 'This browser has no Storage Access API.');
  }
  try {
    const handle = await request.call(document, { indexedDB: true });
    return handle?.indexedDB;
  } catch (error) {
    throw new EngineError(
      'storage',
      `The browser did not allow the widget to use Tally's own storage${
        error instanceof Error && error.message ? ` (${error.message})` : ''
      }.`,
    );
  }
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error ?? new Error('IndexedDB request failed'));
    };
  });
}

/** Opens one of web-llm's databases in `factory`, creating its store as web-llm would. */
function open(factory: IDBFactory, name: WebLLMDatabase): Promise<IDBDatabase> {
  const req = factory.open(name, 1);
  req.onupgradeneeded = () => {
    if (!req.result.objectStoreNames.contains('urls')) {
      req.result.createObjectStore('urls', { keyPath: 'url' });
    }
  };
  return request(req);
}

async function read(db: IDBDatabase, key: string): Promise<unknown> {
  const value: unknown = await request(db.transaction('urls').objectStore('urls').get(key));
  return typeof value === 'object' && value !== null && 'data' in value ? value.data : undefined;
}

async function keysFrom(db: IDBDatabase, base: string): Promise<string[]> {
  const range = IDBKeyRange.bound(base, `${base}\uffff`);
  const keys = await request(db.transaction('urls').objectStore('urls').getAllKeys(range));
  return keys.filter((k): k is string => typeof k === 'string');
}

/** A model's files in one IndexedDB, by database. */
export interface ModelFiles {
  /** every file web-llm needs is there */
  complete: boolean;
  /** bytes of the weight shards web-llm's index lists */
  bytes: number;
  keys: Map<WebLLMDatabase, string[]>;
}

/**
 * What of `build` sits in `factory` (the partitioned global, or a storage-access handle's).
 * Complete means: config, weight index and every shard it lists (the library web-llm may fetch).
 */
export async function findModel(factory: IDBFactory, build: ModelBuild): Promise<ModelFiles> {
  const base = modelBase(build.model);
  const keys = new Map<WebLLMDatabase, string[]>();
  const dbs = new Map<WebLLMDatabase, IDBDatabase>();
  try {
    for (const name of DATABASES) {
      const db = await open(factory, name);
      dbs.set(name, db);
      const found = await keysFrom(db, name === 'webllm/wasm' ? build.model_lib : base);
      keys.set(name, name === 'webllm/wasm' ? found.filter((k) => k === build.model_lib) : found);
    }
    const model = dbs.get('webllm/model');
    const index = model ? await read(model, new URL(TENSOR_CACHE, base).href) : undefined;
    const hasConfig = (keys.get('webllm/config') ?? []).includes(new URL(CHAT_CONFIG, base).href);
    if (index === undefined || !hasConfig) return { complete: false, bytes: 0, keys };
    const shards = parseTensorCache(index, TENSOR_CACHE);
    const present = new Set(keys.get('webllm/model'));
    const complete = shards.every((s) => present.has(new URL(s.dataPath, base).href));
    return { complete, bytes: shards.reduce((sum, s) => sum + s.nbytes, 0), keys };
  } catch (error) {
    if (error instanceof EngineError) throw error;
    throw new EngineError('storage', `Could not read the model storage: ${String(error)}`);
  } finally {
    for (const db of dbs.values()) db.close();
  }
}

/**
 * Copies `files` (from `findModel(from, …)`) into `to`, one file at a time, the weight index last
 * so an interrupted copy never looks complete. `onProgress` gets bytes copied so far.
 */
export async function copyModel(
  from: IDBFactory,
  to: IDBFactory,
  files: ModelFiles,
  onProgress: (bytes: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  const estimate = await navigator.storage.estimate().catch(() => undefined);
  const free = estimate?.quota !== undefined ? estimate.quota - (estimate.usage ?? 0) : undefined;
  if (free !== undefined && free < files.bytes) {
    throw new EngineError(
      'quota',
      `This site's storage has room for ${Math.floor(free / 1e6)} MB; the model needs ${Math.ceil(files.bytes / 1e6)} MB.`,
    );
  }
  let copied = 0;
  const last: [WebLLMDatabase, string][] = [];
  try {
    for (const [name, keys] of files.keys) {
      const source = await open(from, name);
      const target = await open(to, name);
      try {
        for (const key of keys) {
          if (key.endsWith(`/${TENSOR_CACHE}`)) {
            last.push([name, key]);
            continue;
          }
          signal?.throwIfAborted();
          copied += await copyOne(source, target, key);
          onProgress(copied);
        }
      } finally {
        source.close();
        target.close();
      }
    }
    for (const [name, key] of last) {
      signal?.throwIfAborted();
      const source = await open(from, name);
      const target = await open(to, name);
      try {
        await copyOne(source, target, key);
      } finally {
        source.close();
        target.close();
      }
    }
  } catch (error) {
    if (isAbort(error) || (error instanceof DOMException && error.name === 'AbortError')) {
      throw new EngineError('aborted', 'Copy stopped.');
    }
    if (error instanceof DOMException && error.name === 'QuotaExceededError') {
      throw new EngineError('quota', "This site's storage is full: the model does not fit here.");
    }
    throw error instanceof EngineError
      ? error
      : new EngineError('storage', `Could not copy the model: ${String(error)}`);
  }
}

async function copyOne(source: IDBDatabase, target: IDBDatabase, key: string): Promise<number> {
  const value: unknown = await request(source.transaction('urls').objectStore('urls').get(key));
  if (value === undefined) return 0;
  const tx = target.transaction('urls', 'readwrite');
  tx.objectStore('urls').put(value);
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => {
      resolve();
    };
    tx.onerror = () => {
      reject(tx.error ?? new Error('IndexedDB write failed'));
    };
    tx.onabort = () => {
      reject(tx.error ?? new Error('IndexedDB write aborted'));
    };
  });
  const data =
    typeof value === 'object' && value !== null && 'data' in value ? value.data : undefined;
  return data instanceof ArrayBuffer ? data.byteLength : 0;
}
