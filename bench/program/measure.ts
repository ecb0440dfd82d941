// What `npm run bench:program` measures in each host, the same code for both: start-up, a
// baseline (an empty program), each of the project's programs in a sandbox started ahead (the run
// alone), and the same programs back to back, each in a fresh sandbox started from the snapshot
// (what a program costs in all, as when grading many), as medians.
import { readAnswer } from '../../src/lib/program/answer';
import type { ProgramRunner } from '../../src/lib/program/runner';
import { answersEqual } from '../../src/lib/solver/equal';
import { benchPrograms } from './programs';

export interface HostFigures {
  /** the first start of Python in this host (nothing cached but what the OS has) */
  coldMs: number;
  /** later starts: the files from the HTTP cache (browser) or the OS file cache (Node) */
  warmStartMs: number[];
  /** median round trip of `pass`: the host's own cost per run */
  baselineMs: number;
  /** median round trip of each program, by name */
  programMs: Record<string, number>;
  /** median over all programs' round trips, each in a sandbox started ahead: the run alone */
  medianMs: number;
  /** median time per program when they come back to back: a clean start from the snapshot and the run */
  cleanMs: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Runs `program` and checks its answer: a figure for a broken run means nothing. */
async function checkedRun(
  runner: ProgramRunner,
  program: (typeof benchPrograms)[number],
): Promise<void> {
  const read = readAnswer(await runner.run(program.code));
  if (!('answer' in read) || !answersEqual(read.answer, program.answer)) {
    runner.close();
    throw new Error(`${program.name}: expected ${program.answer}, got ${JSON.stringify(read)}`);
  }
}

/**
 * Starts `starts` runners one after another (the first is the cold start), then, in the last one,
 * times `rounds` runs of the baseline and of each program with the next sandbox started before
 * each (the run alone), and `rounds` rounds of the programs back to back (a clean start each).
 * Rejects if a program's answer is wrong or a run fails.
 */
export async function measureHost(
  newRunner: () => ProgramRunner,
  starts: number,
  rounds: number,
): Promise<HostFigures> {
  const startMs: number[] = [];
  let runner = newRunner();
  for (let i = 0; i < starts; i += 1) {
    if (i > 0) {
      runner.close();
      runner = newRunner();
    }
    startMs.push(await timed(() => runner.warm()));
  }
  const baseline: number[] = [];
  const all: number[] = [];
  const programMs: Record<string, number> = {};
  const byProgram = new Map<string, number[]>(benchPrograms.map((p) => [p.name, []]));
  const clean: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await runner.warm();
    baseline.push(await timed(() => runner.run('pass')));
    for (const program of benchPrograms) {
      await runner.warm();
      const ms = await timed(() => checkedRun(runner, program));
      byProgram.get(program.name)?.push(ms);
      all.push(ms);
    }
    await runner.warm();
    const batch = await timed(async () => {
      for (const program of benchPrograms) await checkedRun(runner, program);
    });
    clean.push(batch / benchPrograms.length);
  }
  runner.close();
  for (const [name, times] of byProgram) programMs[name] = median(times);
  return {
    coldMs: startMs[0] ?? NaN,
    warmStartMs: startMs.slice(1),
    baselineMs: median(baseline),
    programMs,
    medianMs: median(all),
    cleanMs: median(clean),
  };
}
