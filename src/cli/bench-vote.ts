// `npm run bench:vote`: how many samples each stopping rule saves against fixed k, and what it costs.
// Simulated, seeded and offline; bad flags print usage and exit 2.
import { parseArgs } from 'node:util';
import { simulate, type RuleStats, type Scenario } from '../lib/solver/simulate';
import { defaultStopRule, ruleName, type StopRule } from '../lib/solver/stop';

const usage = `Usage: npm run bench:vote -- [--trials N] [--seed S]

Simulates sample sets (p(correct) 0.3, 0.5, 0.7, 0.9; 5% no answer; wrong answers split
0.5/0.3/0.2 over three distractors) and runs every stopping rule against fixed k = 8, 16, 40
on the same samples. Prints a markdown table to stdout.
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
  console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return 0;
}

process.exitCode = main();
