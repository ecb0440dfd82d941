// What an ensemble will cost, said before it starts and kept honest while it runs: one
// computation for both, from the speed measured on this model or server. Before the run it is the
// last single answer's; once samples have ended it is this run's own (tokens over wall time, so a
// server that answers several at once counts as faster).
import { grouped } from '../format';

/** Samples that ended, the tokens they generated, and the wall time they took, milliseconds. */
export interface Measured {
  samples: number;
  tokens: number;
  ms: number;
}

/** Roughly what `samples` more samples cost at the rate measured. */
export interface Cost {
  samples: number;
  tokens: number;
  /** tokens per second, as measured */
  perSecond: number;
  seconds: number;
}

/** An ensemble sample as the Solve page holds it: finished, stopped early, or failed. */
export interface SampleState {
  result?: { usage: { completionTokens: number } } | undefined;
  /** tokens generated before it was stopped for low confidence; 0 when it was not */
  cutAt: number;
  /** why it failed, or '' */
  failed: string;
}

/** The ensemble under way. */
export interface EnsembleRun {
  /** samples asked for */
  k: number;
  /** the stop rule may end it before k samples */
  early: boolean;
  /** the samples started so far, by index */
  samples: readonly (SampleState | undefined)[];
  /** from the start of sampling to the moment the latest sample ended, milliseconds */
  ms: number;
  /** sampling is over and the answers are being checked */
  verifying: boolean;
}

export type Estimate =
  /** nothing measured yet */
  | { kind: 'unknown' }
  /** before a run: what up to k samples cost at the last answer's speed */
  | { kind: 'before'; k: number; cost: Cost }
  /**
   * under way: samples finished (as the vote counts them) and what the rest cost, at this run's
   * speed once a sample has ended, else the last answer's
   */
  | {
      kind: 'running';
      done: number;
      k: number;
      early: boolean;
      cost: Cost | undefined;
      source: 'run' | 'answer';
    }
  /** the vote was settled before k samples: no remaining cost to estimate */
  | { kind: 'decided'; used: number; k: number };

/** Roughly what `samples` more samples cost at the rate `measured` shows; undefined when it shows none. */
export function costAhead(samples: number, measured: Measured | undefined): Cost | undefined {
  if (!measured || measured.samples <= 0 || measured.tokens <= 0 || measured.ms <= 0) {
    return undefined;
  }
  const perSample = measured.tokens / measured.samples;
  const perSecond = measured.tokens / (measured.ms / 1000);
  const tokens = samples * perSample;
  return { samples, tokens, perSecond, seconds: tokens / perSecond };
}

/** What the run's ended samples measured: a cut sample's tokens count, a failed one's time does. */
function measuredRun(run: EnsembleRun): Measured {
  const ended = run.samples.filter(
    (s): s is SampleState =>
      s !== undefined && (s.result !== undefined || s.cutAt > 0 || s.failed !== ''),
  );
  const tokens = ended.reduce((n, s) => n + (s.result?.usage.completionTokens ?? s.cutAt), 0);
  return { samples: ended.length, tokens, ms: run.ms };
}

/**
 * The estimate to show: before a run, from the last answer (`answer`: its tokens and time) at
 * the settings' k; while `run` is under way, the samples finished and the time the rest take at
 * this run's speed (the last answer's until a sample has ended; a sample stopped early or failed
 * is not finished, but it has taken its turn); once sampling stopped early because the vote was
 * settled, that instead.
 */
export function ensembleEstimate(
  k: number,
  answer: { completionTokens: number; ms: number } | undefined,
  run?: EnsembleRun,
): Estimate {
  const last = answer && { samples: 1, tokens: answer.completionTokens, ms: answer.ms };
  if (!run) {
    const cost = costAhead(k, last);
    return cost ? { kind: 'before', k, cost } : { kind: 'unknown' };
  }
  const measured = measuredRun(run);
  const used = run.samples.filter((s) => s?.result !== undefined).length;
  if (run.verifying && measured.samples < run.k) return { kind: 'decided', used, k: run.k };
  const left = Math.max(0, run.k - measured.samples);
  const own = costAhead(left, measured);
  return {
    kind: 'running',
    done: used,
    k: run.k,
    early: run.early,
    // nothing left (the answers are being checked): no time to say
    cost: left === 0 ? undefined : (own ?? costAhead(left, last)),
    source: own ? 'run' : 'answer',
  };
}

/** k samples as a count a person reads: "up to 6" when the stop rule may end sooner, else "6". */
export function upTo(k: number, early: boolean): string {
  return early ? `up to ${grouped(k)}` : grouped(k);
}
