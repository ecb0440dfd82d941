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

test('samples that disagree: the vote, its counts and the answer’s sentence are shown', async ({
  page,
}) => {
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
  const bars = result.getByTestId('histogram').locator('li');
  await expect(bars).toHaveCount(3);
  const drawn = await bars.evaluateAll((li) => li.map((l) => [l.dataset.answer, l.dataset.votes]));
  // 18 leads; 16 and 7 tie at one vote each, in the order their samples finished, which with
  // samples running at once is not always the order they were asked in
  expect(drawn[0]).toEqual(['18', '3']);
  expect(drawn.slice(1).sort()).toEqual([
    ['16', '1'],
    ['7', '1'],
  ]);
  await expect(page.getByTestId('final-answer')).toHaveText('16');
  await expect(page.getByTestId('story')).toHaveText(
    'The single call says 16 and the vote says 18. Tally goes with the vote: it weighs many samples, not one. 3 of 5 samples said 18.',
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
  await expect(page.getByTestId('story')).toContainText(
    'The single call and the vote both say 18.',
    { timeout: 20_000 },
  );
  const saved = await page.getByTestId('saved').textContent();
  const [, used, savedCount] =
    /Decided after (\d+) of 16 samples: (\d+) not needed/.exec(saved ?? '') ?? [];
  expect(Number(used) + Number(savedCount)).toBe(16);
  expect(Number(used)).toBeGreaterThanOrEqual(4);
  expect(Number(used)).toBeLessThan(16);
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests.length).toBeLessThan(17);
});

test('while it runs, the estimate becomes how far it is and the time left at this run’s speed', async ({
  page,
}) => {
  const errors = trackErrors(page);
  const steps = Array.from({ length: 40 }, (_, i) => `step${i}`).join(' ');
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'walnuts', outputs: [`${steps} ${says(18)}`] }],
    chunkDelayMs: 40,
  });
  await ensemble(page, 6, 'fixed');
  const estimate = page.getByTestId('ensemble-estimate');
  await ask(page, 'How many walnuts?');
  // once samples have ended: their count, as the vote's card counts them, and the time the rest
  // take at the speed measured in this run, in place of the figure from before
  const live =
    /^([1-5]) of 6 samples done: about [\d.]+ s left at the [\d.]+ tokens\/s measured in this run\.$/;
  // read every 50 ms: the line lasts only while the last samples are written
  await expect
    .poll(async () => (await estimate.textContent())?.trim(), { timeout: 30_000, intervals: [50] })
    .toMatch(live);
  await expect(estimate).toHaveAttribute('data-state', 'running');
  const both = await page.evaluate(() =>
    ['ensemble-estimate', 'ensemble-cost'].map(
      (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent.trim() ?? '',
    ),
  );
  const done = live.exec(both[0] ?? '')?.[1];
  // the fixed rule draws all 6: neither line says "up to"
  expect(both[1]).toContain(`Sampling ${done} of 6…`);
  // over: the card says what ran, and the line is the estimate for the next run again
  await expect(page.getByTestId('ensemble-cost')).toContainText('All 6 samples ran', {
    timeout: 30_000,
  });
  await expect(estimate).toHaveAttribute('data-state', 'before');
  await expect(estimate).toHaveText(
    /^6 samples ≈ 324 tokens: about .+ one after another at the [\d.]+ tokens\/s of the last answer \(less when a server answers several at once\)\.$/,
  );

  // a second run: while its single call is written the estimate stays, from the answer before
  await page.evaluate(() => {
    const states: string[] = [];
    Object.assign(window, { states });
    const line = document.querySelector('[data-testid="ensemble-estimate"]');
    if (!line) throw new Error('no estimate line');
    new MutationObserver(() => states.push(line.getAttribute('data-state') ?? '')).observe(line, {
      attributes: true,
      childList: true,
      characterData: true,
      subtree: true,
    });
  });
  const states = () =>
    page.evaluate(() => (window as unknown as { states: string[] }).states.join(' '));
  await ask(page, 'How many walnuts?');
  await expect.poll(states, { timeout: 30_000 }).toContain('running');
  await expect(estimate).toHaveAttribute('data-state', 'before', { timeout: 30_000 });
  expect(await states()).not.toContain('unknown');
  expect(errors).toEqual([]);
});

