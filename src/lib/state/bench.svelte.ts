// The benchmark page's state: the data, the options, a run in progress or saved, and its results.
// Failures land in `error` (a run that could not go on) or `failures` (problems a resume retries).
import { get as readSetting, set as keepSetting } from 'idb-keyval';
import type { Engine } from '../engine/engine';
import { fingerprint, parseDataset, type Dataset, type SkippedLine } from '../bench/data';
import {
  checkData,
  DataError,
  dataSource,
  downloadData,
  published,
  publishedSets,
  type DataProgress,
  type DataSource,
  type PublishedId,
} from '../bench/published';
import { createBrowserRunner } from '../program/browser-runner';
import type { ProgramRunner } from '../program/runner';
import { toCsv, toJson } from '../bench/export';
import { calibrate } from '../bench/calibration';
import {
  defaultForm,
  evidenceProblems,
  formOf,
  planRun,
  type BenchForm,
  type LoadedData,
} from '../bench/form';
import { IdbStore } from '../bench/idb-store';
import { runBench, type RunOutcome, type UnitFailure } from '../bench/runner';
import { DamagedRun, damageNotice, resultKey } from '../bench/schema';
import { summarize } from '../bench/stats';
import type { ResultStore } from '../bench/store';
import type { ProblemResult, RunHeader, SavedRun } from '../bench/types';
import type { PromptFamily } from '../solver/prompt';

/**
 * The Cache Storage cache that keeps downloaded data sets, each under its URL, for offline use.
 * The page puts a file there only once it checks out, so a truncated or altered download is never
 * kept (a service-worker route would cache whatever arrived).
 */
export const dataCacheName = 'tally-data';
/** largest data file the page reads, bytes */
export const maxDataBytes = 50 * 1024 * 1024;

/** where the published sets' URL settings are kept (idb-keyval's default store, beside the settings) */
const sourceUrlsKey = 'tally:data-urls';

export type BenchStatus = 'idle' | 'running' | 'stopping';

export class BenchState {
  form = $state<BenchForm>({ ...defaultForm });
  /** the data a new run takes problems from */
  data = $state.raw<LoadedData | undefined>();
  /** malformed lines (or records) of the loaded data */
  skipped = $state.raw<SkippedLine[]>([]);
  skippedUnit = $state<Dataset['unit']>('line');
  /** the run shown: in progress, finished, or saved from an earlier visit */
  header = $state.raw<RunHeader | undefined>();
  results = $state.raw<ProblemResult[]>([]);
  /** problems that failed in this session; a resume retries them */
  failures = $state.raw<UnitFailure[]>([]);
  status = $state<BenchStatus>('idle');
  /** data is being read */
  loadingData = $state(false);
  /** the published set the Data panel offers */
  setId = $state<PublishedId>('gsm8k');
  /** where each published set is downloaded from: empty for its home, else a URL (see dataSource) */
  sourceUrls = $state<Record<PublishedId, string>>({ gsm8k: '', 'gsm-hard': '', svamp: '' });
  /** the chosen published set */
  set = $derived(published[this.setId]);
  /** the download under way, if any */
  download = $state.raw<DataProgress | undefined>();
  /** how the last session ended */
  outcome = $state<RunOutcome['status'] | undefined>();
  /** a message for the person: bad options, a run that could not start or go on */
  error = $state('');
  /** why the data could not be loaded: shown by the data choice, apart from the run's messages */
  dataError = $state('');
  /** the data error is a published set that could not be downloaded: other ways in are offered */
  dataUnreachable = $state(false);
  /** the problem whose solutions are open */
  selected = $state<string | undefined>();
  /** (problem, mode) keys being attempted now */
  active = $state.raw<string[]>([]);
  summaries = $derived(this.header ? summarize(this.header.config.modes, this.results) : []);
  /** how often each kind of answer was right in the shown run */
  calibration = $derived(
    calibrate(this.header?.config.modes ?? [], this.header ? this.results : []),
  );
  total = $derived(this.header ? this.header.problems.length * this.header.config.modes.length : 0);
  /** a saved run with problems left, and nothing running */
  canResume = $derived(
    this.header !== undefined && this.status === 'idle' && this.results.length < this.total,
  );
  readonly #store: ResultStore;
  /** runs the program mode's programs; started on the first run that has that mode */
  #programs: ProgramRunner | undefined;
  #restored: Promise<void> | undefined;
  #urlsRestored: Promise<void> | undefined;
  #abort: AbortController | undefined;
  /** counts data loads: only the latest one's problems are kept */
  #dataLoads = 0;

  constructor(store: ResultStore = new IdbStore()) {
    this.#store = store;
  }

