// Fetches one file into memory with HTTP Range resume: from persisted ranges, after a dropped
// connection, a stall or a 5xx (bounded retries, exponential backoff); fails with an EngineError.
import { EngineError, abortError } from '../engine/errors';
import { knownOffline } from '../offline';
import { storageError } from './quota';
import { deleteChunks, readChunks, writeChunk } from './disk';
import type { PlannedFile } from './types';

/** How hard to try, and how often to persist progress. */
export interface FetchPolicy {
  /** failed attempts in a row (with no new bytes between them) before giving up */
  attempts: number;
  /** ms before the first retry; doubles each time up to maxBackoffMs */
  backoffMs: number;
  /** ms */
  maxBackoffMs: number;
  /** ms without a byte before an attempt is dropped and retried */
  stallMs: number;
  /** bytes received but not persisted before a checkpoint is written… */
  checkpointBytes: number;
  /** …and ms since the file's last checkpoint (so fast links write each byte once) */
  checkpointMs: number;
}

export const defaultPolicy: FetchPolicy = {
  attempts: 6,
  backoffMs: 500,
  maxBackoffMs: 8000,
  stallMs: 30_000,
  checkpointBytes: 4 * 1024 * 1024,
  checkpointMs: 1000,
};

/** A file's bytes, and what of it sits in Tally's database. */
export interface FileResult {
  data: ArrayBuffer;
  /** bytes that came from persisted ranges rather than the network this time */
  restored: number;
  /** true when ranges of the file are in Tally's database (restored or checkpointed) */
  persisted: boolean;
}

export interface FetchFileOptions {
  signal: AbortSignal;
  policy: FetchPolicy;
  /** persist ranges in Tally's database as they arrive (false for small metadata files) */
  persist: boolean;
  /**
   * read persisted ranges first (default: when persisting); false when the caller knows there
   * are none, which spares a database read queued behind other writes before the fetch starts
   */
  resume?: boolean;
  /** bytes gained (negative when the file starts over) */
  onBytes: (delta: number) => void;
}

