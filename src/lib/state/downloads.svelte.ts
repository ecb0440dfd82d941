// Model downloads and what is on disk, as the UI sees them: per-model activity (here or in another
// tab), the storage list, usage and quota, persistence. Failures become activity errors or a notice.
import type { ModelBuild } from '../models/catalog';
import { DownloadManager, type Activity, type ManagerOptions } from '../store/manager';
import { estimateStorage, isPersisted, requestPersistence } from '../store/quota';
import { listModels, type Listing } from '../store/disk';
import type { ModelOnDisk, StorageEstimate, StoreModel } from '../store/types';

/** The store's input for a catalog or custom build (no digests: the catalog has none yet). */
export function storeModelOf(
  build: Pick<ModelBuild, 'model_id' | 'model' | 'model_lib'>,
): StoreModel {
  return { id: build.model_id, model: build.model, model_lib: build.model_lib };
}

const idle = (id: string): Activity => ({ id, state: 'idle', where: 'none' });

export class Downloads {
  #activity = $state<Record<string, Activity>>({});
  #disk = $state<ModelOnDisk[]>([]);
  #estimate = $state<StorageEstimate | undefined>();
  #persisted = $state<boolean | undefined>();
  #notice = $state<string | undefined>();
  #manager: DownloadManager | undefined;
  readonly #options: ManagerOptions['download'];
  /** models this tab has seen, to resume by id */
  readonly #models: Record<string, StoreModel> = {};
  #refreshing: Promise<void> | undefined;
  /** a listing was asked for while one ran */
  #stale = false;

  /** @param options passed to every download (parallelism, retry policy) */
  constructor(options?: ManagerOptions['download']) {
    this.#options = options;
  }

  /** Per-model activity, by model id. */
  get activity(): Readonly<Record<string, Activity>> {
    return this.#activity;
  }
  /** Models in this browser's storage. */
  get disk(): readonly ModelOnDisk[] {
    return this.#disk;
  }
  /** Usage and quota of this site's storage; undefined where the browser does not say. */
  get estimate(): StorageEstimate | undefined {
    return this.#estimate;
  }
  /** The browser's answer to persist(): true granted, false refused, undefined not asked/unknown. */
  get persisted(): boolean | undefined {
    return this.#persisted;
  }
  /** Something a person should know (damaged saved state was reset, a file was re-fetched). */
  get notice(): string | undefined {
    return this.#notice;
  }

  /** The activity of one model; idle when nothing is known. */
  status(id: string): Activity {
    return this.#activity[id] ?? idle(id);
  }

  get #store(): DownloadManager {
    this.#manager ??= new DownloadManager({
      onActivity: (a) => {
        this.#setActivity(a);
      },
      onDisk: () => {
        void this.refresh();
      },
      onNotice: (message) => {
        this.#notice = message;
      },
      ...(this.#options ? { download: this.#options } : {}),
    });
    return this.#manager;
  }

  #setActivity(activity: Activity): void {
    this.#activity = { ...this.#activity, [activity.id]: activity };
  }

  /** Shows a listing; records it left out get the notice History gives its own. */
  #show({ models, leftOut }: Listing): void {
    for (const m of models) if (m.model) this.#models[m.key] = m.model;
    this.#disk = models;
    if (leftOut > 0) {
      this.#notice = `${leftOut} saved download record(s) could not be read and were left out.`;
    }
  }

  /** On a visit: reads what is on disk and resumes downloads a closed tab left behind. */
  async restore(): Promise<void> {
    try {
      this.#persisted = await isPersisted();
      this.#show(await this.#store.resumeInterrupted());
      this.#estimate = await estimateStorage();
    } catch (error) {
      this.#notice = error instanceof Error ? error.message : String(error);
    }
  }

  /** Downloads a model (or follows another tab's download of it), asking for persistent storage. */
  async start(model: StoreModel): Promise<void> {
    this.#models[model.id] = model;
    this.#notice = undefined;
    // the download is registered at once, so a pause pressed while the browser is asked holds
    const asked = this.#persisted === true ? undefined : requestPersistence();
    const done = this.#store.start(model, 'person');
    if (asked) this.#persisted = await asked;
    await done;
  }

  /** Resumes a paused or failed download this tab knows the model of. */
  resume(id: string): Promise<void> {
    const model = this.#models[id];
    if (!model) return Promise.resolve();
    return this.start(model);
  }

  pause(id: string): void {
    this.#store.pause(id);
  }

  /** Stops a download and deletes what it fetched. */
  cancel(id: string): Promise<void> {
    return this.#store.cancel(id);
  }

  /** Deletes a model from storage (stopping its download first). */
  remove(key: string): Promise<void> {
    return this.#store.remove(key);
  }

  dismissNotice(): void {
    this.#notice = undefined;
  }

  #askedAgain(): boolean {
    return this.#stale;
  }

  /**
   * Lists storage again. Calls while a listing runs share it, and it runs once more after, so
   * what it resolves with is never older than the call.
   */
  refresh(): Promise<void> {
    if (this.#refreshing) {
      this.#stale = true;
      return this.#refreshing;
    }
    this.#refreshing = (async () => {
      try {
        do {
          this.#stale = false;
          this.#show(await listModels());
          this.#estimate = await estimateStorage();
        } while (this.#askedAgain());
      } catch (error) {
        this.#notice = error instanceof Error ? error.message : String(error);
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return this.#refreshing;
  }
}

/** The page's one instance: the storage panel and the model picker share it. */
export const downloads = new Downloads();
