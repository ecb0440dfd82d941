// Majority vote over sampled answers (self-consistency), with equivalent answers in one bucket.
// Never throws: no valid answer gives winner null; a bad weight (negative, NaN) counts as 0.
import { parseAnswer, sameValue } from './equal';
import { canonical, type Rational } from './rational';

/** Answers that are the same number (`answersEqual`), counted together. */
export interface Bucket {
  /** canonical text of the first answer that opened the bucket */
  answer: string;
  /** summed weight of the bucket's samples (its sample count when unweighted) */
  votes: number;
  /** how many samples gave this answer */
  count: number;
  /** input index of the sample that brought `votes` to its current total (the tie rule) */
  reachedAt: number;
  /** input indices of the samples in the bucket, ascending */
  members: number[];
}

export interface Vote {
  /** the winning answer, or null when no sample gave one */
  winner: string | null;
  /** every answer, winner first: most votes, then earliest `reachedAt` */
  buckets: Bucket[];
  /** samples that gave an answer */
  valid: number;
  /** samples that gave none (null): they abstain and do not dilute `agreement` */
  abstained: number;
  /** the winner's votes over all valid votes, 0..1 (0 when nothing is valid) */
  agreement: number;
}

/** Votes closer than this are tied (weights are sums of floats). */
const tieEpsilon = 1e-9;

function weightAt(weights: readonly number[] | undefined, i: number): number {
  const w = weights ? (weights[i] ?? 1) : 1;
  return Number.isFinite(w) && w > 0 ? w : 0;
}

/** Orders buckets: more votes first; on a tie, the one that reached that total first. */
export function compareBuckets(a: Bucket, b: Bucket): number {
  if (Math.abs(a.votes - b.votes) > tieEpsilon) return b.votes - a.votes;
  return a.reachedAt - b.reachedAt;
}

/**
 * The majority over `answers` in input order, each weighted by `weights[i]` (default 1).
 * Ties go to the answer that reached the tied total first, so a leader only loses the lead
 * when another answer strictly overtakes it: A, B, B, A elects B.
 */
export function tally(answers: readonly (string | null)[], weights?: readonly number[]): Vote {
  const buckets: Bucket[] = [];
  // each bucket's value (null for a non-numeric answer, matched by exact text)
  const values: (Rational | null)[] = [];
  let abstained = 0;
  let total = 0;
  answers.forEach((raw, i) => {
    const answer = raw?.trim() ?? '';
    if (raw === null || answer === '') {
      abstained += 1;
      return;
    }
    const value = parseAnswer(answer);
    const weight = weightAt(weights, i);
    total += weight;
    const at = buckets.findIndex((b, j) => {
      const other = values[j] ?? null;
      return value && other ? sameValue(other, value) : !value && !other && b.answer === answer;
    });
    const bucket = buckets[at];
    if (bucket) {
      bucket.votes += weight;
      bucket.count += 1;
      bucket.members.push(i);
      if (weight > 0) bucket.reachedAt = i;
    } else {
      const label = value ? canonical(value) : answer;
      buckets.push({ answer: label, votes: weight, count: 1, reachedAt: i, members: [i] });
      values.push(value);
    }
  });
  buckets.sort(compareBuckets);
  const first = buckets[0];
  return {
    winner: first?.answer ?? null,
    buckets,
    valid: answers.length - abstained,
    abstained,
    agreement: first && total > 0 ? first.votes / total : 0,
  };
}

/** The histogram of a vote: answer -> sample count (a plain object, so key order is not rank). */
export function histogram(vote: Vote): Record<string, number> {
  return Object.fromEntries(vote.buckets.map((b) => [b.answer, b.count]));
}
