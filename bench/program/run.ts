// `npm run bench:program`: Python's start-up (cold, then warm from cache), the median run time of
// the project's own programs (bench/program/programs.ts) in a sandbox started ahead, and what each
// costs back to back with a clean sandbox per program, in Node (the CLI host) and in Chromium (the
// page's worker host, served by Vite's dev server), against an empty program run in the same
// host. Prints the figures; docs/BENCHMARKS.md records them.
import { counted, grouped } from '../../src/lib/format';
import { createNodeRunner } from '../../src/lib/program/node-runner';
import { measureHost, type HostFigures } from './measure';
import { benchPrograms } from './programs';
import { startBench } from '../harness';

const starts = 3;
/** GSM8K's test split: what grading a whole run's programs means */
const gsm8kTest = 1319;
const rounds = 7;

async function browserFigures(): Promise<HostFigures> {
  const bench = await startBench({ name: 'program', projectConfig: true, profile: 'fresh' });
  try {
    const page = await bench.newPage();
    await page.goto(`${bench.origin}/bench/program/page.html`);
    await page.waitForFunction(() => 'tallyBench' in window);
    return await page.evaluate(([s, r]) => window.tallyBench(s, r), [starts, rounds] as const);
  } finally {
    await bench.close();
  }
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;

function print(host: string, figures: HostFigures): void {
  console.log(`\n${host}`);
  console.log(`  start, cold:             ${ms(figures.coldMs)}`);
  console.log(`  start, warm (each):      ${figures.warmStartMs.map(ms).join(', ')}`);
  console.log(`  empty program (median):  ${ms(figures.baselineMs)}`);
  for (const program of benchPrograms) {
    const value = figures.programMs[program.name] ?? NaN;
    console.log(
      `  ${program.name.padEnd(28)} ${ms(value).padStart(10)}  ${(value / figures.baselineMs).toFixed(1)}× empty`,
    );
  }
  console.log(
    `  all programs (median):   ${ms(figures.medianMs)}  ${(figures.medianMs / figures.baselineMs).toFixed(1)}× empty; ` +
      `goal < 50 ms: ${figures.medianMs < 50 ? 'met' : 'NOT met'}`,
  );
  const minutes = (figures.cleanMs * gsm8kTest) / 60_000;
  console.log(
    `  clean start per program: ${ms(figures.cleanMs)}  ${(figures.cleanMs / figures.medianMs).toFixed(0)}× the run alone ` +
      `(back to back, a fresh sandbox from the snapshot each); ${grouped(gsm8kTest)} programs: ${minutes.toFixed(1)} min`,
  );
}

console.log(
  `bench:program: ${starts} starts, then ${counted(rounds, 'round')} of ${benchPrograms.length} programs and an empty one per host`,
);
print('Node (child process sandbox)', await measureHost(() => createNodeRunner(), starts, rounds));
print('Chromium (worker sandbox)', await browserFigures());
