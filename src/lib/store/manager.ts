// One download per model across tabs: a Web Lock per model, progress and commands shared over a
// BroadcastChannel, pause/cancel/resume, interrupted downloads resumed. Never rejects: errors land in Activity.
import { EngineError, isAbort, type SerializedError } from '../engine/errors';
import { listModels, readEntry, removeModel, setHold, type Listing } from './disk';
import { downloadModel, type DownloadOptions } from './download';
import type { DownloadProgress, StoreModel } from './types';

export type ActivityState = 'idle' | 'waiting' | 'downloading' | 'paused' | 'complete' | 'error';

/** What is happening to one model's download, as a tab shows it. */
export interface Activity {
  id: string;
  state: ActivityState;
  /** which tab runs the download: this one, another one, or none */
  where: 'here' | 'elsewhere' | 'none';
  progress?: DownloadProgress;
  error?: SerializedError;
}

type Message =
  | { type: 'activity'; activity: Activity }
  | { type: 'command'; id: string; command: 'pause' | 'cancel' }
  | { type: 'disk' };

export const CHANNEL = 'tally-downloads';
export const lockName = (key: string): string => `tally-download:${key}`;

export interface ManagerOptions {
  /** every change of a model's activity, in this tab or reported by another */
  onActivity: (activity: Activity) => void;
  /** storage changed (a download finished, a model was deleted): time to list again */
  onDisk: () => void;
  onNotice: (message: string) => void;
  /** passed on to downloadModel */
  download?: Omit<DownloadOptions, 'signal' | 'onProgress' | 'onNotice'>;
}

interface Run {
  abort: AbortController;
  /** holds the lock and is downloading */
  owning: boolean;
  stop?: 'pause' | 'cancel';
  done: Promise<void>;
}

function asError(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  if (isAbort(error)) return new EngineError('aborted', 'Stopped.');
  return new EngineError('unknown', error instanceof Error ? error.message : String(error));
}

function isMessage(data: unknown): data is Message {
  if (typeof data !== 'object' || data === null || !('type' in data)) return false;
  const { type } = data;
  return type === 'activity' || type === 'command' || type === 'disk';
}

/** Web Locks where the browser has them; otherwise each tab works alone. */
function locks(): LockManager | undefined {
  return typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
}

export class DownloadManager {
  readonly #options: ManagerOptions;
  readonly #runs = new Map<string, Run>();
  readonly #channel: BroadcastChannel | undefined;
  readonly #last = new Map<string, DownloadProgress>();

  constructor(options: ManagerOptions) {
    this.#options = options;
    if (typeof BroadcastChannel !== 'undefined') {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = (event: MessageEvent) => {
        this.#receive(event.data);
      };
    }
  }

