// Problems solved before, kept in this browser (idb-keyval) so a person can look back or delete.
// Entries are validated on read; unreadable ones are dropped with a notice, never the whole list.
import { del, get, set } from 'idb-keyval';

const KEY = 'tally:history';
/** entries kept at most; the oldest go first */
export const historyLimit = 100;
/** characters of a program's output kept in an entry (a program may print up to 1 MiB) */
export const keptOutput = 2000;

/** One solved problem, as the history panel shows it. */
export interface HistoryEntry {
  id: string;
  /** epoch milliseconds */
  at: number;
  question: string;
  /** what ran it, e.g. a model id or "model on server" */
  engine: string;
  single?: { answer: string | null; text: string };
  /** the Program column: the program run (null when the reply held none), what it printed, why it gave no answer */
  program?: {
    answer: string | null;
    program: string | null;
    /** what it printed, at most `keptOutput` characters */
    output: string;
    error: string | null;
  };
  ensemble?: {
    majority: string | null;
    /** answer -> votes */
    votes: Record<string, number>;
    used: number;
    k: number;
  };
  /** what the person's own benchmark run measured for answers of this kind (bench/evidence.ts) */
  evidence?: string;
}

const answer = (a: unknown) => a === null || typeof a === 'string';

function isProgram(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return answer(p.answer) && answer(p.program) && typeof p.output === 'string' && answer(p.error);
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Partial<HistoryEntry>;
  return (
    typeof e.id === 'string' &&
    typeof e.at === 'number' &&
    typeof e.question === 'string' &&
    typeof e.engine === 'string' &&
    (e.single === undefined || (answer(e.single.answer) && typeof e.single.text === 'string')) &&
    (e.program === undefined || isProgram(e.program)) &&
    (e.ensemble === undefined ||
      (answer(e.ensemble.majority) &&
        typeof e.ensemble.used === 'number' &&
        typeof e.ensemble.k === 'number' &&
        typeof e.ensemble.votes === 'object')) &&
    (e.evidence === undefined || typeof e.evidence === 'string')
  );
}

/**
 * The entries in `raw` that are well formed, each id once (the first: the list is newest
 * first), and how many were not: a repeated id would blank the whole keyed list.
 */
export function readHistory(raw: unknown): { entries: HistoryEntry[]; dropped: number } {
  if (raw === undefined) return { entries: [], dropped: 0 };
  if (!Array.isArray(raw)) return { entries: [], dropped: 1 };
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- local to this read, never reactive
  const ids = new Set<string>();
  const entries = raw.filter((e): e is HistoryEntry => {
    if (!isEntry(e) || ids.has(e.id)) return false;
    ids.add(e.id);
    return true;
  });
  return { entries, dropped: raw.length - entries.length };
}

export class History {
  entries = $state<HistoryEntry[]>([]);
  notice = $state('');
  #loaded: Promise<void> | undefined;

  load(): Promise<void> {
    this.#loaded ??= get<unknown>(KEY).then(
      (raw) => {
        const { entries, dropped } = readHistory(raw);
        this.entries = entries;
        if (dropped > 0)
          this.notice = `${dropped} saved problem(s) could not be read and were left out.`;
      },
      () => {
        this.notice = 'History is unavailable in this browser.';
      },
    );
    return this.#loaded;
  }

  async add(entry: HistoryEntry): Promise<void> {
    await this.load();
    this.entries = [entry, ...this.entries.filter((e) => e.id !== entry.id)].slice(0, historyLimit);
    await this.#save();
  }

  async remove(id: string): Promise<void> {
    this.entries = this.entries.filter((e) => e.id !== id);
    await this.#save();
  }

  async clear(): Promise<void> {
    this.entries = [];
    await del(KEY).catch(() => undefined);
  }

  async #save(): Promise<void> {
    try {
      await set(KEY, $state.snapshot(this.entries));
    } catch {
      this.notice = 'This problem could not be saved to history (storage full or blocked).';
    }
  }
}
