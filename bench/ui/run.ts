// `npm run bench:ui [-- --rounds N]`: how smoothly the solve page takes a k = 40 ensemble streamed
// from a server. Builds the app, serves it with `vite preview`, and drives a real Chromium against
// it and the mock OpenAI server (30 ms per token, Tally's 4 requests in flight). Each round runs
// the same stream into Tally and into a page that only appends text (bench/ui/baseline-page.js),
// measuring main-thread long tasks, total blocking time, frames and frame gaps, and DOM nodes.
// Prints medians per page and their ratio. Exits 1 when a run fails (never on the figures).
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { createServer as createHttpServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { fields } from '../../src/lib/solver/fields';
import { startMockOpenAI, type MockOpenAI } from '../../tests/fixtures/mock-openai';
import { connectToServer, median, numberFlags, runBench, startBench, type Bench } from '../harness';
import { counted } from '../../src/lib/format';

/** The workload. */
const K = 40;
const LANES = 4;
const TOKEN_MS = 30;
const MODEL = 'mock-math';
const QUESTION =
  'A baker sells 9 loaves in the morning and twice as many in the afternoon. How many loaves does he sell?';
/** Only the page's steady state counts: the measured span ends this long after the last sample. */
const TAIL_MS = 500;
/** A task or a frame gap longer than this blocks the page (the Long Tasks API's threshold). */
const LONG_MS = 50;

/**
 * A worked solution as a math model writes one: markdown steps, inline and display LaTeX, checked
 * arithmetic, and a boxed answer; about 150 tokens as the mock counts them (words).
 */
function solution(answer: number, variant: number): string {
  const afternoon = answer - 9;
  return [
    `Let us work through the problem step by step (attempt ${variant + 1}).`,
    '',
    '**Step 1: the morning.** The baker sells $9$ loaves in the morning. We keep this number',
    'for later, since the question asks for the whole day and not only for the morning.',
    '',
    `**Step 2: the afternoon.** Twice as many as in the morning means $2 \\times 9$ loaves, so`,
    `he sells 2 * 9 = ${afternoon} loaves in the afternoon. As a check, $\\frac{${afternoon}}{2} = 9$.`,
    '',
    '**Step 3: the whole day.** Adding both parts of the day gives',
    '',
    `$$9 + ${afternoon} = ${answer}$$`,
    '',
    '- morning: $9$ loaves',
    `- afternoon: $${afternoon}$ loaves`,
    `- in total: 9 + ${afternoon} = ${answer} loaves`,
    '',
    'Each step uses only the numbers given in the problem, and the units are loaves throughout,',
    'so nothing needs converting. The total is the sum of the two parts of the day, which is what',
    'the question asks for.',
    '',
    `So the baker sells \\boxed{${answer}} loaves.`,
  ].join('\n');
}

/** Seven of every ten samples say 27, the rest disagree: a vote with several buckets. */
const answers = [27, 27, 25, 27, 27, 29, 27, 27, 26, 27];
const outputs = answers.map((answer, i) => solution(answer, i));
/**
 * Requests per page: the greedy call and the k samples; Tally's self-verifier (solver/verify.ts)
 * then asks once per distinct answer.
 */
const requests = { tally: K + 1 + new Set(answers).size, baseline: K + 1 };

interface Sample {
  longTasks: number;
  longestTaskMs: number;
  longTaskMs: number;
  tbtMs: number;
  fps: number;
  gaps: number;
  longestGapMs: number;
  domNodes: number;
  seconds: number;
}

interface Recorder {
  tasks: [start: number, duration: number][];
  frames: number[];
}

declare global {
  interface Window {
    __recorder?: Recorder;
    baseline?: (config: {
      baseUrl: string;
      model: string;
      messages: { role: string; content: string }[];
      k: number;
      lanes: number;
      temperature: number;
    }) => Promise<void>;
  }
}

/** bench/ui/recorder.js, given to every page before its own scripts */
const recorder = { path: fileURLToPath(new URL('./recorder.js', import.meta.url)) };

/** Figures for the span [from, to] of the page's clock, and the DOM as it is now. */
async function measure(page: Page, from: number, to: number): Promise<Sample> {
  const { tasks, frames, domNodes } = await page.evaluate(() => {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let nodes = 0;
    while (walker.nextNode()) nodes++;
    const recorder = window.__recorder;
    if (!recorder) throw new Error('the recorder did not start');
    return { ...recorder, domNodes: nodes };
  });
  const inSpan = tasks.filter(([start]) => start >= from && start <= to);
  const durations = inSpan.map(([, duration]) => duration);
  const times = frames.filter((t) => t >= from && t <= to);
  const deltas = times.slice(1).map((t, i) => t - (times[i] ?? t));
  const first = times[0] ?? from;
  const last = times.at(-1) ?? to;
  return {
    longTasks: inSpan.length,
    longestTaskMs: Math.max(0, ...durations),
    longTaskMs: durations.reduce((a, b) => a + b, 0),
    tbtMs: durations.reduce((a, d) => a + Math.max(0, d - LONG_MS), 0),
    fps: last > first ? ((times.length - 1) * 1000) / (last - first) : 0,
    gaps: deltas.filter((d) => d > LONG_MS).length,
    longestGapMs: Math.max(0, ...deltas),
    domNodes,
    seconds: (to - from) / 1000,
  };
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** One ensemble through Tally's own screens, as a person runs it. */
async function runTally(bench: Bench, mock: MockOpenAI): Promise<Sample> {
  const page = await bench.newPage();
  try {
    await page.addInitScript(recorder);
    await page.goto(bench.origin);
    await connectToServer(page, mock.baseUrl, MODEL);
    const toggle = page.getByLabel('Also sample an ensemble and vote');
    if (!(await toggle.isChecked())) await toggle.check();
    const samples = page.getByLabel(fields.k.label);
    await samples.fill(String(K));
    await samples.blur();
    await page.getByLabel('Stop rule').selectOption('fixed');
    await page.getByLabel('Word problem').fill(QUESTION);
    const from = await now(page);
    await page.getByRole('button', { name: 'Solve' }).click();
    await page
      .getByTestId('ensemble-cost')
      .getByText(`All ${K} samples ran`)
      .waitFor({ timeout: 600_000 });
    // then the self-verifier's calls, whose tokens the aggregations table adds once they are in
    await page
      .getByTestId('aggregations')
      .getByText('to verify')
      .first()
      .waitFor({ timeout: 60_000 });
    await page.waitForTimeout(TAIL_MS);
    const sample = await measure(page, from, await now(page));
    const cards = await page.getByTestId('sample').count();
    if (cards !== K) throw new Error(`Tally shows ${cards} sample cards, not ${K}`);
    return sample;
  } finally {
    await page.close();
  }
}

/**
 * Serves the baseline page from loopback (Chromium lets only a page that came from a loopback
 * address call the loopback mock server). Resolves with its origin.
 */
function serveBaseline(): Promise<{ origin: string; server: Server }> {
  const script = readFileSync(new URL('./baseline-page.js', import.meta.url), 'utf8');
  const html = `<!doctype html><meta charset="utf-8"><title>baseline</title><main id="out"></main><script>${script}</script>`;
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ origin: `http://127.0.0.1:${port}`, server });
    });
  });
}