  /**
   * Downloads `model`, or waits while another tab does (showing its progress), then takes over
   * if that tab closes. `how: 'auto'` (resuming on a visit) respects a pause or error left behind.
   */
  start(model: StoreModel, how: 'person' | 'auto' = 'person'): Promise<void> {
    const existing = this.#runs.get(model.id);
    if (existing) return existing.done;
    const run: Run = { abort: new AbortController(), owning: false, done: Promise.resolve() };
    this.#runs.set(model.id, run);
    run.done = this.#start(model, how, run).finally(() => {
      if (this.#runs.get(model.id) === run) this.#runs.delete(model.id);
    });
    return run.done;
  }

  async #start(model: StoreModel, how: 'person' | 'auto', run: Run): Promise<void> {
    const manager = locks();
    if (how === 'person') await setHold(model.id, undefined);
    if (!manager) {
      await this.#own(model, how, run, false);
      return;
    }
    const name = lockName(model.id);
    try {
      const got = await manager.request(name, { ifAvailable: true }, async (lock) => {
        if (!lock) return false;
        await this.#own(model, how, run, false);
        return true;
      });
      if (got) return;
      this.#emit({ id: model.id, state: 'waiting', where: 'elsewhere' }, false);
      await manager.request(name, { signal: run.abort.signal }, () =>
        this.#own(model, how, run, true),
      );
    } catch (error) {
      if (isAbort(error) || run.abort.signal.aborted) {
        this.#emit({ id: model.id, state: 'idle', where: 'none' }, false);
        return;
      }
      this.#fail(model.id, asError(error));
    }
  }

  /** Runs with the model's lock held. */
  async #own(model: StoreModel, how: 'person' | 'auto', run: Run, waited: boolean) {
    const { id } = model;
    const found = await readEntry(id).catch(() => undefined);
    if (how === 'auto' || waited) {
      const entry = found?.ok ? found.entry : undefined;
      if (entry?.hold) {
        // Another tab paused or failed it (or it was so left): show that, do not restart.
        const state = entry.hold.reason === 'paused' ? 'paused' : 'error';
        this.#emit(
          {
            id,
            state,
            where: 'none',
            ...(entry.hold.error ? { error: entry.hold.error } : {}),
            ...this.#progress(id),
          },
          false,
        );
        return;
      }
      if (waited && !entry) {
        this.#emit({ id, state: 'idle', where: 'none' }, false); // cancelled or deleted there
        return;
      }
      if (waited && entry?.status === 'complete') {
        this.#emit(
          { id, state: 'complete', where: 'none', ...this.#progress(id, 'complete') },
          false,
        );
        return;
      }
    }
    if (run.abort.signal.aborted) return;
    if (run.stop === 'pause') {
      // paused before its first byte (while the lock was taken or the saved state read)
      await setHold(id, { reason: 'paused' });
      this.#emit({ id, state: 'paused', where: 'none', ...this.#progress(id) });
      return;
    }
    run.owning = true;
    this.#emit({ id, state: 'downloading', where: 'here', ...this.#progress(id) });
    let listed = false;
    try {
      await downloadModel(model, {
        ...this.#options.download,
        signal: run.abort.signal,
        onNotice: this.#options.onNotice,
        onProgress: (progress) => {
          this.#last.set(id, progress);
          if (!listed && progress.phase === 'downloading') {
            listed = true; // its record is saved: the storage list can show it, partial
            this.#disk();
          }
          const state = progress.phase === 'complete' ? 'complete' : 'downloading';
          this.#emit({ id, state, where: state === 'complete' ? 'none' : 'here', progress });
        },
      });
      this.#emit({ id, state: 'complete', where: 'none', ...this.#progress(id, 'complete') });
      this.#disk();
    } catch (caught) {
      const error = asError(caught);
      if (error.code === 'aborted' && run.stop === 'cancel') {
        await removeModel(id).catch((e: unknown) => {
          this.#options.onNotice(asError(e).message);
        });
        this.#last.delete(id);
        this.#emit({ id, state: 'idle', where: 'none' });
        this.#disk();
      } else if (error.code === 'aborted') {
        await setHold(id, { reason: 'paused' });
        this.#emit({ id, state: 'paused', where: 'none', ...this.#progress(id) });
        this.#disk();
      } else {
        await setHold(id, { reason: 'error', error: error.toJSON() });
        this.#fail(id, error);
        this.#disk();
      }
    } finally {
      run.owning = false;
    }
  }

  /** The last progress seen, frozen: for a paused, failed or finished download. */
  #progress(id: string, phase: 'paused' | 'complete' = 'paused'): { progress?: DownloadProgress } {
    const last = this.#last.get(id);
    if (!last) return {};
    const done = phase === 'complete' ? { bytesDone: last.bytesTotal } : {};
    return { progress: { ...last, ...done, phase, bytesPerSecond: 0 } };
  }

  #fail(id: string, error: EngineError): void {
    this.#emit({ id, state: 'error', where: 'none', error: error.toJSON(), ...this.#progress(id) });
  }

  /** Pauses the download of `id`, here or in the tab running it. Progress is kept. */
  pause(id: string): void {
    const run = this.#runs.get(id);
    if (run?.owning) {
      run.stop = 'pause';
      run.abort.abort();
    } else {
      if (run) run.stop = 'pause'; // started here but not running yet: it will not begin
      this.#post({ type: 'command', id, command: 'pause' });
    }
  }

  /** Stops the download of `id` and deletes what it had fetched, here or in the tab running it. */
  async cancel(id: string): Promise<void> {
    const run = this.#runs.get(id);
    if (run?.owning) {
      run.stop = 'cancel';
      run.abort.abort();
      await run.done;
      return;
    }
    await this.remove(id);
  }

  /** Deletes a model (a key from listModels), waiting for a download of it to stop first. */
  async remove(key: string): Promise<void> {
    const run = this.#runs.get(key);
    if (run?.owning) {
      await this.cancel(key);
      return;
    }
    this.#post({ type: 'command', id: key, command: 'cancel' });
    try {
      const manager = locks();
      if (manager) await manager.request(lockName(key), () => removeModel(key));
      else await removeModel(key);
    } catch (error) {
      this.#options.onNotice(asError(error).message);
    }
    this.#last.delete(key);
    this.#emit({ id: key, state: 'idle', where: 'none' });
    this.#disk();
  }

  /**
   * Lists what is on disk and resumes downloads a closed tab left (not those a person paused or
   * that failed: those are reported as such). Resolves with the list; downloads go on.
   */
  async resumeInterrupted(): Promise<Listing> {
    const disk = await listModels();
    for (const m of disk.models) {
      if (m.foreign || m.status !== 'partial' || !m.model) continue;
      const progress: DownloadProgress = {
        id: m.key,
        phase: 'paused',
        bytesDone: m.bytes,
        bytesTotal: m.bytesTotal ?? m.bytes,
        bytesPerSecond: 0,
        filesDone: 0,
        filesTotal: 0,
      };
      if (!this.#last.has(m.key)) this.#last.set(m.key, progress);
      if (m.hold) {
        const state = m.hold.reason === 'paused' ? 'paused' : 'error';
        const error = m.hold.error ? { error: m.hold.error } : {};
        this.#emit({ id: m.key, state, where: 'none', progress, ...error }, false);
      } else {
        void this.start(m.model, 'auto');
      }
    }
    return disk;
  }

  /** Closes the channel; downloads running here stop (kept for resume). */
  close(): void {
    for (const run of this.#runs.values()) run.abort.abort();
    this.#channel?.close();
  }

  #emit(activity: Activity, broadcast = true): void {
    this.#options.onActivity(activity);
    if (broadcast) this.#post({ type: 'activity', activity });
  }

  #disk(): void {
    this.#options.onDisk();
    this.#post({ type: 'disk' });
  }

  #post(message: Message): void {
    try {
      this.#channel?.postMessage(message);
    } catch {
      // the channel is closed (the page is going away)
    }
  }

  #receive(data: unknown): void {
    if (!isMessage(data)) return;
    if (data.type === 'disk') {
      this.#options.onDisk();
    } else if (data.type === 'command') {
      const run = this.#runs.get(data.id);
      if (!run?.owning) return;
      if (data.command === 'pause') this.pause(data.id);
      else void this.cancel(data.id);
    } else {
      const { activity } = data;
      if (this.#runs.get(activity.id)?.owning) return; // this tab knows better
      if (activity.progress) this.#last.set(activity.id, activity.progress);
      const where = activity.where === 'here' ? 'elsewhere' : activity.where;
      this.#options.onActivity({ ...activity, where });
    }
  }
}