  /** Shows the run saved in this browser, if any; safe to call repeatedly. */
  restore(): Promise<void> {
    this.#restored ??= this.#store.load().then(
      (saved) => {
        // unless a run was started meanwhile
        if (saved && !this.header) {
          this.#show(saved);
          this.form = formOf(saved.header.config, this.form);
        }
      },
      (error: unknown) => {
        this.error =
          error instanceof DamagedRun
            ? error.message
            : 'Saved benchmark results are unavailable in this browser.';
      },
    );
    return this.#restored;
  }

  /** Reads the kept URLs once; a set whose URL the person has typed meanwhile keeps theirs. */
  #restoreUrls(): Promise<void> {
    this.#urlsRestored ??= Promise.resolve()
      .then(() => readSetting<unknown>(sourceUrlsKey))
      .then(
        (saved) => {
          if (typeof saved !== 'object' || saved === null) return;
          for (const { id } of publishedSets) {
            const url: unknown = (saved as Record<string, unknown>)[id];
            if (typeof url === 'string' && this.sourceUrls[id] === '') this.sourceUrls[id] = url;
          }
        },
        () => {
          // nothing kept in this browser: the published files
        },
      );
    return this.#urlsRestored;
  }

  /**
   * Sets a published set's URL and keeps it in this browser; one that does not parse is not kept
   * (using it says why), so a later visit never opens on it.
   */
  saveSourceUrl(id: PublishedId, url: string): void {
    this.sourceUrls[id] = url;
    try {
      dataSource(url, published[id].source);
    } catch {
      return;
    }
    keepSetting(sourceUrlsKey, $state.snapshot(this.sourceUrls)).catch(() => {
      this.#dataFailed(`The ${published[id].short} URL could not be kept in this browser.`, false);
    });
  }

  update(patch: Partial<BenchForm>): void {
    this.form = { ...this.form, ...patch };
  }

  /**
   * Loads the chosen published set: the copy kept in this browser, else a download (its progress
   * in `download`), checked against the published records and digest and kept for offline use.
   * With `keptOnly`, only a kept copy is read: opening the page contacts no other host.
   */
  async usePublished(keptOnly = false): Promise<void> {
    await this.#restoreUrls();
    let source: DataSource;
    try {
      source = dataSource(this.sourceUrls[this.setId], this.set.source);
    } catch (error) {
      this.#dataFailed(error instanceof Error ? error.message : String(error), false);
      return;
    }
    await this.#load(source.name, async () => {
      const kept = await readKept(source);
      if (kept !== undefined || keptOnly) return kept;
      try {
        const bytes = await downloadData(source, (progress) => {
          this.download = progress;
        });
        await keep(source, bytes);
        return new TextDecoder().decode(bytes);
      } finally {
        this.download = undefined;
      }
    });
  }

  /** Chooses another published set, loading the copy this browser kept of it, if any. */
  async chooseSet(id: PublishedId): Promise<void> {
    if (this.status !== 'idle') return;
    this.setId = id;
    this.#dataFailed('', false);
    await this.usePublished(true);
  }

  /** Loads problems from a file the person picked. */
  async useFile(file: File): Promise<void> {
    await this.#load(file.name, () => {
      if (file.size > maxDataBytes) {
        throw new Error(`it is ${Math.round(file.size / 2 ** 20)} MB; the limit is 50 MB`);
      }
      return file.text();
    });
  }

  /** Starts a new run from the form, discarding the saved one. */
  async start(engine: Engine | undefined, family: PromptFamily, model: string): Promise<void> {
    if (this.status !== 'idle') return;
    if (!engine) {
      this.error = 'Load a model or connect to a server first.';
      return;
    }
    if (!this.data) {
      this.error = 'Pick the data first.';
      return;
    }
    const header = planRun($state.snapshot(this.form), this.data, family, model);
    if (typeof header === 'string') {
      this.error = header;
      return;
    }
    try {
      await this.#store.begin(header);
    } catch {
      this.error = 'Results cannot be saved in this browser (storage full or blocked).';
      return;
    }
    this.#show({ header, results: [], unreadable: 0 });
    await this.#run(engine, header, []);
  }

  /**
   * The Solve page's one-click evidence run: the first `evidenceProblems` of GSM8K with the model
   * and the parts the person solves with (`parts`: the program and the ensemble as on the Solve
   * page), downloaded or from this browser's copy. It is an ordinary run: saved as it goes,
   * resumable, shown here.
   */
  async measure(
    engine: Engine | undefined,
    family: PromptFamily,
    model: string,
    parts: Pick<
      BenchForm,
      | 'program'
      | 'ensemble'
      | 'k'
      | 'stopKind'
      | 'betaThreshold'
      | 'escWindow'
      | 'temperature'
      | 'top_p'
      | 'verify'
    >,
  ): Promise<void> {
    if (this.status !== 'idle') return;
    this.update({ ...parts, single: true, limit: evidenceProblems, sample: 'first' });
    this.setId = 'gsm8k';
    await this.usePublished();
    if (this.data && this.data.problems.length > 0) await this.start(engine, family, model);
  }

  /** Continues the shown run, skipping finished problems. */
  async resume(engine: Engine | undefined, family: PromptFamily, model: string): Promise<void> {
    const header = this.header;
    if (!header || this.status !== 'idle') return;
    if (!engine) {
      this.error = 'Load a model or connect to a server first.';
      return;
    }
    if (header.config.model !== model || header.config.family !== family) {
      this.error = `This run was started with ${header.config.model} (${header.config.family} prompts); connect to it again to resume, or start a new run.`;
      return;
    }
    await this.#run(engine, header, this.results);
  }

  /** Stops the run: calls in flight are cut off, finished results stay saved. */
  stop(): void {
    if (this.status !== 'running') return;
    this.status = 'stopping';
    this.#abort?.abort();
  }

  /** Deletes the saved run. */
  async discard(): Promise<void> {
    if (this.status !== 'idle') return;
    this.header = undefined;
    this.results = [];
    this.failures = [];
    this.outcome = undefined;
    this.selected = undefined;
    await this.#store.clear().catch(() => undefined);
  }

  select(problemId: string | undefined): void {
    this.selected = this.selected === problemId ? undefined : problemId;
  }

  /** The shown run as a JSON export, or undefined when there is none. */
  exportJson(): string | undefined {
    return this.header ? toJson(this.#saved(this.header)) : undefined;
  }

  /** The shown run as a CSV export, or undefined when there is none. */
  exportCsv(): string | undefined {
    return this.header ? toCsv(this.#saved(this.header)) : undefined;
  }

  #saved(header: RunHeader): SavedRun {
    return { header, results: this.results, unreadable: 0 };
  }

  #show(saved: SavedRun): void {
    this.header = saved.header;
    this.results = saved.results;
    this.failures = [];
    this.outcome = undefined;
    this.selected = undefined;
    const damage = damageNotice(saved);
    if (damage) this.error = damage;
  }

  /** Reads data with `read` (undefined: nothing to load) and shows it, or why it failed. */
  async #load(name: string, read: () => Promise<string | undefined>): Promise<void> {
    if (this.status !== 'idle') return;
    this.#dataLoads += 1;
    const load = this.#dataLoads;
    this.loadingData = true;
    try {
      const text = await read();
      if (load !== this.#dataLoads || text === undefined) return;
      const { problems, skipped, unit } = parseDataset(text);
      this.data = { name, problems, fingerprint: fingerprint(problems) };
      this.skipped = skipped;
      this.skippedUnit = unit;
      this.#dataFailed(problems.length === 0 ? `${name} has no valid problems.` : '', false);
    } catch (error) {
      if (load !== this.#dataLoads) return;
      if (error instanceof DataError) this.#dataFailed(error.message, true);
      else {
        const why = error instanceof Error ? error.message : String(error);
        this.#dataFailed(`${name} could not be read: ${why}.`, false);
      }
    } finally {
      if (load === this.#dataLoads) this.loadingData = false;
    }
  }

  /** Shows why the data could not be loaded ('' clears it); `unreachable` offers the other ways in. */
  #dataFailed(message: string, unreachable: boolean): void {
    this.dataError = message;
    this.dataUnreachable = message !== '' && unreachable;
  }

  async #run(engine: Engine, header: RunHeader, done: ProblemResult[]): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.status = 'running';
    this.error = '';
    this.failures = [];
    this.outcome = undefined;
    const outcome = await runBench({
      engine,
      header,
      done,
      store: this.#store,
      programs: header.config.modes.some((mode) => mode.kind === 'program')
        ? (this.#programs ??= createBrowserRunner())
        : undefined,
      concurrency: this.form.concurrency,
      signal: abort.signal,
      onStart: (problem, mode) => {
        this.active = [...this.active, resultKey({ problemId: problem.id, mode })];
      },
      onResult: (result) => {
        this.results = [...this.results, result];
        this.active = this.active.filter((key) => key !== resultKey(result));
      },
      onFailure: (failure) => {
        this.failures = [...this.failures, failure];
        this.active = this.active.filter((key) => key !== resultKey(failure));
      },
    });
    this.active = [];
    this.outcome = outcome.status;
    if (outcome.error) this.error = outcome.error.message;
    this.status = 'idle';
  }
}

/** The kept copy of `source`, if there is one that still checks out (one that does not is dropped). */
async function readKept(source: DataSource): Promise<string | undefined> {
  try {
    const cache = await caches.open(dataCacheName);
    const response = await cache.match(source.url);
    if (!response) return undefined;
    const bytes = new Uint8Array(await response.arrayBuffer());
    if ((await checkData(bytes, source)) === undefined) return new TextDecoder().decode(bytes);
    await cache.delete(source.url);
  } catch {
    // no Cache Storage here (an insecure origin, or storage blocked): download instead
  }
  return undefined;
}

/** Keeps checked bytes for offline use; where storage is blocked, the next visit downloads again. */
async function keep(source: DataSource, bytes: Uint8Array<ArrayBuffer>): Promise<void> {
  try {
    const cache = await caches.open(dataCacheName);
    await cache.put(
      source.url,
      new Response(bytes, { headers: { 'Content-Type': 'application/jsonl; charset=utf-8' } }),
    );
  } catch {
    // the data is loaded all the same
  }
}