/** A failed attempt that may succeed when tried again. */
class Retryable extends Error {
  constructor(
    readonly code: 'network' | 'server',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The server has no such file (HTTP 404 or 410): not worth retrying. */
export class MissingFile extends EngineError {
  constructor(file: PlannedFile, status: number) {
    super(
      'bad-response',
      `The server has no ${file.name} (HTTP ${status} from ${file.url}). Check the model URL.`,
    );
  }
}

function statusError(file: PlannedFile, status: number): EngineError {
  const where = `(HTTP ${status} from ${file.url})`;
  if (status === 401 || status === 403) {
    return new EngineError('unauthorized', `The server refused ${file.name} ${where}.`);
  }
  if (status === 404 || status === 410) return new MissingFile(file, status);
  return new EngineError(
    'bad-response',
    `The server answered ${file.name} with an error ${where}.`,
  );
}

const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 429;

/** Parses `bytes start-end/total`; total undefined when `*`. */
function contentRange(header: string | null): { start: number; total?: number } | undefined {
  const m = header ? /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!m?.[1]) return undefined;
  const total = m[3] === '*' || m[3] === undefined ? undefined : Number(m[3]);
  return { start: Number(m[1]), ...(total === undefined ? {} : { total }) };
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Bytes of a file as they arrive: one exact buffer when the size is known, pieces otherwise. */
class Bytes {
  #buffer: Uint8Array | undefined;
  #pieces: Uint8Array[] = [];
  length = 0;

  constructor(size?: number) {
    if (size !== undefined) this.#buffer = new Uint8Array(size);
  }

  get sized(): boolean {
    return this.#buffer !== undefined;
  }

  /** Fixes the size once a response tells it (keeps what is held). */
  size(size: number): void {
    if (this.#buffer) return;
    const buffer = new Uint8Array(size);
    buffer.set(this.#concat().subarray(0, Math.min(size, this.length)));
    this.#buffer = buffer;
    this.#pieces = [];
  }

  append(bytes: Uint8Array): void {
    if (this.#buffer) this.#buffer.set(bytes, this.length);
    else this.#pieces.push(bytes.slice());
    this.length += bytes.byteLength;
  }

  reset(): void {
    this.#pieces = [];
    this.length = 0;
  }

  /** A copy of `[start, end)`. */
  copy(start: number, end: number): ArrayBuffer {
    const all = this.#buffer ?? this.#concat();
    return all.slice(start, end).buffer;
  }

  /** The whole file; no copy when the size was known. */
  take(): ArrayBuffer {
    const all = this.#buffer ?? this.#concat();
    if (all.byteLength === this.length && all.byteOffset === 0) {
      return all.buffer as ArrayBuffer;
    }
    return all.slice(0, this.length).buffer;
  }

  #concat(): Uint8Array {
    if (this.#pieces.length === 1 && this.#pieces[0]) return this.#pieces[0];
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.#pieces) {
      out.set(p, at);
      at += p.byteLength;
    }
    this.#pieces = [out];
    return out;
  }
}

/** Reads back the persisted prefix of a file; anything but one contiguous run from 0 is dropped. */
async function restore(file: PlannedFile, bytes: Bytes): Promise<number> {
  const chunks = await readChunks(file.url);
  let at = 0;
  for (const chunk of chunks) {
    if (chunk.start !== at || (file.size !== undefined && chunk.end > file.size)) {
      await deleteChunks([file.url]);
      bytes.reset();
      return 0;
    }
    bytes.append(new Uint8Array(chunk.data));
    at = chunk.end;
  }
  return at;
}

/**
 * Downloads `file` (resuming from its persisted ranges) and returns its bytes, unverified.
 * Rejects with EngineError: 'aborted' (persisted ranges are kept, for resume), 'network' or
 * 'server' after `policy.attempts` failures in a row, 'quota' when a checkpoint does not fit,
 * 'bad-response' / 'unauthorized' for answers a retry will not change.
 */
export async function fetchFile(file: PlannedFile, options: FetchFileOptions): Promise<FileResult> {
  const { signal, policy, persist, onBytes } = options;
  const bytes = new Bytes(file.size);
  const restored = persist && options.resume !== false ? await restore(file, bytes) : 0;
  let persisted = restored;
  let lastCheckpoint = performance.now();
  let writes: Promise<void> = Promise.resolve();
  let writeError: unknown;
  if (restored > 0) onBytes(restored);

  const checkpoint = () => {
    if (!persist || bytes.length <= persisted) return;
    const chunk = {
      url: file.url,
      start: persisted,
      end: bytes.length,
      data: bytes.copy(persisted, bytes.length),
    };
    persisted = bytes.length;
    lastCheckpoint = performance.now();
    writes = writes.then(() =>
      writeChunk(chunk).catch((error: unknown) => {
        writeError ??= error;
      }),
    );
  };
  const settle = async () => {
    await writes;
    if (writeError !== undefined) throw storageError(writeError);
  };
  const startOver = async () => {
    onBytes(-bytes.length);
    bytes.reset();
    persisted = 0;
    await writes;
    if (persist) await deleteChunks([file.url]);
  };

  // A file that will be complete within checkpointMs at its current pace is not checkpointed:
  // that copy would be written only to be deleted a moment later.
  const startedAt = performance.now();
  const finishingSoon = (now: number) => {
    const size = file.size;
    const pace = (bytes.length - restored) / Math.max(1, now - startedAt); // bytes per ms
    return size !== undefined && pace > 0 && (size - bytes.length) / pace < policy.checkpointMs;
  };
  let failures = 0;
  let lastError: Retryable | undefined;
  try {
    for (;;) {
      if (signal.aborted) throw abortError();
      if (file.size !== undefined && bytes.length === file.size && bytes.sized) break;
      if (failures > 0) {
        const backoff = Math.min(policy.maxBackoffMs, policy.backoffMs * 2 ** (failures - 1));
        await delay(Math.max(backoff, lastError?.retryAfterMs ?? 0), signal);
      }
      const before = bytes.length;
      try {
        const done = await attempt(file, bytes, signal, policy, {
          startOver,
          onChunk: (n) => {
            onBytes(n);
            const now = performance.now();
            if (
              persist &&
              bytes.length - persisted >= policy.checkpointBytes &&
              now - lastCheckpoint >= policy.checkpointMs &&
              !finishingSoon(now)
            ) {
              checkpoint();
            }
          },
          writeFailed: () => writeError !== undefined,
        });
        if (writeError !== undefined) await settle();
        if (done) break;
      } catch (error) {
        if (!(error instanceof Retryable)) throw error;
        lastError = error;
        failures = bytes.length > before ? 1 : failures + 1;
        if (failures >= policy.attempts) {
          throw new EngineError(
            error.code,
            `Could not download ${file.name} from ${new URL(file.url).host} after ` +
              `${policy.attempts} tries: ${error.message}. ` +
              (persist
                ? 'What was downloaded is kept; try again to resume.'
                : 'Check the connection and try again.'),
          );
        }
      }
    }
    await settle();
    return { data: bytes.take(), restored, persisted: persisted > 0 };
  } catch (error) {
    // Keep what arrived, so a pause or a later try resumes from it.
    checkpoint();
    await writes;
    if (writeError !== undefined && !(error instanceof EngineError && error.code === 'aborted')) {
      throw storageError(writeError);
    }
    throw error;
  }
}

interface AttemptHooks {
  startOver: () => Promise<void>;
  onChunk: (n: number) => void;
  writeFailed: () => boolean;
}

/** One request; resolves true when the file is complete, throws Retryable when worth retrying. */
async function attempt(
  file: PlannedFile,
  bytes: Bytes,
  signal: AbortSignal,
  policy: FetchPolicy,
  hooks: AttemptHooks,
): Promise<boolean> {
  const stall = new AbortController();
  const both = AbortSignal.any([signal, stall.signal]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      stall.abort();
    }, policy.stallMs);
  };
  const offset = bytes.length;
  arm();
  try {
    let response: Response;
    try {
      response = await fetch(file.url, {
        signal: both,
        cache: 'no-store',
        ...(offset > 0 ? { headers: { Range: `bytes=${offset}-` } } : {}),
      });
    } catch (error) {
      throw failed(error, signal, stall, file, false);
    }
    if (response.status === 416 && file.size !== undefined && offset === file.size) return true;
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      if (retryableStatus(response.status)) {
        const after = Number(response.headers.get('retry-after'));
        throw new Retryable(
          'server',
          `the server answered HTTP ${response.status}`,
          Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 60_000) : undefined,
        );
      }
      if (response.status === 416) {
        await hooks.startOver();
        throw new Retryable('server', 'the server rejected the resume range');
      }
      throw statusError(file, response.status);
    }
    if (offset > 0 && response.headers.get('content-encoding')) {
      // A range of compressed bytes cannot be joined to decoded ones: take it from the top.
      await response.body?.cancel().catch(() => undefined);
      await hooks.startOver();
      throw new Retryable('server', 'the server compresses this file, so it cannot resume');
    }
    let total: number | undefined;
    if (response.status === 206) {
      const header = response.headers.get('content-range');
      const range = contentRange(header);
      // A server whose CORS setup does not expose Content-Range hides it from the page; the
      // answer to `bytes=offset-` is then the rest of the file when its length says so.
      const length = Number(response.headers.get('content-length') ?? NaN);
      const rest = header === null && file.size !== undefined && length === file.size - offset;
      if (range?.start !== offset && !rest) {
        await response.body?.cancel().catch(() => undefined);
        await hooks.startOver();
        throw new Retryable('server', 'the server resumed from the wrong byte');
      }
      total = range ? range.total : file.size;
    } else {
      if (offset > 0) await hooks.startOver(); // the server ignored Range: take it from the top
      const length = response.headers.get('content-length');
      if (length !== null && !response.headers.get('content-encoding')) total = Number(length);
    }
    if (total !== undefined && file.size !== undefined && total !== file.size) {
      await response.body?.cancel().catch(() => undefined);
      throw new EngineError(
        'integrity',
        `${file.name} on the server is ${total} bytes, but the model's index says ${file.size}.`,
      );
    }
    if (total !== undefined) bytes.size(total);
    const expected = file.size ?? total;
    const body = response.body;
    if (!body) throw new Retryable('network', 'the response had no body');
    const reader = body.getReader();
    try {
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch (error) {
          throw failed(error, signal, stall, file, true);
        }
        if (chunk.done) break;
        arm();
        if (expected !== undefined && bytes.length + chunk.value.byteLength > expected) {
          throw new EngineError(
            'integrity',
            `The server sent more than the ${expected} bytes of ${file.name}.`,
          );
        }
        bytes.append(chunk.value);
        hooks.onChunk(chunk.value.byteLength);
        if (hooks.writeFailed()) return false;
      }
    } finally {
      reader.releaseLock();
    }
    if (expected !== undefined && bytes.length < expected) {
      throw new Retryable(
        'network',
        `the connection closed at byte ${bytes.length} of ${expected}`,
      );
    }
    if (expected === undefined) bytes.size(bytes.length);
    return true;
  } finally {
    clearTimeout(timer);
    if (!stall.signal.aborted) stall.abort();
  }
}

/** The browser knows it has no network: trying again before that changes would only wait. */
function offline(file: PlannedFile): EngineError | undefined {
  if (!knownOffline()) return undefined;
  return new EngineError(
    'network',
    `No connection: this device is offline, so ${file.name} cannot be downloaded. ` +
      'What was downloaded is kept; load the model again once you are back online.',
  );
}

/**
 * A request that failed before its response (`answered` false) or while its body came: offline
 * (said at once), else a host it could not reach or a connection that dropped, tried again.
 */
function failed(
  error: unknown,
  signal: AbortSignal,
  stall: AbortController,
  file: PlannedFile,
  answered: boolean,
): Error {
  if (signal.aborted) return abortError();
  if (stall.signal.aborted) return new Retryable('network', `no data for ${file.name} in a while`);
  const text = error instanceof Error ? error.message : String(error);
  return (
    offline(file) ??
    new Retryable(
      'network',
      answered
        ? `the connection dropped (${text})`
        : `could not reach it: its name may not resolve, or the host is down or turns this page away (${text})`,
    )
  );
}