test('a vote settled early says so in place of the time left while the answers are checked', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'figs', outputs: [says(18)] }] });
  // the answer check's request waits 2 s on its way to the server: time to read the line
  await page.route(`${mockOpenAI()}/v1/chat/completions`, async (route) => {
    if (route.request().postData()?.includes('Is the proposed solution correct?')) {
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    await route.continue();
  });
  await ensemble(page, 16, 'beta');
  await page.getByLabel('Ask the model to check each answer').check();
  const estimate = page.getByTestId('ensemble-estimate');
  await ask(page, 'How many figs?');
  await expect(page.getByTestId('verifying')).toBeVisible({ timeout: 30_000 });
  await expect(estimate).toHaveAttribute('data-state', 'decided');
  await expect(estimate).toHaveText(/^Decided after \d+ of 16 samples: \d+ not needed\.$/);
  // the card, once the answers are checked, says the same in the same words
  const said = (await estimate.textContent())?.trim() ?? '';
  await expect(page.getByTestId('saved')).toHaveText(said, { timeout: 30_000 });
  await expect(estimate).toHaveAttribute('data-state', 'before');
  expect(errors).toEqual([]);
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

test('a sample streams into an open card, then folds to its summary line until opened', async ({
  page,
}) => {
  const errors = trackErrors(page);
  const steps = Array.from({ length: 60 }, (_, i) => `step${i}`).join(' ');
  const reply = `${steps} Half of 36 is \\(\\frac{36}{2} = 18\\). So the total is \\boxed{18}.`;
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'cookies', outputs: [reply] }],
    chunkDelayMs: 30,
  });
  await ensemble(page, 2, 'fixed');
  await ask(page, 'How many cookies?');
  const cards = page.getByTestId('ensemble-result').getByTestId('sample');
  const first = cards.first();
  // while it streams: open, its text arriving as plain text
  await expect(first.getByTestId('streaming-text')).toContainText('step5', { timeout: 20_000 });
  await expect(first).toHaveJSProperty('open', true);
  await expect(first.locator('summary')).toContainText('running');
  // once over: each card is its summary line, with none of its solution in the page
  await expect(page.getByTestId('ensemble-cost')).toContainText('All 2 samples ran', {
    timeout: 30_000,
  });
  await expect(cards).toHaveCount(2);
  for (const card of await cards.all()) {
    await expect(card).toHaveJSProperty('open', false);
    await expect(card.locator('summary')).toContainText('18');
    await expect(card.locator('.rendered, [data-testid="streaming-text"]')).toHaveCount(0);
  }
  // opened: the whole solution with its math rendered; folded again: gone from the page
  await first.locator('summary').click();
  await expect(first.locator('.katex')).not.toHaveCount(0);
  await expect(first).toContainText('step0 step1');
  await expect(first).toContainText('step59 Half of 36 is');
  await first.locator('summary').click();
  await expect(first.locator('.rendered')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('streamed text reaches the page at most once a frame, and none of it is lost', async ({
  page,
}) => {
  const errors = trackErrors(page);
  const words = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'pieces', outputs: [`${words} The answer is 7.`] }],
    chunkDelayMs: 5,
  });
  await ensemble(page, 4, 'fixed');
  // Frames are made slow (each holds the thread 50 ms), so several pieces of each stream arrive
  // between two frames. Counted: frames while a card streams, and page updates that changed a
  // streaming card's text.
  await page.evaluate(() => {
    const counts = { frames: 0, updates: 0 };
    Object.assign(window, { counts });
    const streaming = (node: Node | null) =>
      (node instanceof Element ? node : node?.parentElement)?.closest(
        '[data-testid="streaming-text"]',
      ) != null;
    const tick = () => {
      if (streaming(document.querySelector('[data-testid="streaming-text"]'))) counts.frames += 1;
      const until = performance.now() + 50;
      while (performance.now() < until);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new MutationObserver((records) => {
      if (records.some((r) => streaming(r.target))) counts.updates += 1;
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await ask(page, 'How many pieces?');
  await expect(page.getByTestId('ensemble-cost')).toContainText('All 4 samples ran', {
    timeout: 30_000,
  });
  const { frames, updates } = await page.evaluate(
    () => (window as unknown as { counts: { frames: number; updates: number } }).counts,
  );
  // four streams would update the page about four times a frame; batched, it is at most once a
  // frame, plus once as each sample finishes
  expect(updates).toBeGreaterThan(0);
  expect(updates).toBeLessThanOrEqual(frames + 4);
  const cards = page.getByTestId('ensemble-result').getByTestId('sample');
  for (const card of await cards.all()) await expect(card.locator('summary')).toContainText('7');
  await cards.last().locator('summary').click();
  await expect(cards.last().locator('.rendered')).toHaveText(`${words} The answer is 7.`);
  await expect(page.getByTestId('solution')).toContainText(`${words} The answer is`);
  expect(errors).toEqual([]);
});

test('History sums up a problem in words: the answer, the vote and its samples', async ({
  page,
}) => {
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'pens', outputs: [says(18)] }] });
  await ensemble(page, 3, 'fixed');
  await ask(page, 'How many pens?');
  await expect(page.getByTestId('majority-answer')).toHaveText('18', { timeout: 20_000 });
  await expect(page.getByTestId('history').locator('li')).toContainText(
    'How many pens? 18 · vote 18, 3 of 3 samples',
  );
});
