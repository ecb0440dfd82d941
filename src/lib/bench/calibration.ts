// How often each kind of answer was right, from a run's own results: by which parts agreed (the
// single call, the program, the vote: solver/story.ts groups them as the Solve page does) and by
// the share of samples that gave the vote's answer. Pure; empty groups have no accuracy, never 0.
import { answersEqual } from '../solver/equal';
import { agreementPattern, chosenPart, type Part, type PartName } from '../solver/story';
import { modeId } from './modes';
import { wilson } from './stats';
import type { ModeSpec, ProblemResult } from './types';

/** One group of answers and how often Tally's answer in it was right. */
export interface CalibrationGroup {
  n: number;
  correct: number;
  /** correct / n; null when the group is empty */
  accuracy: number | null;
  /** 95% Wilson interval; null when the group is empty */
  ci: { low: number; high: number } | null;
}

export interface AgreementGroup extends CalibrationGroup {
  /** solver `agreementPattern`: "single=program=vote", "single≠vote", … */
  pattern: string;
}

export interface ShareGroup extends CalibrationGroup {
  /** the share of answering samples that gave the vote's answer: from (inclusive) … */
  from: number;
  /** … to (exclusive; the group from 1 to 1 holds unanimous votes) */
  to: number;
}

export interface Calibration {
  /** Tally's answer (the vote's, else the program's, else the single call's) by agreement pattern, most frequent first */
  byAgreement: AgreementGroup[];
  /** the vote's answer by its share of the samples; empty without an ensemble mode */
  byVoteShare: ShareGroup[];
}

/** The vote-share groups: unanimous, 80–99%, 60–79%, below 60%. */
export const shareBins: readonly { from: number; to: number }[] = [
  { from: 1, to: 1 },
  { from: 0.8, to: 1 },
  { from: 0.6, to: 0.8 },
  { from: 0, to: 0.6 },
];

/** The share of answering samples whose answer is `answer` (0 when it is null or none answered). */
export function voteShare(votes: Readonly<Record<string, number>>, answer: string | null): number {
  const total = Object.values(votes).reduce((n, v) => n + v, 0);
  if (answer === null || total === 0) return 0;
  const same = Object.entries(votes).reduce(
    (n, [a, v]) => n + (answersEqual(a, answer) ? v : 0),
    0,
  );
  return same / total;
}

/** The bin a share falls in. */
export function shareBin(share: number): { from: number; to: number } {
  return (
    shareBins.find((b) => (b.from === b.to ? share >= 1 : share >= b.from && share < b.to)) ??
    shareBins[shareBins.length - 1] ?? { from: 0, to: 0.6 }
  );
}

const group = (correct: number, n: number): CalibrationGroup => ({
  n,
  correct,
  accuracy: n > 0 ? correct / n : null,
  ci: n > 0 ? wilson(correct, n) : null,
});

/** A vote-share group in words: "all samples agreed", "80–99% agreed", "below 60% agreed". */
export function shareWords(bin: { from: number; to: number }): string {
  if (bin.from === bin.to) return 'all samples agreed';
  if (bin.from === 0) return `below ${Math.round(bin.to * 100)}% of samples agreed`;
  return `${Math.round(bin.from * 100)}–${Math.round(bin.to * 100) - 1}% of samples agreed`;
}

/**
 * The calibration of a run's results. Each problem counts once, and only once every part the run
 * has (the first single, program and ensemble mode) finished it, so patterns are comparable.
 */
export function calibrate(
  modes: readonly ModeSpec[],
  results: Iterable<ProblemResult>,
): Calibration {
  const parts: [PartName, string][] = [];
  for (const [name, kind] of [
    ['single', 'single'],
    ['program', 'program'],
    ['vote', 'ensemble'],
  ] as const) {
    const mode = modes.find((m) => m.kind === kind);
    if (mode) parts.push([name, modeId(mode)]);
  }
  const byProblem = new Map<string, Map<string, ProblemResult>>();
  for (const r of results) {
    const held = byProblem.get(r.problemId) ?? new Map<string, ProblemResult>();
    held.set(r.mode, r);
    byProblem.set(r.problemId, held);
  }
  const patterns = new Map<string, { n: number; correct: number }>();
  const shares = shareBins.map(() => ({ n: 0, correct: 0 }));
  for (const held of byProblem.values()) {
    const found = parts.map(([name, id]) => [name, held.get(id)] as const);
    if (parts.length === 0 || found.some(([, r]) => r === undefined)) continue;
    const story: Part[] = found.flatMap(([name, r]) => (r ? [{ name, answer: r.answer }] : []));
    const gold = found[0]?.[1]?.gold ?? '';
    const chosen = chosenPart(story);
    const pattern = agreementPattern(story);
    const tally = patterns.get(pattern) ?? { n: 0, correct: 0 };
    tally.n += 1;
    if (chosen && answersEqual(chosen.answer, gold)) tally.correct += 1;
    patterns.set(pattern, tally);
    const vote = found.find(([name]) => name === 'vote')?.[1];
    if (vote) {
      const bin = shareBins.indexOf(shareBin(voteShare(vote.votes, vote.answer)));
      const counts = shares[bin];
      if (counts) {
        counts.n += 1;
        if (vote.correct) counts.correct += 1;
      }
    }
  }
  const hasVote = parts.some(([name]) => name === 'vote');
  return {
    byAgreement: [...patterns.entries()]
      .map(([pattern, t]) => ({ pattern, ...group(t.correct, t.n) }))
      .sort((a, b) => b.n - a.n || a.pattern.localeCompare(b.pattern)),
    byVoteShare: hasVote
      ? shareBins.map((bin, i) => ({
          ...bin,
          ...group(shares[i]?.correct ?? 0, shares[i]?.n ?? 0),
        }))
      : [],
  };
}