/** The same requests into the page that only appends text. */
async function runBaseline(bench: Bench, origin: string, mock: MockOpenAI): Promise<Sample> {
  const page = await bench.newPage();
  try {
    await page.addInitScript(recorder);
    await page.goto(origin);
    const from = await now(page);
    await page.evaluate(
      (config) => {
        if (!window.baseline) throw new Error('the baseline page did not load');
        return window.baseline(config);
      },
      {
        baseUrl: mock.baseUrl,
        model: MODEL,
        messages: [{ role: 'user', content: QUESTION }],
        k: K,
        lanes: LANES,
        temperature: 0.7,
      },
    );
    await page.waitForTimeout(TAIL_MS);
    return await measure(page, from, await now(page));
  } finally {
    await page.close();
  }
}

const rows: [keyof Sample, string, number][] = [
  ['longTasks', 'long tasks (> 50 ms)', 0],
  ['longestTaskMs', 'longest task, ms', 0],
  ['longTaskMs', 'time in long tasks, ms', 0],
  ['tbtMs', 'total blocking time, ms', 0],
  ['fps', 'frames per second', 1],
  ['gaps', 'frame gaps > 50 ms', 0],
  ['longestGapMs', 'longest frame gap, ms', 0],
  ['domNodes', 'DOM nodes at the end', 0],
  ['seconds', 'measured span, s', 1],
];

