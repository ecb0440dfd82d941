// Downloads a model into web-llm's IndexedDB cache (parallel, resumable, verified) in four steps,
// in this order: plan (which files, which web-llm already has, whether the rest fits), fetch (each
// missing file, resuming from saved ranges), verify (each file against its size and digest in a
// write worker, which stores it only when it passes; then the index against the plan), commit (the
// index last: only then does web-llm see the model). Fails with EngineError; partial data stays
// Tally's. What each key of either database means is disk.ts's business.
import { EngineError, abortError, isAbort } from '../engine/errors';
import {
  CHAT_CONFIG,
  ENTRY_FORMAT,
  TENSOR_CACHE,
  WEBLLM_VERSION,
  chunkBytes,
  deleteChunks,
  getFile,
  loadEntry,
  parseTensorCache,
  presence,
  putFile,
  writeChunk,
  writeEntry,
  type Entry,
  type FileState,
} from './disk';
import { MissingFile, defaultPolicy, fetchFile, type FetchPolicy } from './fetch-file';
import { checkFile } from './integrity';
import {
  OLD_TENSOR_CACHE,
  TALLY_MANIFEST,
  checkModel,
  parseManifest,
  planFiles,
  type ManifestEntry,
} from './plan';
import { Reporter } from './progress';
import { checkFits, estimateStorage, storageError } from './quota';
import type { DownloadProgress, PlannedFile, StoreModel } from './types';
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

/** One download: what it was asked, and what its steps share. */
interface Run {
  model: StoreModel;
  /** the model's folder URL: every file is inside it */
  base: string;
  signal: AbortSignal;
  policy: FetchPolicy;
  parallelism: number;
  /** further fetches of a file that fails its check */
  retries: number;
  notice: (message: string) => void;
  report: Reporter;
  /** checks failed so far, per file */
  rounds: Map<FileState, number>;
}

/** What the plan step leaves for the others. */
interface Plan {
  /** the saved entry, status partial */
  entry: Entry;
  /** every file, tensor-cache.json last; `done` when web-llm has it */
  files: FileState[];
  /** tensor-cache.json: committed last */
  index: FileState;
  /** bytes in hand of files not yet saved anywhere: mlc-chat-config.json, tensor-cache.json */
  held: Map<string, ArrayBuffer>;
  /** bytes of each file already in Tally's database as partial ranges */
  stored: Map<string, number>;
  /** saves the entry (writes queue in order) */
  save: () => Promise<void>;
}

function stopIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError();
}

const isTensorCache = (f: PlannedFile) => f.name === TENSOR_CACHE && f.kind === 'json';

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
  const base = checkModel(model);
  const run: Run = {
    model,
    base,
    signal: options.signal ?? new AbortController().signal,
    policy: { ...defaultPolicy, ...options.policy },
    parallelism: Math.max(1, Math.floor(options.parallelism ?? DEFAULT_PARALLELISM)),
    retries: Math.max(0, options.integrityRetries ?? 2),
    notice: options.onNotice ?? (() => undefined),
    report: new Reporter(model.id, options.onProgress, options.progressMs),
    rounds: new Map(),
  };
  const plan = await planDownload(run);
  if (!plan) return; // web-llm has it all
  await fetchFiles(run, plan);
  const index = await verifyIndex(run, plan);
  await commit(run, plan, index);
}

// ---- 1. plan ----

/**
 * Which files make up the model (the saved entry's list, or read from its folder), which of them
 * web-llm already has, and whether the rest fits. Undefined when the model is complete (its
 * entry is marked so).
 */
