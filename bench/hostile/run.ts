// `npm run bench:hostile [-- --rounds N]`: how long the thread of the Solve page, then of the
// widget (embed.html), is held by the replies built to freeze it (issue 15:
// tests/fixtures/hostile-replies.ts). Builds the app, serves it with `vite preview`, and drives a
// real Chromium against it and the mock OpenAI server, which sends each reply whole (as a hostile
// server would, whatever max_tokens asks). Each reply runs beside a baseline measured in the same
// round on the same page: ordinary prose with as many streamed pieces and characters. Prints, per
// page and reply, the median longest task and total blocking time of both and their ratio, and
// whether every hostile reply stayed under 200 ms in every round. Exits 1 when a run fails (a wrong
// answer, an error on the page), never on the figures.
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright';
import { connectToServer, median, numberFlags, runBench, startBench, type Bench } from '../harness';
import { hostileReplies, ordinaryLike } from '../../tests/fixtures/hostile-replies';
import { startMockOpenAI, toPieces, type MockOpenAI } from '../../tests/fixtures/mock-openai';
import { counted } from '../../src/lib/format';

const MODEL = 'mock-math';
/** The bound for one reply. */
const BOUND_MS = 200;
/** A task longer than this blocks the page (the Long Tasks API's threshold). */
const LONG_MS = 50;
/** ms between two looks at the page */
const POLL_MS = 250;
/** looks in a row at an unchanged solution after the answer showed, before the span ends */
const STABLE_POLLS = 4;

interface Sample {
  longestTaskMs: number;
  tbtMs: number;
}

declare global {
  interface Window {
    __recorder?: { tasks: [start: number, duration: number][]; frames: number[] };
  }
}

/** Where a page shows what the bench reads (data-testid), and when its solve is over (a selector). */
interface Surface {
  name: string;
  answer: string;
  error: string;
  solution: string;
  done: string;
}

const app: Surface = {
  name: 'Solve page',
  answer: 'final-answer',
  error: 'solve-error',
  solution: 'solution',
  done: '[data-testid="single-cost"]',
};

const widget: Surface = {
  name: 'widget (embed.html)',
  answer: 'widget-answer',
  error: 'widget-error',
  solution: 'widget-result',
  done: '[data-testid="widget-result"][data-status="done"]',
};

/** bench/ui/recorder.js, given to the page before its own scripts: keeps every long task. */
const recorder = { path: fileURLToPath(new URL('../ui/recorder.js', import.meta.url)) };

/**
 * Solves with `reply` streamed as the answer; resolves with the long tasks from the click until
 * the answer shows and the solution has stopped changing. Throws when the page shows another
 * answer or an error. The page clears the last run's answer as the click starts a new one.
 */