function line(sample: Sample): string {
  return (
    `${sample.longTasks} long tasks (longest ${sample.longestTaskMs.toFixed(0)} ms), ` +
    `TBT ${sample.tbtMs.toFixed(0)} ms, ${sample.fps.toFixed(1)} fps, ${sample.gaps} gaps, ` +
    `${sample.domNodes} nodes, ${sample.seconds.toFixed(1)} s`
  );
}

async function main(): Promise<void> {
  const options = numberFlags(process.argv.slice(2), { rounds: 3 }, { '--rounds': 'rounds' });
  const mock = await startMockOpenAI({ host: '127.0.0.1' });
  const baseline = await serveBaseline();
  let bench: Bench | undefined;
  try {
    console.log('bench:ui — building the app…');
    bench = await startBench({ name: 'ui', app: 'build', profile: 'fresh' });
    console.log(
      `k = ${K} samples of ~150 tokens at ${TOKEN_MS} ms per token, ${LANES} in flight, after one ` +
        `greedy call; ${counted(options.rounds, 'round')}; Chromium ${bench.chromium}, ` +
        `${cpus().length} cores\n`,
    );
    const runs: Record<'tally' | 'baseline', Sample[]> = { tally: [], baseline: [] };
    for (let round = 1; round <= options.rounds; round++) {
      for (const which of ['tally', 'baseline'] as const) {
        mock.reset();
        mock.script({ replies: [{ match: '', outputs }], chunkDelayMs: TOKEN_MS });
        const sample =
          which === 'tally'
            ? await runTally(bench, mock)
            : await runBaseline(bench, baseline.origin, mock);
        const made = mock.stats();
        if (made.requests.length !== requests[which] || made.maxInFlight !== LANES) {
          throw new Error(
            `${which} made ${made.requests.length} requests, ${made.maxInFlight} at most in ` +
              `flight; expected ${requests[which]} and ${LANES}`,
          );
        }
        runs[which].push(sample);
        console.log(`  round ${round} ${which.padEnd(8)} ${line(sample)}`);
      }
    }
    console.log(`\nmedians over ${counted(options.rounds, 'round')}`);
    console.log(`  ${''.padEnd(26)}${'Tally'.padStart(10)}${'baseline'.padStart(10)}   ratio`);
    const med = (which: 'tally' | 'baseline', key: keyof Sample) =>
      median(runs[which].map((s) => s[key]));
    for (const [key, label, digits] of rows) {
      const t = med('tally', key);
      const b = med('baseline', key);
      const ratio = b > 0 ? `${(t / b).toFixed(2)}×` : '—';
      console.log(
        `  ${label.padEnd(26)}${t.toFixed(digits).padStart(10)}${b.toFixed(digits).padStart(10)}   ${ratio}`,
      );
    }
    // the goal holds for every round: the longest task of the worst one, the median frame rate
    const longest = Math.max(...runs.tally.map((s) => s.longestTaskMs));
    const fps = med('tally', 'fps');
    const met = longest <= LONG_MS && fps >= 55;
    console.log(
      `\ngoal: no long task over ${LONG_MS} ms in any round and at least 55 fps for Tally: ` +
        `${met ? 'met' : 'not met'} (longest ${longest.toFixed(0)} ms, ${fps.toFixed(1)} fps)`,
    );
  } finally {
    await bench?.close();
    await mock.close();
    baseline.server.close();
  }
}

runBench('bench:ui', main);
