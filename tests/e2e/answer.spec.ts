// The result tells one story: the answer Tally stands behind, one plain account of how it got
// there, a chart that leads with that answer, failures named as failures, the answer check off
// until asked for, and a result that fits a phone and a desktop without scrolling sideways.
import { expect, test, type Page } from '@playwright/test';
import { gold, problems as problemSet } from '../data/problems';
import { admin, connectMock, downloadFixture, mockOpenAI, trackErrors } from './helpers';

const says = (n: number) =>
  `Each box holds 6, and 3 boxes make 3 * 6 = 18 pencils. The answer is \\boxed{${n}}.`;
const question = 'A crate holds 3 boxes of 6 pencils. How many pencils?';
const sure = [-0.02, -5, -6, -7, -8];
const unsure = [-0.9, -1.1, -1.3, -1.5, -1.7];
const checkQuestion = 'Is the proposed solution correct?';

async function solveEnsemble(page: Page, k: number): Promise<void> {
  await page.getByLabel('Also sample an ensemble and vote').check();
  await page.getByLabel('Samples at most (k)').fill(String(k));
  await page.getByLabel('Stop rule').selectOption('fixed');
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
}

/**
 * Elements of the boxes `selector` matches that are cut off: past the right edge of their box or
 * of the screen, or a box of their own that scrolls sideways.
 */
function cutOff(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const width = document.documentElement.clientWidth;
    const boxes = [...document.querySelectorAll(selector)];
    if (boxes.length === 0) return [`${selector} missing`];
    return boxes
      .flatMap((box) => {
        const edge = box.getBoundingClientRect().right;
        return [box, ...box.querySelectorAll('*')].filter((el) => {
          const rect = el.getBoundingClientRect();
          if (rect.width <= 1) return false;
          const style = getComputedStyle(el);
          const scrolls = style.overflowX === 'auto' || style.overflowX === 'scroll';
          return (
            rect.right > Math.min(edge, width) + 1 ||
            (scrolls && el.scrollWidth > el.clientWidth + 1)
          );
        });
      })
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
  }, selector);
}

/** At both sizes: nothing in the result cut off, the page no wider than the screen, a screenshot. */
async function fitsBothSizes(page: Page, shot: (size: string) => string): Promise<void> {
  for (const [size, width, height] of [
    ['desktop', 1280, 900],
    ['phone', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    for (const part of ['[data-testid="answer"]', '.results > .result']) {
      expect(await cutOff(page, part), `${part} at ${size}`).toEqual([]);
    }
    const sideways = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(sideways, `the page scrolls sideways at ${size}`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: shot(size), fullPage: true });
    await page.locator('.results').screenshot({ path: shot(`${size}-result`) });
  }
}

test.beforeEach(async ({ page }) => {
  await admin(mockOpenAI(), 'reset', {});
  await page.goto('/');
  await connectMock(page);
});

test('three unsure samples say 19, two sure ones 18: headline, chart and sentence all say 18', async ({
  page,
}, testInfo) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      {
        match: 'pencils',
        outputs: [
          says(18), // the greedy single call
          { text: says(19), logprobs: unsure },
          { text: says(18), logprobs: sure },
          { text: says(19), logprobs: unsure },
          { text: says(19), logprobs: unsure },
          { text: says(18), logprobs: sure },
        ],
      },
    ],
  });
  await solveEnsemble(page, 5);
  const answer = page.getByTestId('answer');
  await expect(answer.getByTestId('answer-value')).toHaveText('18', { timeout: 20_000 });
  await expect(answer.getByTestId('story')).toHaveText(
    'The single call and the vote both say 18. 3 samples said 19 but were unsure; the 2 confident ones said 18.',
  );
  const vote = page.getByTestId('ensemble-result');
  await expect(vote.getByTestId('majority-answer')).toHaveText('18');
  // the chart draws the votes of the rule that decided: its leading bar is the headline
  const bars = vote.getByTestId('histogram').locator('li');
  expect(
    await bars.evaluateAll((li) =>
      li.map((l) => [l.dataset.answer, l.dataset.votes, l.classList.contains('winner')]),
    ),
  ).toEqual([
    ['18', '2', true],
    ['19', '3', false],
  ]);
  await expect(bars.first()).toContainText('2 samples · weight');
  await expect(vote.getByTestId('chart-rule')).toContainText('weighed by how sure');
  // the other ways of counting are one step away, with the majority's 19 among them
  const rules = vote.getByTestId('other-rules');
  await expect(rules.getByTestId('aggregations')).toBeHidden();
  await rules.locator('summary').click();
  await vote.locator('#sample-2 summary').click();
  const row = (name: string) => rules.locator(`tr[data-aggregation="${name}"]`);
  await expect(row('majority').locator('[data-cell="answer"]')).toHaveText('19');
  await expect(row('confidence')).toHaveClass(/chosen/);
  // the answer check was not asked for: its rows are left out with one sentence, no call was made
  await expect(row('verifier')).toHaveCount(0);
  await expect(row('best-of-n')).toHaveCount(0);
  await expect(rules.getByTestId('left-out')).toHaveText(
    'Left out: weighed by the answer check and best-checked sample, because the answer check is off (turn it on under the vote’s settings).',
  );
  const stats = (await admin(mockOpenAI(), 'stats')) as {
    requests: { messages: { content: string }[] }[];
  };
  expect(stats.requests.some((r) => r.messages.at(-1)?.content.includes(checkQuestion))).toBe(
    false,
  );
  expect(stats.requests).toHaveLength(6);

  await fitsBothSizes(page, (size) => testInfo.outputPath(`answer-${size}.png`));
  // the README's screenshot is this result, taken from the current UI on every run
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('section.solve').screenshot({ path: 'docs/screenshot.png' });
  expect(errors).toEqual([]);
});

