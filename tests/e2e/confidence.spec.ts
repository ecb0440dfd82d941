// Confidence, the answer check (self-verifier) and best-of-n beside the majority, through the
// OpenAI engine and the mock server's scripted log-probabilities; and a server that sends none.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

const says = (n: number) =>
  `Each box holds 6, and 3 boxes make 3 * 6 = 18 pencils. The answer is \\boxed{${n}}.`;
const sure = [-0.02, -5, -6, -7, -8];
const unsure = [-0.9, -1.1, -1.3, -1.5, -1.7];
/**
 * What a card shows for a `sure` sample: each token's confidence, −mean of its top log-probabilities
 * read over the top tokens (renormalised), the same at every token
 */
const sureConfidence = `sureness ${(
  -sure.reduce((n, l) => n + l, 0) / sure.length +
  Math.log(sure.reduce((n, l) => n + Math.exp(l), 0))
).toFixed(1)}`;

async function solveEnsemble(page: Page, question: string, k: number, check = false) {
  const toggle = page.getByLabel('Also sample an ensemble and vote');
  if (!(await toggle.isChecked())) await toggle.check();
  if (check) await page.getByLabel('Ask the model to check each answer').check();
  await page.getByLabel('Samples at most (k)').fill(String(k));
  await page.getByLabel('Stop rule').selectOption('fixed');
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
}

/** Saves a screenshot of the whole page at a size, and checks nothing scrolls sideways. */
async function shoot(page: Page, name: string, width: number, height: number, path: string) {
  await page.setViewportSize({ width, height });
  const sideways = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(sideways, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path, fullPage: true });
}

test.beforeEach(async ({ page }) => {
  await admin(mockOpenAI(), 'reset', {});
  await page.goto('/');
  await connectMock(page);
});

test('a wrong majority of unsure samples: confidence, the verifier and best-of-n disagree with it', async ({
  page,
}, testInfo) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      // the verifier's prompt holds the solution it asks about; listed first, it wins the match
      {
        match: 'boxed{18}',
        outputs: [{ text: 'Yes', logprobs: [-0.1, -2.4], alternatives: ['No'] }],
      },
      {
        match: 'boxed{26}',
        outputs: [{ text: 'No', logprobs: [-0.2, -1.7], alternatives: ['Yes'] }],
      },
      {
        match: 'pencils',
        outputs: [
          says(18), // the greedy single call
          { text: says(26), logprobs: unsure },
          { text: says(18), logprobs: sure },
          { text: says(26), logprobs: unsure },
          { text: says(26), logprobs: unsure },
          { text: says(18), logprobs: sure },
        ],
      },
    ],
  });
  await solveEnsemble(page, 'A crate holds 3 boxes of 6 pencils. How many pencils?', 5, true);
  const result = page.getByTestId('ensemble-result');
  const table = result.getByTestId('aggregations');
  await result.getByText('Other ways to count the same samples').click({ timeout: 20_000 });
  await expect(table).toBeVisible();
  const row = (name: string) => table.locator(`tr[data-aggregation="${name}"]`);
  const cell = (name: string, c: string) => row(name).locator(`[data-cell="${c}"]`);

  // the majority: 26, three of five samples
  await expect(cell('majority', 'answer')).toHaveText('26');
  await expect(cell('majority', 'votes')).toHaveText('3 of 5');
  // confidence-weighted: 18 from two confident samples, disagreeing with the majority
  await expect(cell('confidence', 'answer')).toHaveText('18');
  await expect(cell('confidence', 'votes')).toContainText('2 samples');
  await expect(cell('confidence', 'agrees')).toHaveText('no');
  // verifier-weighted: 18, disagreeing
  await expect(cell('verifier', 'answer')).toHaveText('18');
  await expect(cell('verifier', 'votes')).toContainText('2 samples');
  await expect(cell('verifier', 'agrees')).toHaveText('no');
  // best-of-n names its sample: the earliest confident 18 in the run. The server hands its
  // scripted replies out in the order requests reach it, which under load is not always the order
  // the samples were started in, so which number that is is read off the cards.
  const cards = result.locator('details[id^="sample-"]');
  await expect(cards).toHaveCount(5);
  const sure18: number[] = [];
  for (const card of await cards.all()) {
    const number = Number((await card.getAttribute('id'))?.replace('sample-', ''));
    const answer = await card.locator('summary strong').textContent();
    const confidence = await card.getByTestId('confidence').textContent();
    if (answer === '18' && confidence === sureConfidence) sure18.push(number);
  }
  expect(sure18).toHaveLength(2);
  const best = Math.min(...sure18);
  await expect(cell('best-of-n', 'answer')).toHaveText('18');
  await expect(cell('best-of-n', 'votes')).toContainText(`sample #${best} P(yes) 0.91`);
  // costs: generation for all; the verifier's tokens on the rows that used it
  await expect(cell('majority', 'cost')).toHaveText(/^\d+$/);
  await expect(cell('confidence', 'cost')).toHaveText(/^\d+$/);
  await expect(cell('verifier', 'cost')).toHaveText(/^\d+ \+ \d+ to check$/);
  await expect(cell('best-of-n', 'cost')).toHaveText(/^\d+ \+ \d+ to check$/);

  // the ensemble's answer is the default aggregation's, and the sentence says why
  await expect(page.getByTestId('majority-answer')).toHaveText('18');
  await expect(page.getByTestId('story-vote')).toHaveText(
    '3 samples said 26 but were unsure; the 2 confident ones said 18.',
  );
  await expect(row('confidence')).toHaveClass(/chosen/);
  await expect(page.getByTestId('confidence-note')).toHaveCount(0);

  // each card shows its confidence; the verified ones their P(yes)
  await expect(result.getByTestId('confidence')).toHaveCount(5);
  await expect(result.getByTestId('verifier')).toHaveCount(2);
  // best-of-n's link opens its card
  const card = result.locator(`#sample-${best}`);
  await expect(card).not.toHaveAttribute('open', '');
  await cell('best-of-n', 'votes')
    .getByRole('button', { name: `sample #${best}` })
    .click();
  await expect(card).toHaveAttribute('open', '');
  await expect(card.getByTestId('verifier')).toHaveText('checked: looks right');
  await expect(card.getByTestId('verifier')).toHaveAttribute('title', /P\(yes\) 0\.91/);
  await expect(card).toContainText('3 * 6 = 18');

  // two verification prompts, one token each
  const stats = (await admin(mockOpenAI(), 'stats')) as {
    requests: { max_tokens?: number; messages: { content: string }[] }[];
  };
  const verifying = stats.requests.filter((r) =>
    r.messages.at(-1)?.content.includes('Is the proposed solution correct?'),
  );
  expect(verifying.map((r) => r.max_tokens)).toEqual([1, 1]);

  for (const [name, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    await shoot(page, name, width, height, testInfo.outputPath(`confidence-${name}.png`));
  }
  expect(errors).toEqual([]);
});

