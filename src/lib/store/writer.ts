// The page side of the store's write workers. A downloaded file is handed over (transferred, not
// copied) to be checked and put where web-llm looks: a sha256 and an IndexedDB put of a 32 MB shard
// each hold their thread for tens of milliseconds, which on the page would stall every download.
import { EngineError, type SerializedError } from '../engine/errors';
import type { PlannedFile } from './types';

/** What the worker needs of a file: its check (name, size, digest) and its place (db, url). */
export type WriteFile = Pick<PlannedFile, 'name' | 'url' | 'db' | 'size' | 'digest'>;

export interface WriteRequest {
  id: number;
  file: WriteFile;
  /** the file's bytes, transferred */
  data: ArrayBuffer;
}

/** Stored; or `problem`: why the file failed its check (nothing stored); or an error. */
export interface WriteReply {
  id: number;
  problem?: string;
  error?: SerializedError;
}

interface Waiting {
  /** the worker the file went to */
  worker: Worker;
  resolve: (problem: string | undefined) => void;
  reject: (error: EngineError) => void;
}

export class Writer {
  readonly #workers: Worker[];
  readonly #waiting = new Map<number, Waiting>();
  #next = 0;
  #broken: EngineError | undefined;

  constructor(count: number) {
    this.#workers = Array.from({ length: Math.max(1, count) }, () => this.#start());
  }

  #start(): Worker {
    const worker = new Worker(new URL('./write.worker.ts', import.meta.url), {
      type: 'module',
      name: 'tally-store-write',
    });
    worker.onmessage = (event: MessageEvent<WriteReply>) => {
      const { id, problem, error } = event.data;
      const waiting = this.#waiting.get(id);
      this.#waiting.delete(id);
      if (error) waiting?.reject(EngineError.from(error));
      else waiting?.resolve(problem);
    };
    worker.onerror = (event) => {
      // The worker could not start or died: every write in hand fails, and so does any later one.
      event.preventDefault();
      this.#broken = new EngineError(
        'storage',
        `Tally's storage worker stopped (${event.message || 'no reason given'}). What was ` +
          'downloaded is kept; try again to resume.',
      );
      for (const waiting of this.#waiting.values()) waiting.reject(this.#broken);
      this.#waiting.clear();
    };
    return worker;
  }

  /** The worker with the fewest files in hand. */
  #pick(): Worker {
    const load = (w: Worker) => [...this.#waiting.values()].filter((x) => x.worker === w).length;
    return this.#workers.reduce((best, w) => (load(w) < load(best) ? w : best));
  }

  /**
   * Checks `data` against `file` and, when it passes, puts it in web-llm's cache. Resolves with
   * undefined once stored, or with what is wrong. `data` is transferred: it is empty afterwards.
   * Rejects with EngineError ('quota', 'storage', 'bad-input' for a malformed digest).
   */
  write(file: WriteFile, data: ArrayBuffer): Promise<string | undefined> {
    if (this.#broken) return Promise.reject(this.#broken);
    const worker = this.#pick();
    const id = this.#next++;
    const { name, url, db, size, digest } = file;
    const request: WriteRequest = {
      id,
      file: {
        name,
        url,
        db,
        ...(size === undefined ? {} : { size }),
        ...(digest ? { digest } : {}),
      },
      data,
    };
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, { worker, resolve, reject });
      worker.postMessage(request, [data]);
    });
  }

  /** Stops the workers; call once every write has settled. */
  close(): void {
    for (const worker of this.#workers) worker.terminate();
  }
}
