// `npm run bench:vote`: how many samples each stopping rule saves against fixed k, and what it costs.
// Simulated, seeded and offline; bad flags print usage and exit 2.
import { parseArgs } from 'node:util';
import { defaultAggregation, defaultKeepShare } from '../lib/solver/aggregate';
import { defaultEarlyStop } from '../lib/solver/confidence';
import {
  simulate,
  simulateConfidence,
  type Method,
  type MethodStats,
  type RuleStats,
  type Scenario,
} from '../lib/solver/simulate';
import { defaultStopRule, ruleName, type StopRule } from '../lib/solver/stop';

const usage = `Usage: npm run bench:vote -- [--trials N] [--seed S]

Simulates sample sets (p(correct) 0.3, 0.5, 0.7, 0.9; 5% no answer; wrong answers split
0.5/0.3/0.2 over three distractors) and runs every stopping rule against fixed k = 8, 16, 40
on the same samples. Then gives each sample a confidence separating right from wrong by
d = 0, 0.5, 1, 2 standard deviations and compares the majority, confidence-weighted votes and
early termination at k = 8, 16 on accuracy and tokens. Prints markdown tables to stdout.
  --trials N   trials per p(correct) (default 2000)
  --seed S     PRNG seed (default 1)`;

const rules: StopRule[] = [
  { kind: 'fixed' },
  { kind: 'esc', window: 3 },
  { kind: 'esc', window: 5 },
  { kind: 'beta', threshold: 0.9 },
  { kind: 'beta', threshold: 0.95 },
  { kind: 'beta', threshold: 0.99 },
];

const scenarios: Scenario[] = [0.3, 0.5, 0.7, 0.9].map((pCorrect) => ({
  pCorrect,
  pNone: 0.05,
  distractors: [0.5, 0.3, 0.2],
}));

const ks = [8, 16, 40];

/** The largest accuracy loss against fixed k, in any cell, that a default may have (0..1). */
const maxAccuracyLoss = 0.01;

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const signed = (x: number): string => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)}`;

function table(rows: RuleStats[]): string {
  const lines = [
    '| p(correct) | k | rule | mean used | median used | used / k | = full-k majority | accuracy | fixed-k accuracy | Δ accuracy (points) |',
    '| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.pCorrect} | ${r.k} | ${ruleName(r.rule)} | ${r.meanUsed.toFixed(2)} | ${r.medianUsed} | ` +
        `${(r.meanUsed / r.k).toFixed(2)} | ${pct(r.matchFull)} | ${pct(r.accuracy)} | ` +
        `${pct(r.fixedAccuracy)} | ${signed(r.accuracy - r.fixedAccuracy)} |`,
    );
  }
  return lines.join('\n');
}

interface Summary {
  rule: StopRule;
  /** mean over cells of 1 - used / k */
  saved: number;
  /** lowest agreement with the full-k majority over cells */
  worstMatch: number;
  /** largest accuracy drop against fixed k over cells (positive = worse) */
  worstLoss: number;
}

function summarize(rows: RuleStats[]): Summary[] {
  return rules.map((rule) => {
    const mine = rows.filter((r) => ruleName(r.rule) === ruleName(rule));
    return {
      rule,
      saved: mine.reduce((n, r) => n + 1 - r.meanUsed / r.k, 0) / mine.length,
      worstMatch: Math.min(...mine.map((r) => r.matchFull)),
      worstLoss: Math.max(...mine.map((r) => r.fixedAccuracy - r.accuracy)),
    };
  });
}

/** The rule with the largest saving whose accuracy never drops more than maxAccuracyLoss. */
function choose(summaries: Summary[]): Summary | undefined {
  return summaries
    .filter((s) => s.worstLoss <= maxAccuracyLoss + 1e-12)
    .sort((a, b) => b.saved - a.saved)[0];
}

const beta: StopRule = { kind: 'beta', threshold: 0.95 };
const fixed: StopRule = { kind: 'fixed' };
const methods: Method[] = [
  { name: 'majority', rule: fixed, early: null, keep: null },
  { name: 'conf 50%', rule: fixed, early: null, keep: 0.5 },
  { name: 'conf 90%', rule: fixed, early: null, keep: 0.9 },
  { name: 'early 90%', rule: fixed, early: { warmup: 4, keep: 0.9 }, keep: null },
  { name: 'early 50%', rule: fixed, early: { warmup: 4, keep: 0.5 }, keep: null },
  { name: 'beta', rule: beta, early: null, keep: null },
  { name: 'beta + early 90%', rule: beta, early: { warmup: 4, keep: 0.9 }, keep: null },
  { name: 'beta + early 50%', rule: beta, early: { warmup: 4, keep: 0.5 }, keep: null },
  // what the page does by default: the stop rule reads the majority, the answer is weighted
  { name: 'beta + conf 90%', rule: beta, early: null, keep: 0.9 },
];
/** each early-termination method and the method it must match (same stop rule, no early stop) */
const earlyBaselines: [string, string][] = [
  ['early 90%', 'majority'],
  ['early 50%', 'majority'],
  ['beta + early 90%', 'beta'],
  ['beta + early 50%', 'beta'],
];
const confidenceScenarios: Scenario[] = [0.3, 0.5, 0.7].map((pCorrect) => ({
  pCorrect,
  pNone: 0.05,
  distractors: [0.5, 0.3, 0.2],
}));
const separations = [0, 0.5, 1, 2];
const confidenceKs = [8, 16];

const cellOf = (r: MethodStats): string => `${r.pCorrect}/${r.d}/${r.k}`;

