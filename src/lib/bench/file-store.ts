// The CLI's result store: a JSON Lines file, a header line then one line per finished result.
// Appends are serialized, one write each; a line torn by a crash is skipped (and counted) on load.
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { isHeader, isResult } from './schema';
import { dedupe, type ResultStore } from './store';
import type { ProblemResult, RunHeader, SavedRun } from './types';

/** One line of the file. */
export type JournalLine =
  { type: 'header'; header: RunHeader } | { type: 'result'; result: ProblemResult };

export class FileStore implements ResultStore {
  /** the file's path */
  readonly path: string;
  /** the last write in the queue; each write waits for the one before */
  #tail: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.path = path;
  }

  async load(): Promise<SavedRun | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
      throw error;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    const [first, ...rest] = lines.map(parseLine);
    if (!first || first.type !== 'header') {
      throw new Error(
        `${this.path} is not a Tally results file (its first line is not a run header).`,
      );
    }
    const results: ProblemResult[] = [];
    let unreadable = 0;
    for (const line of rest) {
      if (line?.type === 'result') results.push(line.result);
      else unreadable += 1;
    }
    return { header: first.header, results: dedupe(results), unreadable };
  }

  begin(header: RunHeader): Promise<void> {
    return this.#write(() => writeFile(this.path, serialize({ type: 'header', header })));
  }

  append(result: ProblemResult): Promise<void> {
    return this.#write(() => appendFile(this.path, serialize({ type: 'result', result })));
  }

  clear(): Promise<void> {
    return this.#write(() => rm(this.path, { force: true }));
  }

  #write(step: () => Promise<void>): Promise<void> {
    const next = this.#tail.then(step);
    // A failed write fails its caller; the queue goes on for the next one.
    this.#tail = next.catch(() => undefined);
    return next;
  }
}

function serialize(line: JournalLine): string {
  return `${JSON.stringify(line)}\n`;
}

function parseLine(text: string): JournalLine | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const line = value as Record<string, unknown>;
  if (line.type === 'header' && isHeader(line.header))
    return { type: 'header', header: line.header };
  if (line.type === 'result' && isResult(line.result))
    return { type: 'result', result: line.result };
  return undefined;
}
