// Replies built to crash or freeze the page (issue 15), served by the mock OpenAI server: each
// ends in an answer (or "could not check"), never an error. How long the page's thread is held
// is a speed figure, not a pass/fail line here (timed assertions fail on a loaded machine): each
// test attaches the longest task beside ordinary prose of the same size, for a person to read.
import { expect, test, type Page } from '@playwright/test';
import { forgedPlaceholders, hostileReplies, ordinaryLike } from '../fixtures/hostile-replies';
import { toPieces } from '../fixtures/mock-openai';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

declare global {
  interface Window {
    longTasks: number[];
  }
}

/** The app's default max_tokens: the mock cuts longer replies there ('length'). */
const maxTokens = 1024;

/** Records every long task's duration on the page's thread from the first script on. */
async function watchLongTasks(page: Page): Promise<void> {
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
}

/** Solves with `reply` as the answer; `whole` sends all of it, whatever max_tokens asks. */
async function solve(page: Page, reply: string, whole = false): Promise<void> {
  await admin(mockOpenAI(), 'script', {
    fallback: reply,
    ...(whole ? { wire: { ignoreMaxTokens: true } } : {}),
  });
  await page.getByLabel('Word problem').fill('How many?');
  await page.evaluate(() => (window.longTasks = []));
  await page.getByRole('button', { name: 'Solve' }).click();
}

/**
 * The longest task while the page streams and shows `reply`, once `answer` is shown. It waits
 * without polling the page (Playwright's own polling runs on the page's thread), then checks.
 */
async function longestTask(page: Page, reply: string, answer: string): Promise<number> {
  await solve(page, reply);
  await page.waitForTimeout(4000);
  await expect(page.getByTestId('final-answer')).toHaveText(answer, { timeout: 30_000 });
  await expect(page.getByTestId('solve-error')).toHaveCount(0);
  return page.evaluate(() => Math.max(0, ...window.longTasks));
}

test.beforeEach(async ({ page }) => {
  await admin(mockOpenAI(), 'reset', {});
  await watchLongTasks(page);
  await page.goto('/');
  await connectMock(page);
});

for (const { name, text, answer } of hostileReplies) {
  test(`${name}: an answer, no error`, async ({ page }) => {
    const errors = trackErrors(page);
    // a reply the mock cuts at max_tokens has no answer: its last number is mid-computation
    const shown = toPieces(text).length > maxTokens ? '—' : (answer ?? '—');
    const hostile = await longestTask(page, text, shown);
    const baseline = await longestTask(
      page,
      ordinaryLike(text.length, Math.min(toPieces(text).length, maxTokens)),
      '7',
    );
    test.info().annotations.push({
      type: 'longest task, ms',
      description: `hostile ${Math.round(hostile)}, ordinary prose ${Math.round(baseline)}`,
    });
    expect(errors).toEqual([]);
  });
}

test('the renderer’s placeholders in a reply render as plain text', async ({ page }) => {
  await solve(page, forgedPlaceholders);
  await expect(page.getByTestId('final-answer')).toHaveText('5');
  const solution = page.getByTestId('solution');
  await expect(solution.locator('.katex')).toHaveCount(2);
  await expect(solution.locator('mark')).toHaveCount(0);
  await expect(solution).toContainText('Pay \uFFFD0\uFFFD now: \uFFFDfake flag\uFFFD');
  await expect(solution.locator('a')).toHaveAttribute('title', '\uFFFD0\uFFFD');
});

test('a 100 KB reply shows as plain text, whole, in blocks laid out only on screen, within a phone', async ({
  page,
}) => {
  await page.setViewportSize({ width: 390, height: 844 });
  const reply = hostileReplies.find((r) => r.name.startsWith('100 KB of "answer is"'));
  // whole, as a hostile server sends it
  await solve(page, reply?.text ?? '', true);
  await expect(page.getByTestId('final-answer')).toHaveText('8', { timeout: 30_000 });
  const solution = page.getByTestId('solution');
  await expect(solution.locator('.render-notice')).toHaveText(
    /^Shown as plain text: this solution has 100,0\d\d characters/,
  );
  const blocks = solution.locator('.plain > div');
  await expect(blocks.last()).toHaveText(/So 4 \+ 4 = 8\.$/);
  expect(await blocks.count()).toBeGreaterThan(40);
  await expect(blocks.last()).toHaveCSS('content-visibility', 'auto');
  // a block not laid out yet must not widen the page (its stand-in size is a height only)
  await blocks.last().scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('a code block with a 5,000-character line wraps within a phone', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await solve(page, `So:\n\n\`\`\`\n${'9'.repeat(5000)}\n\`\`\`\n\nThe answer is 4.`);
  await expect(page.getByTestId('final-answer')).toHaveText('4');
  await expect(page.getByTestId('solution').locator('pre')).toContainText('9999');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test('a reply whose check gives up says "could not check" and keeps its answer', async ({
  page,
}) => {
  await solve(page, hostileReplies[0]?.text ?? '');
  await expect(page.getByTestId('final-answer')).toHaveText('2');
  await expect(page.getByTestId('could-not-check')).toBeVisible();
});
