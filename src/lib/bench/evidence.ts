// The Solve page's line of evidence: what the person's own finished benchmark run, with the same
// model and the same parts (single call, program, vote), measured for answers of this kind. Never a
// figure the run did not measure. Pure; the page reads the stored run (idb-store.ts) lazily.
import { agreementPattern, patternWords, type Part } from '../solver/story';
import { calibrate } from './calibration';
import { percent } from './report';
import { resultKey } from './schema';
import type { SavedRun } from './types';

/** Whether every (problem, mode) of the run has a result. */
export function isFinished(run: SavedRun): boolean {
  const keys = new Set(run.results.map(resultKey));
  return keys.size >= run.header.problems.length * run.header.config.modes.length;
}

/** The parts a run's modes give, in page order. */
function partsOf(run: SavedRun): string[] {
  const kinds = new Set(run.header.config.modes.map((m) => m.kind));
  return (['single', 'program', 'vote'] as const).filter((name) =>
    kinds.has(name === 'vote' ? 'ensemble' : name),
  );
}

/**
 * One sentence of evidence for an answer whose parts are `parts`, from `run` when it is finished,
 * ran `model` and has the same parts; undefined when it does not match (the page then offers to
 * measure). "In your GSM8K test run with this model, answers where the single call and the vote
 * agreed were right 412 of 425 times (96.9%)."
 */
export function evidenceLine(
  run: SavedRun | undefined,
  model: string,
  parts: readonly Part[],
): string | undefined {
  if (!run || run.header.config.model !== model || !isFinished(run)) return undefined;
  const mine = parts.map((p) => p.name);
  const theirs = partsOf(run);
  if (mine.length !== theirs.length || mine.some((name, i) => theirs[i] !== name)) return undefined;
  const pattern = agreementPattern(parts);
  const where = `answers where ${patternWords(pattern)}`;
  const yours = `your ${run.header.config.dataset} run with this model`;
  const group = calibrate(run.header.config.modes, run.results).byAgreement.find(
    (g) => g.pattern === pattern,
  );
  if (!group || group.accuracy === null) {
    return `In ${yours}, there were no ${where}: nothing measured for this kind yet.`;
  }
  return `In ${yours}, ${where} were right ${group.correct} of ${group.n} times (${percent(group.accuracy)}).`;
}
