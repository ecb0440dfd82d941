// Solving through the OpenAI engine against the mock server: streaming, stop, server failures.
import { expect, test } from '@playwright/test';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

const question =
  'Janet’s ducks lay 16 eggs per day. She eats three and bakes with four. She sells the rest for $2 each. How much does she make?';
const solution =
  'Janet has 16 - 3 - 4 = 9 eggs left. She makes 9 * 2 = 18 dollars a day. The answer is \\boxed{18}.';

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
});

test('streams the answer into the page and shows the final answer', async ({ page }) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'ducks', outputs: [solution] }],
    chunkDelayMs: 60,
  });
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  const text = page.getByTestId('solution');
  await expect(text).toContainText('Janet has');
  await expect(page.getByTestId('final-answer')).toHaveText('…');
  await expect(page.getByTestId('final-answer')).toHaveText('18');
  await expect(text).toContainText('She makes 9 * 2 = 18 dollars a day. The answer is');
  await expect(text.locator('.katex')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a streaming answer renders its markdown at most four times a second', async ({ page }) => {
  const errors = trackErrors(page);
  const steps = Array.from({ length: 100 }, (_, i) => `step${i}`).join(' ');
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'ducks', outputs: [`${steps} ${solution}`] }],
    chunkDelayMs: 20,
  });
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Word problem').fill(question);
  // each insert of rendered HTML into the solution, with its time
  await page.evaluate(() => {
    const renders: number[] = [];
    Object.assign(window, { renders });
    new MutationObserver((records) => {
      const solution = document.querySelector('[data-testid="solution"]');
      if (records.some((r) => r.type === 'childList' && solution?.contains(r.target))) {
        renders.push(performance.now());
      }
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('final-answer')).toHaveText('18', { timeout: 20_000 });
  const renders = await page.evaluate(() => (window as unknown as { renders: number[] }).renders);
  // about 2.4 s of tokens, each its own update; renders start at least 250 ms apart while the
  // answer streams (inserts vary by the worker's reply time), plus the final one as it ends
  const span = (renders.at(-1) ?? 0) - (renders[0] ?? 0);
  expect(renders.length).toBeGreaterThan(2);
  expect(renders.length).toBeLessThanOrEqual(span / 250 + 3);
  await expect(page.getByTestId('solution')).toContainText(`step99 ${solution.slice(0, 20)}`);
  expect(errors).toEqual([]);
});

test('stop halts the stream within one token', async ({ page }) => {
  await admin(mockOpenAI(), 'script', {
    fallback: Array.from({ length: 300 }, (_, i) => `step${i}`).join(' '),
    chunkDelayMs: 50,
  });
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Word problem').fill('A long one.');
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('solution')).toContainText('step5');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('single-result')).toContainText('stopped');
  // text that arrived before the stop may still be drawn (the solution is drawn at most every
  // 250 ms); once drawn, nothing more comes
  const text = async () => (await page.getByTestId('solution').textContent()) ?? '';
  let shown = await text();
  for (let tries = 0; tries < 10; tries += 1) {
    await page.waitForTimeout(400);
    const now = await text();
    if (now === shown) break;
    shown = now;
  }
  await page.waitForTimeout(500);
  expect(await text()).toBe(shown);
  type Stats = { aborted: number; chunksBeforeAbort: number[] };
  const stats = async () => (await admin(mockOpenAI(), 'stats')) as Stats;
  await expect.poll(async () => (await stats()).aborted).toBe(1);
  const { chunksBeforeAbort } = await stats();
  const pieces = shown.split(/(?<=\s)/).length;
  expect(chunksBeforeAbort[0]).toBeLessThanOrEqual(pieces * 2 + 2);
});

test('a server that answers 500 gives a clear error', async ({ page }) => {
  await page.goto('/');
  await connectMock(page);
  await admin(mockOpenAI(), 'script', { fail: { status: 500, times: 1 } });
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('solve-error')).toContainText(/server.*500/i);
});

test('a server that hangs gives a clear error', async ({ page }) => {
  await page.clock.install();
  await page.goto('/');
  await connectMock(page);
  await admin(mockOpenAI(), 'script', { hang: true });
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
  await page.clock.runFor(120_000);
  await expect(page.getByTestId('solve-error')).toContainText(/did not answer|timed out|no reply/i);
});

test('empty and over-long questions get a clear message', async ({ page }) => {
  await page.goto('/');
  await connectMock(page);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('solve-error')).toHaveText('Type a word problem first.');
  await page.getByLabel('Word problem').fill('x'.repeat(4001));
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('solve-error')).toContainText('the limit is 4,000');
});
