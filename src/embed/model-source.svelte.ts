// Where the widget's model comes from: the embedder's server, or the reader's GPU with weights in
// this frame's storage (Tally's own, when the browser allows). Never throws: failures become `note`.
import { EngineError } from '../lib/engine/errors';
import { probeGpu, type GpuReport } from '../lib/engine/gpu';
import { lacksHalfPrecision } from '../lib/engine/gpu-words';
import type { CatalogModel, ModelBuild } from '../lib/models/catalog';
import { buildFor, modelFor } from './model-choice';
import type { StorageKind, WidgetOptions } from './protocol';
import {
  canUseIndexedDB,
  copyModel,
  findModel as findStored,
  hasStorageAccessApi,
  placement,
  requestStorageAccess,
  storageKind,
  type ModelFiles,
  type Placement,
} from './storage-access';

/** What the widget can run with, as far as it knows. */
export type Availability =
  | { kind: 'checking' }
  /** the embedder's server: connected on the first solve */
  | { kind: 'server' }
  | { kind: 'no-webgpu'; reason: string }
  | { kind: 'no-build'; reason: string }
  /** the model's files are in this frame's storage: it loads without the network */
  | { kind: 'found' }
  /** not in this frame's storage (see `storage` for why) */
  | { kind: 'missing' }
  | {
      kind: 'copying';
      /** bytes copied so far */
      bytes: number;
      /** bytes to copy */
      total: number;
    };

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The model's files in this frame's own storage, or 'blocked' when it has none. */
async function lookHere(build: ModelBuild): Promise<ModelFiles | 'blocked'> {
  try {
    return await findStored(indexedDB, build);
  } catch {
    return 'blocked';
  }
}

export class ModelSource {
  availability = $state<Availability>({ kind: 'checking' });
  /** the storage this frame has; 'unknown' until the first check */
  storage = $state<StorageKind>('unknown');
  /** the build this device would run, once known */
  build = $state.raw<ModelBuild | undefined>();
  model = $state.raw<CatalogModel | undefined>();
  /** what the last storage-access attempt found, in words */
  note = $state('');
  /** the browser has the Storage Access API and the frame is (or may be) cross-site */
  canAskAccess = $state(false);
  readonly placement: Placement = placement();
  #gpu: Promise<GpuReport> | undefined;
  #checked: Promise<void> = Promise.resolve();
  #generation = 0;

  /** Resolves once the latest `check` has finished. */
  settled(): Promise<void> {
    return this.#checked;
  }

  /** Works out the availability for `options`; later calls supersede earlier ones. */
  check(options: WidgetOptions): Promise<void> {
    const generation = ++this.#generation;
    this.#checked = this.#check(options, generation);
    return this.#checked;
  }

  async #check(options: WidgetOptions, generation: number): Promise<void> {
    const current = () => generation === this.#generation;
    this.availability = { kind: 'checking' };
    this.note = '';
    this.canAskAccess = this.placement.crossSite !== false && hasStorageAccessApi();
    try {
      this.model = modelFor(options);
    } catch (error) {
      this.availability = { kind: 'no-build', reason: message(error) };
      return;
    }
    const storage = await storageKind(this.placement, await canUseIndexedDB());
    if (!current()) return;
    this.storage = storage;
    if (options.server) {
      this.availability = { kind: 'server' };
      return;
    }
    this.#gpu ??= probeGpu();
    const gpu = await this.#gpu;
    if (!current()) return;
    if (!gpu.available) {
      this.availability = { kind: 'no-webgpu', reason: gpu.reason ?? 'WebGPU is unavailable.' };
      return;
    }
    const build = buildFor(this.model, gpu.features);
    this.build = build;
    if (!build) {
      this.availability = {
        kind: 'no-build',
        reason: lacksHalfPrecision(this.model.name),
      };
      return;
    }
    const here = await lookHere(build);
    if (!current()) return;
    this.availability =
      here !== 'blocked' && here.complete ? { kind: 'found' } : { kind: 'missing' };
  }

  /**
   * Asks the browser for storage access (call from a click), then uses Tally's own copy of the
   * model: in place when the grant gave this frame Tally's storage, else copied through the handle
   * into this frame's storage. Sets `note` when it cannot, saying what to do instead.
   */
  async useTallyStorage(signal?: AbortSignal): Promise<void> {
    const build = this.build;
    if (!build || this.availability.kind !== 'missing') return;
    this.note = '';
    try {
      const firstParty = await requestStorageAccess();
      const here = await lookHere(build);
      if (here !== 'blocked' && here.complete) {
        this.storage = 'first-party';
        this.availability = { kind: 'found' };
        return;
      }
      if (!firstParty) {
        this.note =
          'Access was granted, but Tally’s copy of the model is still out of reach here. Open Tally in its own tab to solve with it.';
        return;
      }
      const files = await findStored(firstParty, build);
      if (!files.complete) {
        this.note = `Tally’s own site has no complete copy of ${build.model_id} in this browser either.`;
        return;
      }
      if (here === 'blocked') {
        throw new EngineError(
          'storage',
          'This browser blocks storage for the widget on this page even with access granted. Open Tally in its own tab to solve with the model.',
        );
      }
      this.availability = { kind: 'copying', bytes: 0, total: files.bytes };
      await copyModel(
        firstParty,
        indexedDB,
        files,
        (bytes) => {
          this.availability = { kind: 'copying', bytes, total: files.bytes };
        },
        signal,
      );
      const after = await lookHere(build);
      const complete = after !== 'blocked' && after.complete;
      this.availability = complete ? { kind: 'found' } : { kind: 'missing' };
      if (!complete) this.note = 'The copy did not complete; try again.';
    } catch (error) {
      this.note = message(error);
      this.availability = { kind: 'missing' };
    }
  }

  /** The model was downloaded and loaded here (by web-llm): it is in this frame's storage now. */
  markFound(): void {
    if (this.availability.kind === 'missing') this.availability = { kind: 'found' };
  }
}