async function solve(
  page: Page,
  surface: Surface,
  mock: MockOpenAI,
  reply: string,
  answer: string,
): Promise<Sample> {
  mock.script({ fallback: reply, wire: { ignoreMaxTokens: true } });
  await page.getByLabel('Word problem').fill('How many?');
  const from = await page.evaluate(() => performance.now());
  await page.getByRole('button', { name: 'Solve' }).click();
  // Polled from Node every 250 ms rather than by Playwright's locators, whose polling runs on the
  // page's thread as it is measured; done once the solution's size held for STABLE_POLLS polls.
  let size = -1;
  let stable = 0;
  for (let polls = 0; stable < STABLE_POLLS; polls++) {
    if (polls * POLL_MS > 120_000) throw new Error(`no answer ${answer} after 2 minutes`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    // (no function inside: tsx would wrap its name in a helper the page does not have)
    const state = await page.evaluate((surface) => {
      const [answer, error, solution] = [surface.answer, surface.error, surface.solution].map(
        (id) => document.querySelector(`[data-testid="${id}"]`),
      );
      return {
        answer: answer?.textContent.trim() ?? '',
        error: error?.textContent.trim() ?? '',
        done: document.querySelector(surface.done) !== null,
        size: solution?.innerHTML.length ?? 0,
      };
    }, surface);
    if (state.error) throw new Error(`the page showed an error: ${state.error}`);
    if (state.done && state.answer !== answer) {
      throw new Error(`the page answered “${state.answer}”, not ${answer}`);
    }
    stable = state.done && state.size === size ? stable + 1 : 0;
    size = state.size;
  }
  const durations = await page.evaluate((from) => {
    const tasks = window.__recorder?.tasks;
    if (!tasks) throw new Error('the recorder did not start');
    return tasks.filter(([start]) => start >= from).map(([, duration]) => duration);
  }, from);
  return {
    longestTaskMs: Math.max(0, ...durations),
    tbtMs: durations.reduce((sum, d) => sum + Math.max(0, d - LONG_MS), 0),
  };
}

/** Every reply on `surface` beside ordinary prose, `rounds` times; prints each round and the medians. */
async function measure(page: Page, surface: Surface, mock: MockOpenAI, rounds: number) {
  console.log(`${surface.name}:`);
  const figures = hostileReplies.map(() => ({ hostile: [] as Sample[], plain: [] as Sample[] }));
  for (let round = 1; round <= rounds; round++) {
    for (const [i, { name, text, answer }] of hostileReplies.entries()) {
      const f = figures[i];
      if (!f) continue;
      f.hostile.push(await solve(page, surface, mock, text, answer ?? '—'));
      f.plain.push(
        await solve(page, surface, mock, ordinaryLike(text.length, toPieces(text).length), '7'),
      );
      const [h, p] = [f.hostile.at(-1), f.plain.at(-1)];
      console.log(
        `  round ${round} ${name.padEnd(38)} longest ${h?.longestTaskMs.toFixed(0).padStart(4)} ms ` +
          `(plain ${p?.longestTaskMs.toFixed(0).padStart(4)}), TBT ${h?.tbtMs.toFixed(0).padStart(4)} ms ` +
          `(plain ${p?.tbtMs.toFixed(0).padStart(4)})`,
      );
    }
  }

  console.log(
    `\n${surface.name}, medians over ${counted(rounds, 'round')}, ms (plain: ordinary prose of the same size)`,
  );
  console.log(
    `  ${'reply'.padEnd(38)}${'longest'.padStart(9)}${'plain'.padStart(7)}${'ratio'.padStart(8)}` +
      `${'TBT'.padStart(8)}${'plain'.padStart(7)}`,
  );
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  for (const [i, { name }] of hostileReplies.entries()) {
    const f = figures[i];
    if (!f) continue;
    const longest = median(f.hostile.map((s) => s.longestTaskMs));
    const plainLongest = median(f.plain.map((s) => s.longestTaskMs));
    const tbt = median(f.hostile.map((s) => s.tbtMs));
    const plainTbt = median(f.plain.map((s) => s.tbtMs));
    console.log(
      `  ${name.padEnd(38)}${longest.toFixed(0).padStart(9)}${plainLongest.toFixed(0).padStart(7)}` +
        `${ratio(longest, plainLongest).padStart(8)}${tbt.toFixed(0).padStart(8)}${plainTbt.toFixed(0).padStart(7)}`,
    );
  }
  const worst = Math.max(...figures.flatMap((f) => f.hostile.map((s) => s.longestTaskMs)));
  console.log(
    `\n${surface.name}: no long task over ${BOUND_MS} ms for any hostile reply in any round: ` +
      `${worst <= BOUND_MS ? 'met' : 'not met'} (worst ${worst.toFixed(0)} ms)`,
  );
}

async function main(): Promise<void> {
  const { rounds } = numberFlags(process.argv.slice(2), { rounds: 3 }, { '--rounds': 'rounds' });
  const mock = await startMockOpenAI({ host: '127.0.0.1' });
  let bench: Bench | undefined;
  try {
    console.log('bench:hostile — building the app…');
    bench = await startBench({ name: 'hostile', app: 'build', profile: 'fresh' });
    console.log(
      `${hostileReplies.length} replies, each beside ordinary prose of its size; ` +
        `${counted(rounds, 'round')}; Chromium ${bench.chromium}, ${cpus().length} cores\n`,
    );
    const appPage = await bench.newPage();
    await appPage.addInitScript(recorder);
    await appPage.goto(bench.origin);
    await connectToServer(appPage, mock.baseUrl, MODEL);
    await measure(appPage, app, mock, rounds);
    await appPage.close();

    const widgetPage = await bench.newPage();
    await widgetPage.addInitScript(recorder);
    const query = new URLSearchParams({ server: mock.baseUrl, 'server-model': MODEL });
    await widgetPage.goto(`${bench.origin}/embed.html?${query.toString()}`);
    await measure(widgetPage, widget, mock, rounds);
    await widgetPage.close();
  } finally {
    await bench?.close();
    await mock.close();
  }
}

runBench('bench:hostile', main);