function confidenceTable(rows: MethodStats[]): string {
  const base = new Map(rows.filter((r) => r.method === 'majority').map((r) => [cellOf(r), r]));
  const lines = [
    '| p(correct) | d | k | method | accuracy | Δ vs majority (points) | tokens | tokens / majority |',
    '| ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const m = base.get(cellOf(r));
    lines.push(
      `| ${r.pCorrect} | ${r.d} | ${r.k} | ${r.method} | ${pct(r.accuracy)} | ` +
        `${signed(r.accuracy - (m?.accuracy ?? 0))} | ${r.tokens.toFixed(0)} | ` +
        `${(r.tokens / (m?.tokens ?? 1)).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** Each method's rows, by cell. */
function byCell(rows: MethodStats[], method: string): Map<string, MethodStats> {
  return new Map(rows.filter((r) => r.method === method).map((r) => [cellOf(r), r]));
}

/** The rule in docs/BENCHMARKS.md ("Confidence"), applied: prints each check and the choices. */
function chooseConfidence(rows: MethodStats[]): string[] {
  const out: string[] = [];
  const majority = byCell(rows, 'majority');
  const gains: [string, number, boolean][] = ['conf 50%', 'conf 90%'].map((name) => {
    const mine = [...byCell(rows, name).entries()];
    const delta = (r: MethodStats, key: string) => r.accuracy - (majority.get(key)?.accuracy ?? 0);
    const noise = mine.filter(([, r]) => r.d === 0).map(([key, r]) => delta(r, key));
    const signal = mine.filter(([, r]) => r.d >= 0.5).map(([key, r]) => delta(r, key));
    const mean = signal.reduce((a, b) => a + b, 0) / signal.length;
    const pass =
      Math.min(...noise) >= -maxAccuracyLoss - 1e-12 && Math.min(...signal) >= -1e-12 && mean > 0;
    out.push(
      `- ${name}: worst Δ at d = 0 ${signed(Math.min(...noise))}, worst Δ at d ≥ 0.5 ` +
        `${signed(Math.min(...signal))}, mean Δ at d ≥ 0.5 ${signed(mean)} → ${pass ? 'passes' : 'fails'}`,
    );
    return [name, mean, pass];
  });
  const passing = gains.filter(([, , pass]) => pass).sort((a, b) => b[1] - a[1])[0];
  out.push(
    `Default aggregation: ${passing ? passing[0] : 'majority'} (code: ${defaultAggregation}).`,
  );
  const keep = [...gains].sort((a, b) => b[1] - a[1])[0];
  out.push(`Keep share shown on the page: ${keep?.[0] ?? '—'} (code: ${100 * defaultKeepShare}%).`);
  const early = earlyBaselines.map(([name, baseline]) => {
    const mine = [...byCell(rows, name).entries()];
    const base = byCell(rows, baseline);
    const loss = Math.max(...mine.map(([key, r]) => (base.get(key)?.accuracy ?? 0) - r.accuracy));
    const saved =
      mine.reduce((n, [key, r]) => n + 1 - r.tokens / (base.get(key)?.tokens ?? 1), 0) /
      mine.length;
    const pass = loss <= maxAccuracyLoss + 1e-12;
    out.push(
      `- ${name} vs ${baseline}: worst loss ${(100 * loss).toFixed(1)} points, ` +
        `mean tokens saved ${pct(saved)} → ${pass ? 'passes' : 'fails'}`,
    );
    return { name, saved, pass };
  });
  const pick = early.filter((e) => e.pass).sort((a, b) => b.saved - a.saved)[0];
  out.push(
    `Early termination: ${pick ? pick.name : 'off'} (code: ${
      defaultEarlyStop ? `warm-up ${defaultEarlyStop.warmup}, keep ${defaultEarlyStop.keep}` : 'off'
    }).`,
  );
  return out;
}

function main(): number {
  let trials = 2000;
  let seed = 1;
  try {
    const { values } = parseArgs({
      options: { trials: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' } },
    });
    if (values.help) {
      console.log(usage);
      return 0;
    }
    trials = Number(values.trials ?? trials);
    seed = Number(values.seed ?? seed);
    if (!Number.isInteger(trials) || trials < 1 || !Number.isInteger(seed)) {
      throw new Error('--trials must be a positive whole number and --seed a whole number');
    }
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return 2;
  }
  const started = performance.now();
  const rows = simulate({ scenarios, ks, rules, trials, seed });
  const summaries = summarize(rows);
  const pick = choose(summaries);
  console.log(
    `bench:vote: ${trials} trials per p(correct), seed ${seed}, ${new Date().toISOString().slice(0, 10)}\n`,
  );
  console.log(table(rows));
  console.log(
    '\n| rule | mean saved (all cells) | worst = full-k | worst accuracy loss (points) |',
  );
  console.log('| --- | ---: | ---: | ---: |');
  for (const s of summaries) {
    console.log(
      `| ${ruleName(s.rule)} | ${pct(s.saved)} | ${pct(s.worstMatch)} | ${(100 * s.worstLoss).toFixed(1)} |`,
    );
  }
  console.log(
    `\nChoice (largest mean saving, accuracy within ${100 * maxAccuracyLoss} point of fixed k in every cell): ` +
      `${pick ? ruleName(pick.rule) : 'none'}; defaultStopRule is ${ruleName(defaultStopRule)}.`,
  );
  const confidence = simulateConfidence({
    scenarios: confidenceScenarios,
    separations,
    ks: confidenceKs,
    methods,
    trials,
    seed,
  });
  console.log('\n### Confidence\n');
  console.log(confidenceTable(confidence));
  console.log('');
  for (const line of chooseConfidence(confidence)) console.log(line);
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

process.exitCode = main();