test('a server without log-probabilities still solves, with one note', async ({
  page,
}, testInfo) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    wire: { omitLogprobs: true },
    replies: [{ match: 'pencils', outputs: [says(18), says(18), says(26), says(18)] }],
  });
  await solveEnsemble(page, 'A crate holds 3 boxes of 6 pencils. How many pencils?', 3);
  const result = page.getByTestId('ensemble-result');
  await expect(page.getByTestId('majority-answer')).toHaveText('18', { timeout: 20_000 });
  await expect(page.getByTestId('story-vote')).toHaveText('2 of 3 samples said 18.');
  const note = page.getByTestId('confidence-note');
  await expect(note).toHaveCount(1);
  await expect(note).toContainText('does not report how sure the model was');
  await expect(note).toContainText('plain majority');
  await result.getByText('Other ways to count the same samples').click();
  const table = result.getByTestId('aggregations');
  await expect(table.locator('tr[data-aggregation="confidence"]')).toHaveCount(0);
  await expect(result.getByTestId('left-out')).toContainText(
    'because this server does not report how sure the model was',
  );
  await expect(result.getByTestId('confidence')).toHaveCount(0);
  // no verification was asked for: the single call and three samples only
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests).toHaveLength(4);
  await shoot(page, 'phone', 390, 844, testInfo.outputPath('no-logprobs-phone.png'));
  expect(errors).toEqual([]);
});

test('a sample whose reply is malformed is marked failed; the vote goes on with the others', async ({
  page,
}, testInfo) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      {
        match: 'pencils',
        outputs: [
          says(18), // the greedy single call
          { text: says(18), logprobs: sure },
          // a log-probability of 0.5 is no probability: the reply is refused
          { text: says(26), logprobs: [0.5, -1, -2, -3, -4] },
          { text: says(18), logprobs: sure },
          { text: says(18), logprobs: unsure },
        ],
      },
    ],
  });
  await solveEnsemble(page, 'A crate holds 3 boxes of 6 pencils. How many pencils?', 4);
  const result = page.getByTestId('ensemble-result');
  await expect(page.getByTestId('majority-answer')).toHaveText('18', { timeout: 20_000 });
  await expect(page.getByTestId('story-vote')).toHaveText('All 3 samples said 18.');
  await expect(result.getByTestId('failed')).toHaveText('· 1 failed, not counted');
  await result.getByText('Other ways to count the same samples').click();
  const votes = result.locator('tr[data-aggregation="majority"] [data-cell="votes"]');
  await expect(votes).toHaveText('3 of 3');
  const failed = result.locator('details', { has: page.getByTestId('failed-sample') });
  await expect(failed).toHaveCount(1);
  await failed.locator('summary').click();
  await expect(failed.getByRole('note')).toContainText('log-probabilities');
  for (const [name, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    await shoot(page, name, width, height, testInfo.outputPath(`failed-sample-${name}.png`));
  }
  expect(errors).toEqual([]);
});
