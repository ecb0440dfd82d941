// `npm run bench:lighthouse [-- --runs N]`: Lighthouse's mobile profile on the solve page of a
// fresh production build, in a Chromium with WebGPU (SwiftShader here) and in one without, N runs
// each (default 3). Prints the median performance score, layout shift and paint timings of each,
// and exactly how it ran. The build goes to dist-bench/ and is served by `vite preview` on a free
// loopback port, so `npm start` (port 4173) can keep running. Needs Chromium (scripts/chromium.mjs).
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { chromiumArgs, findChromium } from '../scripts/chromium.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs takes a whole number of runs, 1 or more, not “${values.runs}”.`);
  process.exit(2);
}
const chromePath = findChromium();
if (!chromePath) {
  console.error('No Chromium found: set CHROME_PATH, or install Debian’s chromium.');
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => {
        resolve(port);
      });
    });
  });
}

async function waitFor(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms / 1000} s`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

console.log('Building the app into dist-bench/ …');
execFileSync(
  'npx',
  ['vite', 'build', '--outDir', 'dist-bench', '--emptyOutDir', '--logLevel', 'warn'],
  {
    stdio: 'inherit',
  },
);
const port = await freePort();
const preview = spawn(
  'npx',
  [
    'vite',
    'preview',
    '--outDir',
    'dist-bench',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--strictPort',
  ],
  { stdio: 'ignore', detached: true },
);
const url = `http://127.0.0.1:${port}/`;
const browserFlags = [
  '--headless=new',
  ...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'),
];
const variants = [
  { name: 'with WebGPU', flags: [...browserFlags, '--enable-unsafe-webgpu'] },
  { name: 'without WebGPU', flags: [...browserFlags, '--disable-features=WebGPU'] },
];
const metrics = [
  ['performance', (lhr) => Math.round(lhr.categories.performance.score * 100), (v) => String(v)],
  ['CLS', (lhr) => lhr.audits['cumulative-layout-shift'].numericValue, (v) => v.toFixed(3)],
  ['FCP ms', (lhr) => lhr.audits['first-contentful-paint'].numericValue, (v) => v.toFixed(0)],
  ['LCP ms', (lhr) => lhr.audits['largest-contentful-paint'].numericValue, (v) => v.toFixed(0)],
  ['TBT ms', (lhr) => lhr.audits['total-blocking-time'].numericValue, (v) => v.toFixed(0)],
  ['SI ms', (lhr) => lhr.audits['speed-index'].numericValue, (v) => v.toFixed(0)],
  // Lighthouse's own CPU benchmark of this machine during the run: the baseline that says how
  // loaded it was (an idle desktop scores well over 1000); TBT scales with its inverse
  ['CPU index', (lhr) => lhr.environment.benchmarkIndex, (v) => v.toFixed(0)],
];

let lighthouseVersion = '';
let chromeVersion = '';
const rows = [];
try {
  await waitFor(url, 60_000);
  for (const variant of variants) {
    const scores = metrics.map(() => []);
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
        chromeVersion = lhr.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? '';
        metrics.forEach(([, read], m) => scores[m].push(read(lhr)));
        console.log(
          `${variant.name}, run ${i + 1}/${runs}: ${metrics.map(([label, , show], m) => `${label} ${show(scores[m].at(-1))}`).join(', ')}`,
        );
      } finally {
        await chrome.kill();
      }
    }
    rows.push([variant.name, ...metrics.map(([, , show], m) => show(median(scores[m])))]);
  }
} finally {
  process.kill(-preview.pid);
}

const header = ['solve page, median', ...metrics.map(([label]) => label)];
const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
const line = (cells) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ');
console.log(`\n${line(header)}\n${rows.map(line).join('\n')}`);
console.log(
  `\nHow: Lighthouse ${lighthouseVersion} (Node API), default mobile profile (Moto G Power emulation, simulated slow 4G and 4× CPU slowdown), performance category only; ${runs} run(s) per row, each in a fresh headless ${chromeVersion} (${chromePath}) profile; page ${url} served by vite preview from a production build (dist-bench/). Browser flags: ${browserFlags.join(' ')}, plus --enable-unsafe-webgpu or --disable-features=WebGPU. Goal (issue 12): CLS < 0.05 and performance ≥ 95 in both rows.`,
);
