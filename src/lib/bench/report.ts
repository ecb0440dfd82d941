// Text the CLI prints (the live progress line and the summary table at the end) and the count of
// finished problems the page shows too. Pure formatting; widths adapt to the content.
import { aggregationLabels, type AggregationName } from '../solver/aggregate';
import { listed, patternWords } from '../solver/story';
import { shareWords, type Calibration, type CalibrationGroup } from './calibration';
import type { ModeSummary, ProblemResult } from './types';

/** 0.8123 -> "81.2%" */
export function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)}%`;
}

/** seconds -> "0.4 s", "42 s", "3 min 05 s", "1 h 02 min" */
export function duration(seconds: number): string {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/**
 * The summary table: one row per mode, and under an ensemble mode one row per aggregation of its
 * samples ("  majority", …) with its accuracy, interval and tokens per problem (verification
 * included); the columns an aggregation does not have are left empty.
 */
export function summaryTable(summaries: readonly ModeSummary[]): string {
  // the program mode's failures get a column only in runs that have that mode
  const programs = summaries.some((s) => s.mode === 'program');
  const accuracy = (s: Pick<ModeSummary, 'n' | 'correct' | 'accuracy' | 'ci'>) => [
    String(s.n),
    String(s.correct),
    ...accuracyCells(s),
  ];
  return table([
    [
      'mode',
      'n',
      'correct',
      'accuracy',
      '95% CI',
      'mean samples',
      'tokens',
      'tokens/problem',
      'tok/s',
      'time',
      ...(programs ? ['program errors'] : []),
    ],
    ...summaries.flatMap((s) => [
      [
        s.mode,
        ...accuracy(s),
        s.meanSamples.toFixed(2),
        String(s.tokens),
        s.n > 0 ? (s.tokens / s.n).toFixed(1) : '-',
        s.tokensPerSecond.toFixed(1),
        duration(s.seconds),
        ...(programs ? [errorsText(s.errors) || '-'] : []),
      ],
      ...s.aggregations.map((a) => [
        `  ${a.name}`,
        ...accuracy(a),
        '',
        '',
        a.meanTokens.toFixed(1),
      ]),
    ]),
  ]);
}

/** Accuracy and its interval as text; "-" for both when nothing was measured (never 0.0%). */
export function accuracyCells(s: Pick<ModeSummary, 'accuracy' | 'ci'>): [string, string] {
  if (s.accuracy === null || s.ci === null) return ['-', '-'];
  return [percent(s.accuracy), `${percent(s.ci.low)}–${percent(s.ci.high)}`];
}

/**
 * Why a mode's aggregations are left out, in one sentence, or '' when none is: without the
 * model's log-probabilities nothing is weighed; without a yes or no from the answer check,
 * nothing is checked.
 */
export function leftOutSentence(leftOut: readonly AggregationName[]): string {
  if (leftOut.length === 0) return '';
  const names = listed(leftOut.map((name) => aggregationLabels[name].toLowerCase()));
  const why = leftOut.includes('confidence')
    ? 'the model’s answers came without log-probabilities, so nothing could be weighed'
    : 'no answer was checked (the answer check was off, or it gave no yes or no)';
  return `Left out: ${names}, because ${why}.`;
}

/** Summaries' left-out sentences, each after its mode's id, one a line. */
export function leftOutLines(summaries: readonly ModeSummary[]): string[] {
  return summaries.flatMap((s) => {
    const sentence = leftOutSentence(s.leftOut);
    return sentence ? [`${s.mode}: ${sentence}`] : [];
  });
}

/** The calibration as two plain-text tables: by agreement pattern, then by the vote's share. */
export function calibrationTable(calibration: Calibration): string {
  const cells = (g: CalibrationGroup) => [String(g.n), String(g.correct), ...accuracyCells(g)];
  const head = ['n', 'correct', 'accuracy', '95% CI'];
  const parts = [
    table([
      ['answers where', ...head],
      ...calibration.byAgreement.map((g) => [patternWords(g.pattern), ...cells(g)]),
    ]),
  ];
  if (calibration.byVoteShare.length > 0) {
    parts.push(
      table([
        ['vote where', ...head],
        ...calibration.byVoteShare.map((g) => [shareWords(g), ...cells(g)]),
      ]),
    );
  }
  return parts.join('\n\n');
}

/** A mode's program errors by kind, most first: "exception 2, timeout 1"; empty when none. */
export function errorsText(errors: Readonly<Record<string, number>>): string {
  return Object.entries(errors)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
}

/**
 * How far a run is, counting each problem once however many modes answer it:
 * "3 of 5 problems finished · 8 of 10 answers (2 modes each)".
 */
export function finishedText(
  problems: number,
  modes: number,
  results: readonly Pick<ProblemResult, 'problemId' | 'mode'>[],
): string {
  const answered = new Map<string, Set<string>>();
  for (const r of results)
    answered.set(r.problemId, (answered.get(r.problemId) ?? new Set()).add(r.mode));
  const sets = [...answered.values()];
  const whole = sets.filter((set) => set.size >= modes).length;
  const text = `${whole} of ${problems} problems finished`;
  if (modes <= 1) return text;
  const answers = sets.reduce((sum, set) => sum + set.size, 0);
  return `${text} · ${answers} of ${problems * modes} answers (${modes} modes each)`;
}

export interface ProgressView {
  /** (problem, mode) results finished, saved ones included */
  done: number;
  total: number;
  /** attempts that failed in this session */
  failed: number;
  /** seconds since this session started */
  elapsed: number;
  /** results finished in this session, for the rate */
  sessionDone: number;
  summaries: readonly ModeSummary[];
}

/** "[#####.....] 12/50  24%  single 80.0%  ensemble-k5-fixed 90.0%  0:42 left" within `width`. */
export function progressLine(view: ProgressView, width: number): string {
  const fraction = view.total > 0 ? view.done / view.total : 1;
  const left =
    view.sessionDone > 0
      ? duration(((view.total - view.done) * view.elapsed) / view.sessionDone) + ' left'
      : '';
  const accuracy = view.summaries
    .flatMap((s) => (s.accuracy === null ? [] : [`${s.mode} ${percent(s.accuracy)}`]))
    .join('  ');
  const failed = view.failed > 0 ? `${view.failed} failed` : '';
  const tail = [
    `${view.done}/${view.total}`,
    `${Math.floor(fraction * 100)}%`,
    accuracy,
    failed,
    left,
  ]
    .filter((part) => part !== '')
    .join('  ');
  const barWidth = Math.max(10, Math.min(30, width - tail.length - 4));
  const filled = Math.round(fraction * barWidth);
  const line = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${tail}`;
  return line.length > width ? line.slice(0, Math.max(0, width - 1)) : line;
}
