// Tally's model store: downloads a model into web-llm's IndexedDB cache (parallel, resumable,
// verified), lists what is on disk, deletes. Fails with EngineError; partial data stays Tally's.
import { EngineError, abortError, isAbort } from '../engine/errors';
import { MissingFile, defaultPolicy, fetchFile, type FetchPolicy } from './fetch-file';
import { checkFile } from './integrity';
import {
  OLD_TENSOR_CACHE,
  TALLY_MANIFEST,
  checkModel,
  libraryFile,
  parseManifest,
  parseTensorCache,
  planFiles,
  type ManifestEntry,
} from './plan';
import { ProgressMeter } from './progress';
import { checkFits, estimateStorage, storageError } from './quota';
import {
  ENTRY_FORMAT,
  chunkBytes,
  deleteChunks,
  deleteEntry,
  readEntries,
  readEntry,
  writeChunk,
  writeEntry,
  type Entry,
  type FileState,
} from './tally-db';
import type {
  DownloadPhase,
  DownloadProgress,
  ModelOnDisk,
  PlannedFile,
  StoreModel,
} from './types';
import {
  CHAT_CONFIG,
  TENSOR_CACHE,
  WEBLLM_VERSION,
  allUrls,
  deleteUrls,
  getFile,
  modelBase,
  presentUrls,
  putFile,
} from './webllm-layout';
import { Writer } from './writer';

/**
 * Files fetched at once. Measured with `npm run bench:store` (docs/BENCHMARKS.md): on loopback
 * more streams do not help (the machine is the limit); where a server holds each connection to a
 * rate, they fetch more (8 beat 4 by 15 to 30% at 25 MB/s each), but every stream holds up to two
 * shards in memory. 4 is what web-llm's loader uses, so servers already expect it.
 */
export const DEFAULT_PARALLELISM = 4;

/**
 * Write workers (writer.ts). Two store a third faster than one on loopback, where checking and
 * writing is the limit: one hashes a shard while the other hands the last one to IndexedDB.
 */
const WRITERS = 2;

export interface DownloadOptions {
  signal?: AbortSignal;
  /** called at most every `progressMs`, and on every phase change */
  onProgress?: (progress: DownloadProgress) => void;
  /** things a person should know that do not stop the download (a reset damaged record) */
  onNotice?: (message: string) => void;
  /** files fetched at once */
  parallelism?: number;
  policy?: Partial<FetchPolicy>;
  /** further fetches of a file that fails its size or digest check */
  integrityRetries?: number;
  /** ms between progress reports */
  progressMs?: number;
}

function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

const isTensorCache = (f: PlannedFile) => f.name === TENSOR_CACHE && f.kind === 'json';

/** Reads which of an entry's files are in web-llm's databases. */
async function presence(files: PlannedFile[]): Promise<Set<string>> {
  const byDb = new Map<PlannedFile['db'], string[]>();
  for (const f of files) byDb.set(f.db, [...(byDb.get(f.db) ?? []), f.url]);
  const present = new Set<string>();
  for (const [db, urls] of byDb) for (const url of await presentUrls(db, urls)) present.add(url);
  return present;
}

/** Throttled, monotonic progress for one download. */
class Reporter {
  readonly #meter = new ProgressMeter();
  readonly #id: string;
  readonly #onProgress: ((p: DownloadProgress) => void) | undefined;
  readonly #everyMs: number;
  #last = -Infinity;
  #phase: DownloadPhase = 'planning';
  files: FileState[] = [];
  /** bytes received of files not yet done */
  inFlight = 0;

  constructor(id: string, options: DownloadOptions) {
    this.#id = id;
    this.#onProgress = options.onProgress;
    this.#everyMs = options.progressMs ?? 250;
  }

  phase(phase: DownloadPhase): void {
    this.#phase = phase;
    this.emit(true);
  }

  bytes(delta: number): void {
    this.inFlight += delta;
    this.emit(false);
  }

