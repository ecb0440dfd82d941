// Ways to turn the same samples into one answer, side by side: the majority, a confidence-weighted
// vote (DeepConf), a verifier-weighted vote and best-of-n (Cobbe et al. 2021). Pure; never throws.
// Every vote's bucket `members` index into the samples given, so the page can point at them.
import { tally, type Vote } from './vote';

/** What an aggregation reads of one sample. */
export interface Scored {
  answer: string | null;
  /** the sample's lowest group confidence (confidence.ts), or null when it has none */
  confidence: number | null;
  /** the verifier's P(yes) for this sample, or null when it was not verified */
  verifier: number | null;
  /** the sample's weight in the plain vote (1, or its arithmetic weight) */
  weight: number;
}

export type AggregationName = 'majority' | 'confidence' | 'verifier' | 'best-of-n';

export const aggregationNames: readonly AggregationName[] = [
  'majority',
  'confidence',
  'verifier',
  'best-of-n',
];

/** One aggregation's answer over the samples. */
export interface Aggregate {
  name: AggregationName;
  /** false when its scores are missing (no log-probabilities, no verification): `answer` is null */
  available: boolean;
  answer: string | null;
  /** the vote it took; for best-of-n, the chosen sample alone */
  vote: Vote;
  /** best-of-n: the sample it picked (an index into the samples); null otherwise */
  sample: number | null;
}

/**
 * The share of answering samples the confidence-weighted vote keeps, most confident first:
 * DeepConf's η. The paper's 10% (DeepConf-low) is for 512 traces; at Tally's k = 16 it would keep
 * one or two samples. `npm run bench:vote` (2026-11-30, docs/BENCHMARKS.md "Confidence"): 90%
 * loses at most 0.5 points when confidence is noise and gains 6.5 on average when it is not;
 * 50% gains 12.5 but loses up to 11.0 on noise.
 */
export const defaultKeepShare = 0.9;

/**
 * The aggregation whose answer is the ensemble's answer (the majority stands in where a server
 * sends no log-probabilities). Chosen by `npm run bench:vote` under the rule written in
 * docs/BENCHMARKS.md before the run ("Confidence"): within 1 point of the majority wherever
 * confidence is noise, never worse where it is informative. Keep 90% passed (worst −0.5 points at
 * d = 0, +0.0 … +25.5 at d ≥ 0.5, mean +6.5); keep 50% failed (−11.0 at d = 0).
 */
export const defaultAggregation: AggregationName = 'confidence';

/** Each aggregation for people, as the result and the benchmark name it. */
export const aggregationLabels: Record<AggregationName, string> = {
  majority: 'Most samples',
  confidence: 'Weighed by how sure',
  verifier: 'Weighed by the answer check',
  'best-of-n': 'Best-checked sample',
};

/** Each aggregation's technical name, for a hint beside its label. */
export const aggregationTerms: Record<AggregationName, string> = {
  majority: 'majority vote (self-consistency)',
  confidence: `DeepConf confidence-weighted vote, most confident ${Math.round(defaultKeepShare * 100)}% kept`,
  verifier: 'verifier-weighted vote: each answer weighed by the model’s P(yes) that it is right',
  'best-of-n': 'best-of-n: the sample with the highest verifier P(yes)',
};

const unavailable = (name: AggregationName): Aggregate => ({
  name,
  available: false,
  answer: null,
  vote: tally([]),
  sample: null,
});

function fromVote(name: AggregationName, vote: Vote): Aggregate {
  return { name, available: true, answer: vote.winner, vote, sample: null };
}

/** The plain (or arithmetic-weighted) majority. */
export function majority(samples: readonly Scored[]): Aggregate {
  return fromVote(
    'majority',
    tally(
      samples.map((s) => s.answer),
      samples.map((s) => s.weight),
    ),
  );
}

/**
 * DeepConf's offline vote: of the samples that answer and have a confidence, keep the most
 * confident `keep` share (at least one; ties at the cut are kept), and weigh each by its
 * confidence. The rest abstain. Unavailable when no answering sample has a confidence.
 */
export function confidenceWeighted(samples: readonly Scored[], keep = defaultKeepShare): Aggregate {
  const scored = samples.flatMap((s) =>
    s.answer !== null && s.confidence !== null ? [s.confidence] : [],
  );
  if (scored.length === 0) return unavailable('confidence');
  const sorted = [...scored].sort((a, b) => b - a);
  const count = Math.min(sorted.length, Math.max(1, Math.ceil(keep * sorted.length)));
  const cut = sorted[count - 1] ?? -Infinity;
  const kept = samples.map(
    (s) => s.answer !== null && s.confidence !== null && s.confidence >= cut,
  );
  return fromVote(
    'confidence',
    tally(
      samples.map((s, i) => (kept[i] ? s.answer : null)),
      samples.map((s) => s.confidence ?? 0),
    ),
  );
}

/**
 * Each answer weighed by the verifier's P(yes) for it (one verified sample stands for its
 * answer's samples), so an answer counts its samples times how right the verifier thinks it is.
 * Unavailable when no answer was verified.
 */
export function verifierWeighted(samples: readonly Scored[]): Aggregate {
  const byAnswer = new Map<string, number>();
  for (const s of samples) {
    if (s.answer !== null && s.verifier !== null) byAnswer.set(s.answer, s.verifier);
  }
  if (byAnswer.size === 0) return unavailable('verifier');
  return fromVote(
    'verifier',
    tally(
      samples.map((s) => s.answer),
      samples.map((s) => (s.answer === null ? 0 : (byAnswer.get(s.answer) ?? 0))),
    ),
  );
}

/**
 * The one sample the verifier rates highest (ties: the earlier sample). Unavailable when none was
 * verified.
 */
export function bestOfN(samples: readonly Scored[]): Aggregate {
  let best = -1;
  samples.forEach((s, i) => {
    const top = samples[best]?.verifier ?? -Infinity;
    if (s.answer !== null && s.verifier !== null && s.verifier > top) best = i;
  });
  const chosen = samples[best];
  if (!chosen) return unavailable('best-of-n');
  const vote = tally(samples.map((s, i) => (i === best ? s.answer : null)));
  return { name: 'best-of-n', available: true, answer: chosen.answer, vote, sample: best };
}

/** Every aggregation over the same samples, in `aggregationNames` order. */
export function aggregateAll(
  samples: readonly Scored[],
  keep = defaultKeepShare,
): Record<AggregationName, Aggregate> {
  return {
    majority: majority(samples),
    confidence: confidenceWeighted(samples, keep),
    verifier: verifierWeighted(samples),
    'best-of-n': bestOfN(samples),
  };
}