async function planDownload(run: Run): Promise<Plan | undefined> {
  const { model, base, report } = run;
  report.phase('planning');
  let entry = await loadEntry(model, base, run.notice);
  let held = new Map<string, ArrayBuffer>();
  if (!entry || entry.files.length === 0) {
    const planned = await readFolder(run);
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
  const index = files.find(isTensorCache);
  if (!index) throw new EngineError('storage', `The saved file list of ${model.id} is damaged.`);
  index.done = present.has(index.url) && files.every((f) => f === index || f.done);
  if (index.done) {
    entry.status = 'complete';
    delete entry.hold;
    await writeEntry(entry).catch((e: unknown) => {
      throw storageError(e);
    });
    report.phase('complete');
    return undefined;
  }

  // Will the rest fit? Partial ranges already stored count as stored.
  const stored = await chunkBytes();
  const pending = files.filter((f) => !f.done);
  const needed = pending.reduce(
    (sum, f) => sum + Math.max(0, (f.size ?? 0) - (stored.get(f.url) ?? 0)),
    0,
  );
  const largest = Math.max(0, ...pending.map((f) => f.size ?? 0));
  const headroom = Math.min(run.parallelism, pending.length) * largest + 16 * 1024 * 1024;
  checkFits(model.id, needed, headroom, await estimateStorage());
  stopIfAborted(run.signal);

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
  return { entry, files, index, held, stored, save };
}

/** The files of a model and the bytes of the small files that define it. */
interface Planned {
  files: FileState[];
  /** bytes in hand of files not yet saved anywhere: mlc-chat-config.json, tensor-cache.json */
  held: Map<string, ArrayBuffer>;
}

/**
 * Reads the small files that define a model (mlc-chat-config.json, tensor-cache.json, an optional
 * tally-manifest.json: fetched at once, or taken from web-llm's cache) and plans every file.
 */
async function readFolder({ model, base, signal, policy }: Run): Promise<Planned> {
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

// ---- 2. fetch, and verify each file ----

/**
 * Saves the entry (every file listed before any is fetched), then fetches every missing file and
 * has each checked and stored; the first failure stops all and is thrown.
 */
async function fetchFiles(run: Run, plan: Plan): Promise<void> {
  await plan.save();
  const staging = stageHeld(plan);
  run.report.phase('downloading');
  const failed = await fetchAll(run, plan);
  const staged = await staging;
  stopIfAborted(run.signal);
  if (failed) throw failed;
  if (staged) throw staged;
}

/**
 * The small files planning fetched, saved while the shards start: the config goes to web-llm,
 * tensor-cache.json is staged in Tally's database. Resolves with the error it met, if any.
 */
async function stageHeld({ files, held, save }: Plan): Promise<Error | undefined> {
  try {
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
    return undefined;
  } catch (error) {
    return storageError(error);
  }
}

/**
 * The pool: small files first, then shards in order. Each stream fetches its next file while its
 * last one is checked and written (up to `parallelism` writes in flight; past that, streams wait),
 * so the network stays busy during IndexedDB writes. Resolves with the first failure, if any.
 */
async function fetchAll(run: Run, plan: Plan): Promise<Error | undefined> {
  const { files, held } = plan;
  const queue = files.filter((f) => !f.done && !isTensorCache(f) && !held.has(f.url));
  queue.sort((a, b) => Number(a.shard) - Number(b.shard));
  const stop = new AbortController();
  const inner = AbortSignal.any([run.signal, stop.signal]);
  const failed: { error?: Error } = {};
  const fail = (error: unknown) => {
    const e = error instanceof Error ? error : new EngineError('unknown', String(error));
    if (failed.error === undefined || (isAbort(failed.error) && !isAbort(e))) failed.error = e;
    stop.abort();
  };
  const writer = new Writer(WRITERS);
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
        const { data, got, persisted } = await fetchOne(run, plan, file, inner);
        const step = verifyAndStore(run, plan, writer, { file, data, got, persisted }).then(
          (done) => {
            if (!done) queue.unshift(file);
          },
          fail,
        );
        writing.add(step);
        void step.finally(() => writing.delete(step));
        while (writing.size > run.parallelism && live()) await Promise.race(writing);
      } catch (error) {
        fail(error);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(run.parallelism, queue.length) }, stream));
    await Promise.all(writing);
  } finally {
    writer.close();
  }
  return failed.error;
}

