// Where a run's finished results are kept so an interrupted run can continue: one interface, two stores
// (IndexedDB in the page, a JSON Lines file in the CLI). A store rejects when it cannot write.
import { resultKey } from './schema';
import type { ProblemResult, RunHeader, SavedRun } from './types';

export interface ResultStore {
  /** the saved run, or undefined when there is none; unreadable entries are counted, not thrown */
  load(): Promise<SavedRun | undefined>;
  /** starts a new run, discarding whatever was saved */
  begin(header: RunHeader): Promise<void>;
  /** saves one finished result; resolves once it would survive the process or page ending */
  append(result: ProblemResult): Promise<void>;
  /** deletes the saved run */
  clear(): Promise<void>;
}

/** Keeps the last result for each (problem, mode), in first-seen order. */
export function dedupe(results: Iterable<ProblemResult>): ProblemResult[] {
  const byKey = new Map<string, ProblemResult>();
  for (const result of results) byKey.set(resultKey(result), result);
  return [...byKey.values()];
}
