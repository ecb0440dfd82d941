// Browser side of `npm run bench:store`: the same fixture model fetched by raw fetch, by a faithful
// copy of web-llm 0.2.86's IndexedDB loader, and by Tally's store; then read back. Throws on any failure.
import { closeDatabase } from '../../src/lib/store/idb';
import type { FetchPolicy } from '../../src/lib/store/fetch-file';
import { DATABASES, TALLY_DB } from '../../src/lib/store/disk';
import { downloadModel } from '../../src/lib/store/download';
import type { StoreModel } from '../../src/lib/store/types';

/** What the runner passes in: the fixture model and its shards. */
export interface BenchModel {
  id: string;
  modelUrl: string;
  libUrl: string;
  shards: { name: string; size: number; sha256: string }[];
  files: { name: string; size: number; sha256: string }[];
}

/** One timed run. */
export interface Timing {
  /** weight bytes moved */
  bytes: number;
  /** ms */
  ms: number;
}

const base = (m: BenchModel) => `${m.modelUrl}/resolve/main/`;
const shardBytes = (m: BenchModel) => m.shards.reduce((sum, s) => sum + s.size, 0);

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => {
      resolve();
    };
    request.onerror = () => {
      reject(request.error ?? new Error(`could not delete ${name}`));
    };
  });
}

/** Deletes every database the store and web-llm use, so each run starts cold. */
export async function clear(): Promise<void> {
  for (const name of [...DATABASES, TALLY_DB]) {
    await closeDatabase(name);
    await deleteDatabase(name);
  }
}

/** (a) fetch every shard, `parallelism` at a time, reading and discarding the bytes. */
export async function rawFetch(m: BenchModel, parallelism = 4): Promise<Timing> {
  const queue = [...m.shards];
  const start = performance.now();
  let bytes = 0;
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      const response = await fetch(base(m) + s.name, { cache: 'no-store' });
      const reader = response.body?.getReader();
      if (!reader) throw new Error('no body');
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
      }
    }
  };
  await Promise.all(Array.from({ length: parallelism }, worker));
  const ms = performance.now() - start;
  if (bytes !== shardBytes(m)) throw new Error(`raw fetch got ${bytes} bytes`);
  return { bytes, ms };
}

// ---- (b) web-llm 0.2.86's loader, re-created step for step ------------------------------------
// lib/index.js: ArtifactIndexedDBCache (initDB, isUrlInDB, addToCache, addToIndexedDB, hasAllKeys)
// and Instance.fetchTensorCacheInternal (4 loops over contiguous shard ranges, whole shard, one add).

function openWebLLM(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => {
      if (!request.result.objectStoreNames.contains('urls')) {
        request.result.createObjectStore('urls', { keyPath: 'url' });
      }
    };
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('open failed'));
    };
  });
}

function isUrlInDB(db: IDBDatabase, url: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const request = db.transaction(['urls'], 'readonly').objectStore('urls').get(url);
    request.onsuccess = () => {
      resolve(request.result !== undefined);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('get failed'));
    };
  });
}

async function addToCache(db: IDBDatabase, url: string, kind: 'json' | 'arraybuffer') {
  if (await isUrlInDB(db, url)) return;
  const response = await fetch(url);
  if (!response.ok) throw new Error('Network response was not ok');
  const copy = response.clone();
  const data: unknown = kind === 'json' ? await copy.json() : await copy.arrayBuffer();
  await new Promise<void>((resolve, reject) => {
    const request = db.transaction(['urls'], 'readwrite').objectStore('urls').add({ data, url });
    request.onsuccess = () => {
      resolve();
    };
    request.onerror = () => {
      reject(request.error ?? new Error('add failed'));
    };
  });
}

function get(db: IDBDatabase, url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let result: unknown;
    const tx = db.transaction(['urls'], 'readonly');
    tx.oncomplete = () => {
      resolve(result);
    };
    tx.onerror = () => {
      reject(tx.error ?? new Error('get failed'));
    };
    const request = tx.objectStore('urls').get(url);
    request.onsuccess = () => {
      result = request.result;
    };
  });
}