test('the answer check, asked for, against a server that gives no yes or no: one sentence, no 0.0%', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      // the check's prompt quotes a solution; listed first, it wins the match: no yes/no in reply
      {
        match: checkQuestion,
        outputs: [{ text: 'Maybe', logprobs: [-0.1, -2.4], alternatives: ['Perhaps'] }],
      },
      { match: 'pencils', outputs: [says(18), says(18), says(19), says(18)] },
    ],
  });
  await page.getByLabel('Also sample an ensemble and vote').check();
  const check = page.getByLabel('Ask the model to check each answer');
  await expect(check).not.toBeChecked();
  await check.check();
  await solveEnsemble(page, 3);
  await expect(page.getByTestId('answer-value')).toHaveText('18', { timeout: 20_000 });
  const rules = page.getByTestId('other-rules');
  await rules.locator('summary').click();
  await expect(rules.getByTestId('left-out')).toContainText(
    'because the answer check gave no verdict',
  );
  await expect(rules.locator('tr[data-aggregation="verifier"]')).toHaveCount(0);
  // one check per distinct answer was asked
  const stats = (await admin(mockOpenAI(), 'stats')) as {
    requests: { messages: { content: string }[] }[];
  };
  expect(
    stats.requests.filter((r) => r.messages.at(-1)?.content.includes(checkQuestion)),
  ).toHaveLength(2);
  await expect(page.locator('body')).not.toContainText(/(?<![\d.])0\.0%/);
  await expect(page.getByTestId('ensemble-result').getByTestId('verifier')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a program that raises is named as a failure, not as disagreement', async ({ page }) => {
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      {
        match: 'pencils',
        system: 'programs',
        outputs: ['```python\nboxes = 3\nprint(boxes * pencils_per_box)\n```'],
      },
      { match: 'pencils', outputs: [says(18)] },
    ],
  });
  await page.getByLabel('Also write a Python program and run it').check();
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  const story = page.getByTestId('story');
  await expect(story).toHaveText(
    "The program failed: it raised an error (NameError: name 'pencils_per_box' is not defined). Only the single call gave an answer: 18.",
    { timeout: 120_000 },
  );
  await expect(story).not.toContainText('Disagree');
  await expect(page.getByTestId('answer-value')).toHaveText('18');
  await expect(page.getByTestId('answer')).toHaveClass(/disagree/);
  expect(errors).toEqual([]);
});

test.describe('Python that cannot load', () => {
  // no service worker: it would serve Python from its cache, and this test needs it to be absent
  test.use({ serviceWorkers: 'block' });

  test('is named as a failure with what to do, and raises no uncaught error', async ({
    page,
    context,
  }) => {
    const errors = trackErrors(page);
    await context.route('**/pyodide/**', (route) => route.abort('internetdisconnected'));
    await admin(mockOpenAI(), 'script', {
      replies: [
        {
          match: 'pencils',
          system: 'programs',
          outputs: ['```python\nprint(3 * 6)\n```'],
        },
        { match: 'pencils', outputs: [says(18)] },
      ],
    });
    await page.getByLabel('Also write a Python program and run it').check();
    await page.getByLabel('Word problem').fill(question);
    await page.getByRole('button', { name: 'Solve' }).click();
    const story = page.getByTestId('story');
    await expect(story).toContainText(
      'The program failed: Python could not load. It is downloaded the first time a program runs, so connect to the internet once and solve again.',
      { timeout: 120_000 },
    );
    await expect(story).toContainText('Only the single call gave an answer: 18.');
    expect(errors).toEqual([]);
  });
});

