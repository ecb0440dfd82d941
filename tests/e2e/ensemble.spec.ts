// The single answer and the ensemble side by side, through the OpenAI engine and the mock server.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

const says = (n: number) => `We add and multiply: 9 * 2 = 18. So the total is \\boxed{${n}}.`;

async function ensemble(page: Page, k: number, stop: 'beta' | 'esc' | 'fixed') {
  const toggle = page.getByLabel('Also sample an ensemble and vote');
  if (!(await toggle.isChecked())) await toggle.check();
  await page.getByLabel('Samples at most (k)').fill(String(k));
  await page.getByLabel('Stop rule').selectOption(stop);
}

async function ask(page: Page, question: string) {
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
}

test.beforeEach(async ({ page }) => {
  await admin(mockOpenAI(), 'reset', {});
  await page.goto('/');
  await connectMock(page);
});

test('samples that disagree: the vote, its counts and the verdict are shown', async ({ page }) => {
  const errors = trackErrors(page);
  // request 1 is the greedy single call; requests 2..6 are the ensemble's samples
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'apples', outputs: [says(16), says(18), says(16), says(18), says(18), says(7)] },
    ],
  });
  await ensemble(page, 5, 'fixed');
  await ask(page, 'How many apples?');
  const result = page.getByTestId('ensemble-result');
  await expect(page.getByTestId('majority-answer')).toHaveText('18', { timeout: 20_000 });
  await expect(result.getByTestId('agreement')).toHaveText('3 of 5 votes (60%)');
  const bars = result.getByTestId('histogram').locator('li');
  await expect(bars).toHaveCount(3);
  expect(
    await bars.evaluateAll((li) => li.map((l) => [l.dataset.answer, l.dataset.votes])),
  ).toEqual([
    ['18', '3'],
    ['16', '1'],
    ['7', '1'],
  ]);
  await expect(page.getByTestId('final-answer')).toHaveText('16');
  await expect(page.getByTestId('verdict')).toHaveText(
    'Disagree: the single call says 16, the vote says 18.',
  );
  await expect(result.getByTestId('sample')).toHaveCount(5);
  await result.getByTestId('sample').first().locator('summary').click();
  await expect(result.getByTestId('sample').first()).toContainText('9 * 2 = 18');
  await expect(result.getByTestId('ensemble-cost')).toContainText('All 5 samples ran');
  expect(errors).toEqual([]);
});

test('an agreeing vote stops early and says how many samples it saved', async ({ page }) => {
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'pears', outputs: [says(18)] }] });
  await ensemble(page, 16, 'beta');
  await ask(page, 'How many pears?');
  await expect(page.getByTestId('verdict')).toHaveText(
    'Agree: the single call and the vote both say 18.',
    { timeout: 20_000 },
  );
  const saved = await page.getByTestId('saved').textContent();
  const [, used, savedCount] =
    /Settled after (\d+) of 16 samples: (\d+) saved/.exec(saved ?? '') ?? [];
  expect(Number(used) + Number(savedCount)).toBe(16);
  expect(Number(used)).toBeGreaterThanOrEqual(4);
  expect(Number(used)).toBeLessThan(16);
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests.length).toBeLessThan(17);
});

test('stopping an ensemble halts every sample within one token', async ({ page }) => {
  const long = Array.from({ length: 400 }, (_, i) => `w${i}`).join(' ');
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'plums', outputs: [says(3), long] }],
    chunkDelayMs: 40,
  });
  await ensemble(page, 8, 'fixed');
  await ask(page, 'How many plums?');
  const samples = page.getByTestId('ensemble-result').getByTestId('sample');
  await expect(samples.first()).toBeAttached({ timeout: 20_000 });
  await page.waitForTimeout(600);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByTestId('ensemble-cost')).toContainText(/Stopped after \d+ of 8 samples/);
  // the server notices each closed stream a moment after the page has moved on
  await expect
    .poll(async () => ((await admin(mockOpenAI(), 'stats')) as { aborted: number }).aborted)
    .toBeGreaterThanOrEqual(1);
  await expect(samples.filter({ hasText: 'stopped' })).not.toHaveCount(0);
  // let the render worker catch up with the last pieces, then nothing may grow any more
  await page.waitForTimeout(1000);
  const texts = await samples.allTextContents();
  await page.waitForTimeout(1000);
  expect(await samples.allTextContents()).toEqual(texts);
  await expect(page.getByRole('button', { name: 'Solve' })).toBeEnabled();
});

test('hostile model output renders as inert text and the page keeps working', async ({ page }) => {
  const errors = trackErrors(page);
  const hostile = [
    'Step <script>window.pwned = 1</script>',
    '<img src=x onerror="window.pwned = 2">',
    '[win a prize](javascript:window.pwned=3)',
    'Broken math \\(\\frac{1}{ \\) and $x^{$.',
    'The answer is \\boxed{5}.',
  ].join('\n\n');
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'hostile', outputs: [hostile] }] });
  await ask(page, 'A hostile problem');
  const solution = page.getByTestId('solution');
  await expect(page.getByTestId('final-answer')).toHaveText('5');
  await expect(solution).toContainText('<script>window.pwned = 1</script>');
  await expect(solution).toContainText('\\frac{1}{');
  await expect(solution.locator('script, img, [onerror]')).toHaveCount(0);
  expect(
    await solution.locator('a').evaluateAll((a) => a.map((x) => x.getAttribute('href'))),
  ).toEqual([null]);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => 'pwned' in window)).toBe(false);
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'after', outputs: [says(9)] }] });
  await ask(page, 'And after that?');
  await expect(page.getByTestId('final-answer')).toHaveText('9');
  expect(errors).toEqual([]);
});
