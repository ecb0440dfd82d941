// `npm run bench:lighthouse [-- --runs N]`: Lighthouse's mobile profile on the solve page of a
// fresh production build, in a Chromium with WebGPU (SwiftShader here) and in one without, N runs
// each (default 3). Prints the median performance score, layout shift and paint timings of each,
// and exactly how it ran. The build is served by `vite preview` on a free loopback port
// (bench/harness.ts), so `npm start` (port 4173) can keep running. Needs Chromium.
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Result } from 'lighthouse';
import { chromiumArgs, ensureChromium } from '../scripts/chromium.mjs';
import { median, numberFlags, runBench, serveBuiltApp } from './harness';

const browserFlags = [
  '--headless=new',
  ...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'),
];
const variants = [
  { name: 'with WebGPU', flags: [...browserFlags, '--enable-unsafe-webgpu'] },
  { name: 'without WebGPU', flags: [...browserFlags, '--disable-features=WebGPU'] },
];
const audit = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? NaN;
const metrics: [label: string, read: (lhr: Result) => number, show: (v: number) => string][] = [
  ['performance', (lhr) => Math.round((lhr.categories.performance?.score ?? 0) * 100), String],
  ['CLS', (lhr) => audit(lhr, 'cumulative-layout-shift'), (v) => v.toFixed(3)],
  ['FCP ms', (lhr) => audit(lhr, 'first-contentful-paint'), (v) => v.toFixed(0)],
  ['LCP ms', (lhr) => audit(lhr, 'largest-contentful-paint'), (v) => v.toFixed(0)],
  ['TBT ms', (lhr) => audit(lhr, 'total-blocking-time'), (v) => v.toFixed(0)],
  ['SI ms', (lhr) => audit(lhr, 'speed-index'), (v) => v.toFixed(0)],
  // Lighthouse's own CPU benchmark of this machine during the run: the baseline that says how
  // loaded it was (an idle desktop scores well over 1000); TBT scales with its inverse
  ['CPU index', (lhr) => lhr.environment.benchmarkIndex, (v) => v.toFixed(0)],
];

interface Item {
  [key: string]: unknown;
}
const items = (lhr: Result, id: string): Item[] => {
  const details = lhr.audits[id]?.details;
  return details && 'items' in details ? (details.items as Item[]) : [];
};
const ms = (value: unknown) => `${Number(value).toFixed(0)} ms`;
const short = (url: unknown) => String(url).replace(/^https?:\/\/[^/]+/, '');

/** Where a run's time went, from Lighthouse's own diagnostics: what to fix next. */
function diagnostics(lhr: Result): string {
  const lcp = items(lhr, 'largest-contentful-paint-element')[0] as
    { items?: { node?: { nodeLabel?: string } }[] } | undefined;
  const phases = items(lhr, 'largest-contentful-paint-element')[1] as
    { items?: { phase: string; timing: number }[] } | undefined;
  const lines = [
    `    LCP element: ${lcp?.items?.[0]?.node?.nodeLabel ?? '?'}` +
      (phases?.items
        ? ` (${phases.items.map((p) => `${p.phase} ${ms(p.timing)}`).join(', ')})`
        : ''),
    `    render-blocking: ${
      items(lhr, 'render-blocking-resources')
        .map((i) => `${short(i.url)} ${ms(i.wastedMs)}`)
        .join(', ') || 'none'
    }`,
    `    long tasks (observed): ${
      items(lhr, 'long-tasks')
        .slice(0, 5)
        .map((i) => `${short(i.url)} ${ms(i.duration)}`)
        .join(', ') || 'none'
    }`,
    `    main thread: ${items(lhr, 'mainthread-work-breakdown')
      .map((i) => `${String(i.groupLabel)} ${ms(i.duration)}`)
      .join(', ')}`,
    `    script: ${items(lhr, 'bootup-time')
      .slice(0, 4)
      .map((i) => `${short(i.url)} ${ms(i.total)}`)
      .join(', ')}`,
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { runs } = numberFlags(process.argv.slice(2), { runs: 3 }, { '--runs': 'runs' });
  const chromePath = ensureChromium();
  console.log('Building the app …');
  const app = await serveBuiltApp('lighthouse');
  const url = `${app.origin}/`;
  let lighthouseVersion = '';
  let chromeVersion = '';
  const rows: string[][] = [];
  try {
    for (const variant of variants) {
      const scores: number[][] = metrics.map(() => []);
      for (let i = 0; i < runs; i += 1) {
        // a fresh browser and profile per run: nothing cached, no service worker yet
        const chrome = await chromeLauncher.launch({
          chromePath,
          chromeFlags: variant.flags,
          logLevel: 'silent',
        });
        try {
          const result = await lighthouse(url, {
            port: chrome.port,
            output: 'json',
            logLevel: 'error',
            onlyCategories: ['performance'],
          });
          if (!result) throw new Error('Lighthouse returned no result');
          const { lhr } = result;
          if (lhr.runtimeError) throw new Error(lhr.runtimeError.message);
          lighthouseVersion = lhr.lighthouseVersion;
          chromeVersion = /Chrome\/[\d.]+/.exec(lhr.environment.hostUserAgent)?.[0] ?? '';
          metrics.forEach(([, read], m) => scores[m]?.push(read(lhr)));
          console.log(
            `${variant.name}, run ${i + 1}/${runs}: ${metrics.map(([label, , show], m) => `${label} ${show(scores[m]?.at(-1) ?? NaN)}`).join(', ')}\n${diagnostics(lhr)}`,
          );
        } finally {
          chrome.kill();
        }
      }
      rows.push([variant.name, ...metrics.map(([, , show], m) => show(median(scores[m] ?? [])))]);
    }
  } finally {
    await app.close();
  }
  const header = ['solve page, median', ...metrics.map(([label]) => label)];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]?.length ?? 0)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ');
  console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`);
  console.log(
    `\nHow: Lighthouse ${lighthouseVersion} (Node API), default mobile profile (Moto G Power emulation, simulated slow 4G and 4× CPU slowdown), performance category only; ${runs} run(s) per row, each in a fresh headless ${chromeVersion} (${chromePath}) profile; page ${url} served by vite preview from a production build. Browser flags: ${browserFlags.join(' ')}, plus --enable-unsafe-webgpu or --disable-features=WebGPU. Goal (issue 12): CLS < 0.05 and performance ≥ 95 in both rows.`,
  );
}

runBench('bench:lighthouse', main);