/** A fetched file: its bytes, how many the report counted, whether ranges of it are saved. */
interface Fetched {
  file: FileState;
  data: ArrayBuffer;
  got: number;
  persisted: boolean;
}

/** Fetches a file, resuming from its saved ranges. */
async function fetchOne(
  { policy, report }: Run,
  { stored }: Plan,
  file: FileState,
  signal: AbortSignal,
): Promise<Fetched> {
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
  return { file, data, got, persisted };
}

/**
 * Checks a fetched file and puts it where web-llm looks (in a write worker), then forgets its
 * partial ranges. False when it failed its check and must be fetched again.
 */
async function verifyAndStore(
  run: Run,
  plan: Plan,
  writer: Writer,
  fetched: Fetched,
): Promise<boolean> {
  const { file, data, got, persisted } = fetched;
  const size = data.byteLength; // the write worker takes the buffer
  const problem = await writer.write(file, data);
  if (problem !== undefined) {
    await rejected(run, fetched, problem);
    return false;
  }
  file.size = size;
  file.done = true;
  run.report.bytes(-got);
  await plan.save();
  if (persisted) await deleteChunks([file.url]).catch(() => undefined);
  run.report.emit(false);
  return true;
}

/** A fetched file failed its check: drops its ranges; throws once it failed too often. */
async function rejected(run: Run, { file, got, persisted }: Fetched, problem: string) {
  if (persisted) await deleteChunks([file.url]).catch(() => undefined);
  run.report.bytes(-got);
  const round = (run.rounds.get(file) ?? 0) + 1;
  run.rounds.set(file, round);
  if (round > run.retries) {
    throw new EngineError(
      'integrity',
      `${file.name} ${problem}, ${round} times in a row: the copy on the server may be ` +
        `damaged (${file.url}). Nothing of it was kept.`,
    );
  }
  run.notice(`${file.name} ${problem}: fetching it again.`);
}

// ---- 3. verify the index ----

/**
 * tensor-cache.json, checked and read: it must list exactly the shards that were planned and
 * stored. Its bytes are in hand, or staged in Tally's database by an earlier session; if that
 * copy is gone it is fetched again.
 */
async function verifyIndex(run: Run, plan: Plan): Promise<object> {
  const { index, held, stored } = plan;
  run.report.phase('committing');
  let bytes = held.get(index.url);
  if (!bytes) {
    // whatever its size, when the staged copy is gone
    if ((await chunkBytes()).get(index.url) !== index.size) delete index.size;
    for (;;) {
      stored.set(index.url, 1); // staged in Tally's database: read it back
      const fetched = await fetchOne(run, plan, index, run.signal);
      const problem = await checkFile(index, fetched.data);
      if (problem === undefined) {
        bytes = fetched.data;
        break;
      }
      await rejected(run, { ...fetched, persisted: true }, problem);
    }
  }
  const value = JSON.parse(new TextDecoder().decode(bytes)) as object;
  const shards = parseTensorCache(value, index.url);
  const planned = plan.files.filter((f) => f.shard).map((f) => `${f.name}:${String(f.size)}`);
  if (shards.map((s) => `${s.dataPath}:${s.nbytes}`).join('/') !== planned.join('/')) {
    throw new EngineError(
      'bad-response',
      `The weight index of ${run.model.id} changed on the server during the download. Delete the model and download it again.`,
    );
  }
  return value;
}

// ---- 4. commit ----

/** Puts the index where web-llm looks, last: from now on web-llm sees the whole model. */
async function commit(run: Run, plan: Plan, index: object): Promise<void> {
  try {
    await putFile(plan.index, index);
  } catch (error) {
    throw storageError(error);
  }
  plan.index.done = true;
  plan.entry.status = 'complete';
  await plan.save();
  await deleteChunks([plan.index.url]).catch(() => undefined);
  run.report.phase('complete');
}