  emit(force: boolean): void {
    if (!this.#onProgress) return;
    const now = performance.now();
    if (!force && now - this.#last < this.#everyMs) return;
    this.#last = now;
    let done = 0;
    let total = 0;
    let filesDone = 0;
    for (const f of this.files) {
      total += f.size ?? 0;
      if (f.done) {
        done += f.size ?? 0;
        filesDone += 1;
      }
    }
    const actual = done + this.inFlight;
    total = Math.max(total, actual);
    const reading = this.#meter.update(actual, total, now);
    this.#onProgress({
      id: this.#id,
      phase: this.#phase,
      bytesDone: reading.bytesDone,
      bytesTotal: total,
      bytesPerSecond: reading.bytesPerSecond,
      ...(reading.etaSeconds === undefined ? {} : { etaSeconds: reading.etaSeconds }),
      filesDone,
      filesTotal: this.files.length,
    });
  }
}

/** Reads the saved entry of `model`; resets it (with a notice) when damaged or for other URLs. */
async function loadEntry(
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
    notice(`${capital(found.problem)}: its download starts over. Other models are untouched.`);
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

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Bytes of the small files that define a model, fetched (or read from web-llm's cache). */
interface Planned {
  files: FileState[];
  /** bytes in hand of files not yet saved anywhere: mlc-chat-config.json, tensor-cache.json */
  held: Map<string, ArrayBuffer>;
}

async function plan(
  model: StoreModel,
  base: string,
  signal: AbortSignal,
  policy: FetchPolicy,
): Promise<Planned> {
  const meta = (name: string, db: PlannedFile['db']): PlannedFile => ({
    name,
    url: new URL(name, base).href,
    db,
    kind: 'arraybuffer',
    shard: false,
  });
  const get = async (file: PlannedFile) =>
    (await fetchFile(file, { signal, policy, persist: false, onBytes: () => undefined })).data;
  const verified = async (file: PlannedFile, data: ArrayBuffer) => {
    const digest = model.digests?.[file.name];
    const problem = digest === undefined ? undefined : await checkFile({ ...file, digest }, data);
    if (problem) throw new EngineError('integrity', `${file.name} from ${file.url} ${problem}.`);
    return data;
  };

  /**
   * tensor-cache.json is missing: a folder built by an older mlc-llm has ndarray-cache.json,
   * which web-llm 0.2.86 never reads. Say so, rather than a 404 that reads like a wrong URL.
   */
  const olderIndex = async (error: unknown): Promise<never> => {
    if (!(error instanceof MissingFile)) throw error;
    const older = meta(OLD_TENSOR_CACHE, 'webllm/model');
    const found = await get(older).then(
      () => true,
      () => false,
    );
    if (!found) throw error;
    throw new EngineError(
      'bad-response',
      `${base} was built by an older mlc-llm: it has ${OLD_TENSOR_CACHE} and no ${TENSOR_CACHE}, ` +
        `the weight index web-llm ${WEBLLM_VERSION} reads. Rebuild the folder with a current ` +
        `mlc-llm (mlc_llm convert_weight writes ${TENSOR_CACHE}).`,
    );
  };

  // The three small files are independent: fetch them at once (one round trip, not three).
  const manifestFile = meta(TALLY_MANIFEST, 'webllm/model');
  const configFile = meta(CHAT_CONFIG, 'webllm/config');
  const tensorFile: PlannedFile = { ...meta(TENSOR_CACHE, 'webllm/model'), kind: 'json' };
  const manifestTask = get(manifestFile).then(
    (data) => parseManifest(data, manifestFile.url),
    (error: unknown) => {
      if (error instanceof MissingFile) return new Map<string, ManifestEntry>(); // optional
      throw error;
    },
  );
  const configTask = (async () => {
    const cached = await getFile('webllm/config', configFile.url);
    if (cached instanceof ArrayBuffer)
      return { cached: true, data: await verified(configFile, cached) };
    return { cached: false, data: await verified(configFile, await get(configFile)) };
  })();
  const tensorTask = (async () => {
    const cached = await getFile('webllm/model', tensorFile.url);
    try {
      if (cached !== undefined) {
        parseTensorCache(cached, tensorFile.url);
        return {
          value: cached,
          bytes: new TextEncoder().encode(JSON.stringify(cached)).slice().buffer,
        };
      }
    } catch {
      // web-llm's copy is unreadable: fetch a fresh one
    }
    const bytes = await verified(tensorFile, await get(tensorFile).catch(olderIndex));
    try {
      return { value: JSON.parse(new TextDecoder().decode(bytes)) as unknown, bytes };
    } catch {
      throw new EngineError('bad-response', `${tensorFile.url} is not valid JSON.`);
    }
  })();
  // Let all three settle before failing on one, so no fetch is left running unobserved. When
  // several failed (the host is unreachable), the error named is a required file's, not the
  // optional manifest's: Promise.all rejects with the first rejection in this order.
  await Promise.allSettled([configTask, tensorTask, manifestTask]);
  const [configResult, tensorResult, manifest] = await Promise.all([
    configTask,
    tensorTask,
    manifestTask,
  ]);
  const config = configResult.data;
  const tensorCache = tensorResult.value;
  const tensorBytes = tensorResult.bytes;

  const files = planFiles(model, config, tensorCache, manifest).map((f) => ({
    ...f,
    ...(isTensorCache(f) ? { size: tensorBytes.byteLength } : {}),
    done: false,
  }));
  const held = new Map<string, ArrayBuffer>();
  if (!configResult.cached) held.set(configFile.url, config);
  held.set(tensorFile.url, tensorBytes);
  return { files, held };
}

/**
 * Downloads `model` into web-llm's cache, resuming whatever an earlier try left. Resolves when
 * web-llm's `hasModelInCache` would answer true. Rejects with EngineError: 'aborted' (progress
 * kept), 'quota' (before starting when it cannot fit; or when storage fills up), 'network',
 * 'server', 'integrity', 'bad-response', 'unauthorized', 'storage', 'bad-input'.
 */
export async function downloadModel(
  model: StoreModel,
  options: DownloadOptions = {},
): Promise<void> {
  const signal = options.signal ?? new AbortController().signal;
  const policy: FetchPolicy = { ...defaultPolicy, ...options.policy };
  const parallelism = Math.max(1, Math.floor(options.parallelism ?? DEFAULT_PARALLELISM));
  const retries = Math.max(0, options.integrityRetries ?? 2);
  const notice = options.onNotice ?? (() => undefined);
  const base = checkModel(model);
  const report = new Reporter(model.id, options);
  report.phase('planning');

  let entry = await loadEntry(model, base, notice);
  let held = new Map<string, ArrayBuffer>();
  if (!entry || entry.files.length === 0) {
    const planned = await plan(model, base, signal, policy);
    held = planned.held;
    entry = {
      format: ENTRY_FORMAT,
      id: model.id,
      model,
      base,
      files: planned.files,
      status: 'partial',
      updatedAt: 0,
    };
  }
  const files = entry.files;
  report.files = files;

  // What web-llm already has counts as done; what it lost is fetched again.
  const present = await presence(files);
  for (const f of files) if (!isTensorCache(f)) f.done = present.has(f.url);
  const tensorFile = files.find(isTensorCache);
  if (!tensorFile)
    throw new EngineError('storage', `The saved file list of ${model.id} is damaged.`);
  tensorFile.done = present.has(tensorFile.url) && files.every((f) => f === tensorFile || f.done);
  if (tensorFile.done) {
    entry.status = 'complete';
    delete entry.hold;
    await writeEntry(entry).catch((e: unknown) => {
      throw storageError(e);
    });
    report.phase('complete');
    return;
  }

  // Will the rest fit? Partial ranges already stored count as stored.
  const stored = await chunkBytes();
  const pending = files.filter((f) => !f.done);
  const needed = pending.reduce(
    (sum, f) => sum + Math.max(0, (f.size ?? 0) - (stored.get(f.url) ?? 0)),
    0,
  );
  const largest = Math.max(0, ...pending.map((f) => f.size ?? 0));
  const headroom = Math.min(parallelism, pending.length) * largest + 16 * 1024 * 1024;
  checkFits(model.id, needed, headroom, await estimateStorage());
  stopIfAborted(signal);

  entry.status = 'partial';
  delete entry.hold;
  const saved = entry;
  let saving: Promise<void> = Promise.resolve();
  const save = () => {
    saving = saving.then(() => writeEntry(saved));
    return saving.catch((error: unknown) => {
      throw storageError(error);
    });
  };
  await save();
  // Small files planning fetched: the config goes to web-llm, tensor-cache.json is staged in
  // Tally's database, while the shards start (the entry listing them is already saved).
  const staging = (async () => {
    for (const f of files) {
      const data = held.get(f.url);
      if (!data || f.done) continue;
      if (isTensorCache(f)) await writeChunk({ url: f.url, start: 0, end: data.byteLength, data });
      else {
        await putFile(f, data);
        f.done = true;
      }
    }
    await save();
  })().catch((error: unknown) => storageError(error));
  report.phase('downloading');

  /** Fetches a file (resuming); resolves with its bytes and how many the report counted. */
  const fetchOne = async (file: FileState, signal: AbortSignal) => {
    let got = 0;
    const { data, persisted } = await fetchFile(file, {
      signal,
      policy,
      persist: true,
      resume: (stored.get(file.url) ?? 0) > 0,
      onBytes: (n) => {
        got += n;
        report.bytes(n);
      },
    });
    stored.delete(file.url); // any later try starts from what this one left
    return { data, got, persisted };
  };
  const writer = new Writer(WRITERS);
  const rounds = new Map<FileState, number>();
  /** A fetched file failed its check: drops its ranges; throws once it failed too often. */
  const rejected = async (file: FileState, problem: string, got: number, persisted: boolean) => {
    if (persisted) await deleteChunks([file.url]).catch(() => undefined);
    report.bytes(-got);
    const round = (rounds.get(file) ?? 0) + 1;
    rounds.set(file, round);
    if (round > retries) {
      throw new EngineError(
        'integrity',
        `${file.name} ${problem}, ${round} times in a row: the copy on the server may be ` +
          `damaged (${file.url}). Nothing of it was kept.`,
      );
    }
    notice(`${file.name} ${problem}: fetching it again.`);
  };
  /**
   * Checks a fetched file and puts it where web-llm looks (in a write worker), then forgets its
   * partial ranges. False when it failed its check and must be fetched again.
   */
  const commit = async (file: FileState, data: ArrayBuffer, got: number, persisted: boolean) => {
    const size = data.byteLength; // the write worker takes the buffer
    const problem = await writer.write(file, data);
    if (problem !== undefined) {
      await rejected(file, problem, got, persisted);
      return false;
    }
    file.size = size;
    file.done = true;
    report.bytes(-got);
    await save();
    if (persisted) await deleteChunks([file.url]).catch(() => undefined);
    report.emit(false);
    return true;
  };

  // The pool: small files first, then shards in order. Each stream fetches its next file while
  // its last one is checked and written (up to `parallelism` writes in flight; past that, streams
  // wait), so the network stays busy during IndexedDB writes. The first failure stops everything.
  const queue = files.filter((f) => !f.done && !isTensorCache(f) && !held.has(f.url));
  queue.sort((a, b) => Number(a.shard) - Number(b.shard));
  const stop = new AbortController();
  const inner = AbortSignal.any([signal, stop.signal]);
  const failed: { error?: Error } = {};
  const fail = (error: unknown) => {
    const e = error instanceof Error ? error : new EngineError('unknown', String(error));
    if (failed.error === undefined || (isAbort(failed.error) && !isAbort(e))) failed.error = e;
    stop.abort();
  };
  const writing = new Set<Promise<void>>();
  const live = () => !inner.aborted;
  const stream = async () => {
    while (live() && (queue.length > 0 || writing.size > 0)) {
      const file = queue.shift();
      if (!file) {
        await Promise.race(writing);
        continue;
      }
      try {
        const { data, got, persisted } = await fetchOne(file, inner);
        const step = commit(file, data, got, persisted).then((done) => {
          if (!done) queue.unshift(file);
        }, fail);
        writing.add(step);
        void step.finally(() => writing.delete(step));
        while (writing.size > parallelism && live()) await Promise.race(writing);
      } catch (error) {
        fail(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(parallelism, queue.length) }, stream));
    await Promise.all(writing);
  } finally {
    writer.close();
  }
  const staged = await staging;
  stopIfAborted(signal);
  if (failed.error) throw failed.error;
  if (staged) throw staged;

  // Last, the index: once it is in, web-llm sees the whole model.
  report.phase('committing');
  let tensorBytes = held.get(tensorFile.url);
  if (!tensorBytes) {
    // Staged in an earlier session; if that copy is gone, fetch it again, whatever its size.
    if ((await chunkBytes()).get(tensorFile.url) !== tensorFile.size) delete tensorFile.size;
    for (;;) {
      stored.set(tensorFile.url, 1); // staged in Tally's database: read it back
      const { data, got } = await fetchOne(tensorFile, signal);
      const problem = await checkFile(tensorFile, data);
      if (problem === undefined) {
        tensorBytes = data;
        break;
      }
      await rejected(tensorFile, problem, got, true);
    }
  }
  const tensorCache = JSON.parse(new TextDecoder().decode(tensorBytes)) as unknown;
  const shards = parseTensorCache(tensorCache, tensorFile.url);
  const planned = files.filter((f) => f.shard).map((f) => `${f.name}:${String(f.size)}`);
  if (shards.map((s) => `${s.dataPath}:${s.nbytes}`).join('/') !== planned.join('/')) {
    throw new EngineError(
      'bad-response',
      `The weight index of ${model.id} changed on the server during the download. Delete the model and download it again.`,
    );
  }
  try {
    await putFile(tensorFile, tensorCache as object);
  } catch (error) {
    throw storageError(error);
  }
  tensorFile.done = true;
  entry.status = 'complete';
  await save();
  await deleteChunks([tensorFile.url]).catch(() => undefined);
  report.phase('complete');
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

/** web-llm's keys under a folder, in one database. */
async function keysUnder(db: PlannedFile['db'], base: string): Promise<string[]> {
  return (await allUrls(db)).filter((url) => url.startsWith(base));
}

/** Deletes an entry's library from web-llm's cache, unless another model uses it too. */
async function removeLibrary(entry: Entry): Promise<void> {
  const others = (await readEntries()).flatMap(({ parsed }) =>
    parsed.ok && parsed.entry.id !== entry.id ? [parsed.entry] : [],
  );
  for (const f of entry.files) {
    if (f.db !== 'webllm/wasm') continue;
    if (others.some((o) => o.model.model_lib === f.url)) continue;
    await deleteUrls('webllm/wasm', [f.url]);
  }
}

/**
 * Deletes a model's files from web-llm's databases (index first): every file its download wrote,
 * whatever key it has, then anything else web-llm keeps under its folder; and its partial data.
 */
async function removeEntryData(entry: Entry): Promise<void> {
  await deleteUrls('webllm/model', [new URL(TENSOR_CACHE, entry.base).href]);
  for (const db of ['webllm/model', 'webllm/config'] as const) {
    await deleteUrls(
      db,
      entry.files.filter((f) => f.db === db).map((f) => f.url),
    );
  }
  await removeFolder(entry.base);
  await removeLibrary(entry);
  await deleteChunks(entry.files.map((f) => f.url));
  await deleteEntry(entry.id);
}

/** Deletes everything web-llm keeps under a model folder, tensor-cache.json first. */
async function removeFolder(base: string): Promise<void> {
  await deleteUrls('webllm/model', [new URL(TENSOR_CACHE, base).href]);
  await deleteUrls('webllm/model', await keysUnder('webllm/model', base));
  await deleteUrls('webllm/config', await keysUnder('webllm/config', base));
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
    throw storageError(error);
  }
}

/** Every model in this browser's storage: Tally's downloads, and folders web-llm fetched itself. */
export async function listModels(): Promise<ModelOnDisk[]> {
  let entries;
  let chunks;
  try {
    [entries, chunks] = await Promise.all([readEntries(), chunkBytes()]);
  } catch (error) {
    throw storageError(error);
  }
  const out: ModelOnDisk[] = [];
  const bases = new Set<string>();
  for (const { parsed, key } of entries) {
    if (!parsed.ok) {
      out.push({
        key: parsed.id ?? (typeof key === 'string' ? key : JSON.stringify(key)),
        base: '',
        bytes: 0,
        status: 'damaged',
        foreign: false,
        checked: 'none',
        problem: `${capital(parsed.problem)}. Delete it to start that download over.`,
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
    out.push({
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
      out.push({
        key: base,
        base,
        bytes,
        bytesTotal: total,
        status: present.size === urls.length ? 'complete' : 'partial',
        foreign: true,
        checked: 'none',
      });
    } catch {
      out.push({
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
  return out;
}
