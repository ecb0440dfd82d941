// The page's result store: IndexedDB (idb-keyval, database "tally-bench"), one key per result.
// Rejects when the browser refuses storage (private mode, quota); entries are validated on load
// (schema.ts readRun: damage is left out and counted, a damaged header rejects with DamagedRun).
import { clear, createStore, entries, set, type UseStore } from 'idb-keyval';
import { readRun, resultKey } from './schema';
import type { ResultStore } from './store';
import type { ProblemResult, RunHeader, SavedRun } from './types';

const headerKey = 'header';
const resultPrefix = 'result:';

export class IdbStore implements ResultStore {
  #db: UseStore | undefined;

  /** Opened lazily: creating the store opens the database. */
  get #store(): UseStore {
    this.#db ??= createStore('tally-bench', 'run');
    return this.#db;
  }

  async load(): Promise<SavedRun | undefined> {
    const all = await entries<IDBValidKey, unknown>(this.#store);
    let header: unknown;
    let hasHeader = false;
    const results: unknown[] = [];
    let unreadable = 0;
    for (const [key, value] of all) {
      if (key === headerKey) {
        header = value;
        hasHeader = true;
      } else if (typeof key === 'string' && key.startsWith(resultPrefix)) {
        results.push(value);
      } else {
        unreadable += 1;
      }
    }
    if (!hasHeader && all.length === 0) return undefined;
    return readRun(header, results, unreadable);
  }

  async begin(header: RunHeader): Promise<void> {
    await clear(this.#store);
    await set(headerKey, header, this.#store);
  }

  append(result: ProblemResult): Promise<void> {
    return set(resultPrefix + resultKey(result), result, this.#store);
  }

  clear(): Promise<void> {
    return clear(this.#store);
  }
}