/** (b) web-llm's download phase: tensor-cache.json, then the shards in 4 contiguous loops. */
export async function webllmLoader(m: BenchModel): Promise<Timing> {
  const start = performance.now();
  const db = await openWebLLM('webllm/model');
  const jsonUrl = `${base(m)}tensor-cache.json`;
  await addToCache(db, jsonUrl, 'json');
  const list = ((await get(db, jsonUrl)) as { data: { records: { dataPath: string }[] } }).data
    .records;
  const urls = list.map((r) => new URL(r.dataPath, base(m)).href);
  const download = async (from: number, to: number) => {
    for (let i = from; i < to; i++) await addToCache(db, urls[i] ?? '', 'arraybuffer');
  };
  const loop = Math.floor(urls.length / 4);
  await Promise.all([
    download(0, loop),
    download(loop, 2 * loop),
    download(2 * loop, 3 * loop),
    download(3 * loop, urls.length),
  ]);
  const ms = performance.now() - start;
  db.close();
  return { bytes: shardBytes(m), ms };
}

/** (c) Tally's store: every file, sizes checked, sha256 checked when `digests`. */
export async function tallyStore(
  m: BenchModel,
  options: { parallelism?: number; digests?: boolean; policy?: Partial<FetchPolicy> } = {},
): Promise<Timing> {
  const model: StoreModel = {
    id: m.id,
    model: m.modelUrl,
    model_lib: m.libUrl,
    ...(options.digests === false
      ? {}
      : { digests: Object.fromEntries(m.files.map((f) => [f.name, f.sha256])) }),
  };
  const start = performance.now();
  await downloadModel(model, {
    ...(options.parallelism ? { parallelism: options.parallelism } : {}),
  });
  return { bytes: shardBytes(m), ms: performance.now() - start };
}

/** Reads every shard back the way web-llm's load does (one at a time, presence check then get). */
export async function readBack(m: BenchModel): Promise<Timing> {
  const start = performance.now();
  const db = await openWebLLM('webllm/model');
  let bytes = 0;
  for (const s of m.shards) {
    const url = base(m) + s.name;
    if (!(await isUrlInDB(db, url))) throw new Error(`${s.name} is not cached`);
    const value = (await get(db, url)) as { data: ArrayBuffer };
    bytes += new Uint8Array(value.data).byteLength;
  }
  db.close();
  if (bytes !== shardBytes(m)) throw new Error(`read back ${bytes} bytes`);
  return { bytes, ms: performance.now() - start };
}

/**
 * (d) the ceiling without a network: shard-sized buffers put into IndexedDB, 4 at a time. The
 * bytes are random, as weights are: Chromium compresses IndexedDB values, so zeros would be
 * stored several times faster than any model.
 */
export async function idbCeiling(m: BenchModel): Promise<Timing> {
  const db = await openWebLLM('webllm/model');
  const largest = Math.max(...m.shards.map((s) => s.size));
  const noise = new Uint8Array(largest);
  for (let at = 0; at < largest; at += 65536) {
    crypto.getRandomValues(noise.subarray(at, Math.min(largest, at + 65536)));
  }
  const queue = m.shards.map((s, i) => ({ url: `${base(m)}ceiling-${i}`, size: s.size }));
  const start = performance.now();
  const worker = async () => {
    for (let job = queue.shift(); job; job = queue.shift()) {
      const data = noise.slice(0, job.size); // put copies it; a fresh copy per put, like a download
      const url = job.url;
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(['urls'], 'readwrite', { durability: 'relaxed' });
        tx.objectStore('urls').put({ url, data: data.buffer });
        tx.oncomplete = () => {
          resolve();
        };
        tx.onerror = () => {
          reject(tx.error ?? new Error('put failed'));
        };
      });
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  const ms = performance.now() - start;
  db.close();
  return { bytes: shardBytes(m), ms };
}