test.describe('the evidence line', () => {
  /** The first 20 problems of the fixture's GSM8K: every fourth answered wrong, 15 of 20 right. */
  const twenty = problemSet.slice(0, 20).map((line, i) => ({
    match: line.question.trim().slice(0, 80),
    outputs: [
      `We work it out. The answer is \\boxed{${Number(gold(line.answer)) + (i % 4 === 3 ? 1 : 0)}}.`,
    ],
  }));

  async function solveWithVote(page: Page): Promise<void> {
    await page.getByLabel('Also sample an ensemble and vote').check();
    await page.getByLabel('Samples at most (k)').fill('3');
    await page.getByLabel('Stop rule').selectOption('fixed');
    await page.getByLabel('Word problem').fill(question);
    await page.getByRole('button', { name: 'Solve' }).click();
    await expect(page.getByTestId('answer-value')).toHaveText('18', { timeout: 20_000 });
  }

  test('without a measured run: agreement only, and one click measures; then the line shows, and History keeps it', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    const errors = trackErrors(page);
    await admin(mockOpenAI(), 'script', {
      replies: [...twenty, { match: 'pencils', outputs: [says(18)] }],
    });
    // this browser keeps a copy of the set (from the fixture server) for the run to use
    await page.goto('/#bench');
    await downloadFixture(page, 'gsm8k');
    await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
    await page.goto('/#solve');

    await solveWithVote(page);
    const answer = page.getByTestId('answer');
    await expect(answer.getByTestId('story')).toHaveText(
      'The single call and the vote both say 18. All 3 samples said 18.',
    );
    const offer = answer.getByTestId('measure');
    await expect(offer).toContainText('Nothing measured yet with this model');
    await expect(answer.getByTestId('evidence')).toHaveCount(0);
    await expect(answer).not.toContainText('%');

    await offer.getByRole('button', { name: /^Measure it on 20 GSM8K problems \(about / }).click();
    await expect(page).toHaveURL(/#bench$/);
    const progress = page.getByTestId('bench-progress');
    await expect(progress).toHaveAttribute('data-total', '40');
    await expect(progress).toHaveAttribute('data-done', '40', { timeout: 60_000 });
    await expect(page.getByTestId('bench-status')).toHaveText('Finished.');
    await expect(
      page.locator(
        '[data-testid="calibration-agreement"] tr[data-group="single=vote"] [data-cell="n"]',
      ),
    ).toHaveText('20');

    await page.goto('/#solve');
    await solveWithVote(page);
    const line =
      'In your GSM8K test run with this model, answers where the single call and the vote agreed were right 15 of 20 times (75.0%).';
    await expect(answer.getByTestId('evidence')).toHaveText(line);
    await expect(answer.getByTestId('measure')).toHaveCount(0);
    // History keeps the line
    await page.getByRole('button', { name: question }).first().click();
    await expect(page.getByTestId('recalled')).toBeVisible();
    await expect(page.getByTestId('evidence')).toHaveText(line);
    expect(errors).toEqual([]);
  });

  test('a finished run with other parts is not quoted', async ({ page }) => {
    test.setTimeout(120_000);
    await admin(mockOpenAI(), 'script', {
      replies: [...twenty, { match: 'pencils', outputs: [says(18)] }],
    });
    await page.goto('/#bench');
    await downloadFixture(page, 'gsm8k');
    await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
    await page.getByLabel('How many problems').fill('4');
    // single call only: a solve with a vote has other parts
    await page.getByLabel('Ensemble (sample and vote)').uncheck();
    await page.getByRole('button', { name: 'Start benchmark' }).click();
    await expect(page.getByTestId('bench-progress')).toHaveAttribute('data-done', '4', {
      timeout: 60_000,
    });
    await page.goto('/#solve');
    await solveWithVote(page);
    await expect(page.getByTestId('measure')).toBeVisible();
    await expect(page.getByTestId('evidence')).toHaveCount(0);
  });
});
