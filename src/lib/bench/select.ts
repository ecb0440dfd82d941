// Picks which problems a run takes: the first N, or a seeded random sample that is the same everywhere.
// Pure and deterministic; a limit past the number of problems takes them all.
import { seededRandom } from '../solver/simulate';
import type { Problem, Selection } from './types';

/**
 * The problems a selection takes, in file order. 'random' runs the first `limit` steps of a
 * Fisher–Yates shuffle driven by seededRandom(seed) (mulberry32), so for one seed a smaller sample is always a
 * subset of a larger one: raising `--limit` extends a sample instead of replacing it.
 */
export function selectProblems(problems: readonly Problem[], selection: Selection): Problem[] {
  const limit = Math.max(0, Math.min(Math.floor(selection.limit), problems.length));
  if (selection.sample === 'first') return problems.slice(0, limit);
  const order = problems.map((_, i) => i);
  const random = seededRandom(selection.seed);
  for (let i = 0; i < limit; i += 1) {
    const j = i + Math.floor(random() * (order.length - i));
    const a = order[i] ?? i;
    order[i] = order[j] ?? j;
    order[j] = a;
  }
  return order
    .slice(0, limit)
    .sort((a, b) => a - b)
    .flatMap((i) => {
      const problem = problems[i];
      return problem ? [problem] : [];
    });
}
