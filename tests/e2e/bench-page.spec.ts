// The benchmark page against the mock server: 20 downloaded problems, table and chart, a reload
// mid-run that resumes without redoing finished problems, and exports that parse back.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { published } from '../../src/lib/bench/published';
import { parseCsv } from '../../src/lib/bench/csv';
import { csvColumns, type BenchExport } from '../../src/lib/bench/export';
import { gold, problems as problemSet } from '../data/problems';
import { admin, connectMock, downloadFixture, mockOpenAI, trackErrors } from './helpers';
import { expectFits, expectInside, sizes } from './layout';

/** The first 20 problems of the set the fixture serves as GSM8K, as the page will read them. */
const problems = problemSet.slice(0, 20).map((line) => ({
  question: line.question.trim(),
  gold: Number(gold(line.answer)),
}));
/** Every fourth problem is answered wrong: 15 of 20 right in both modes. */
const isRight = (i: number) => i % 4 !== 3;
const reply = (gold: number, right: boolean) =>
  `We work it out step by step and find the total. The answer is \\boxed{${right ? gold : gold + 1}}.`;

interface Stats {
  requests: { messages: { role: string; content: string }[] }[];
}

/** The self-verifier's question (src/lib/solver/verify.ts): its requests quote a solution. */
const verifying = 'Is the proposed solution correct?';

/** Solution requests per problem so far, by the question in the last user message. */
async function asked(): Promise<number[]> {
  const stats = (await admin(mockOpenAI(), 'stats')) as Stats;
  const counts = problems.map(() => 0);
  for (const request of stats.requests) {
    const text = request.messages.at(-1)?.content ?? '';
    if (text.includes(verifying)) continue;
    const i = problems.findIndex((p) => text.includes(p.question));
    if (i >= 0) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}

async function setOptions(page: Page) {
  await page.getByLabel('How many problems').fill('20');
  await page.getByLabel('Samples at most (k)').fill('3');
  await page.getByLabel('Stop rule').selectOption('fixed');
  await page.getByLabel('Concurrency').fill('2');
}

const done = (page: Page) => page.getByTestId('bench-progress');

/** Uploads `set` as the JSON Lines file `name` and waits until the page has read it. */
async function upload(page: Page, name: string, set: { question: string; gold: number }[]) {
  await page.getByLabel('Or upload a file').setInputFiles({
    name,
    mimeType: 'application/jsonl',
    buffer: Buffer.from(set.map((p) => JSON.stringify(p)).join('\n')),
  });
  await expect(page.getByTestId('bench-data')).toContainText(`${name}: ${set.length} problems`);
}

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
  await admin(mockOpenAI(), 'script', {
    chunkDelayMs: 40,
    replies: [
      // the verifier is sure of every solution, so its aggregations agree with the vote
      {
        match: verifying,
        outputs: [{ text: 'Yes', logprobs: [-0.1, -2.4], alternatives: ['No'] }],
      },
      ...problems.map((p, i) => ({
        match: p.question.slice(0, 80),
        outputs: [reply(p.gold, isRight(i))],
      })),
    ],
  });
});

test('runs 20 downloaded problems, survives a reload mid-run, and exports JSON and CSV', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  // the scripted matches pick out one problem each
  expect(new Set(problems.map((p) => p.question.slice(0, 80))).size).toBe(20);
  const errors = trackErrors(page);
  await page.goto('/#bench');
  await connectMock(page);
  await expect(page.getByTestId('data-licence')).toHaveAttribute(
    'href',
    published.gsm8k.licence.url,
  );
  await downloadFixture(page, 'gsm8k');
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');

  await setOptions(page);
  // the answer check costs a call per distinct answer: off until asked for
  const check = page.getByLabel('Ask the model to check each answer');
  await expect(check).not.toBeChecked();
  await check.check();
  await page.getByRole('button', { name: 'Start benchmark' }).click();
  await expect(done(page)).toHaveAttribute('data-total', '40');
  await expect
    .poll(async () => Number(await done(page).getAttribute('data-done')), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(8);
  // problems whose both modes were saved before the reload
  const finished = await page
    .locator('[data-testid="bench-row"][data-finished="true"]')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-problem') ?? ''));
  expect(finished.length).toBeGreaterThanOrEqual(2);
  expect(Number(await done(page).getAttribute('data-done'))).toBeLessThan(40);

  await page.reload();
  await expect(done(page)).toHaveAttribute('data-total', '40');
  const saved = Number(await done(page).getAttribute('data-done'));
  expect(saved).toBeGreaterThanOrEqual(finished.length * 2);
  expect(saved).toBeLessThan(40);
  await expect(page.getByTestId('bench-status')).toContainText('A saved run');
  await connectMock(page);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(done(page)).toHaveAttribute('data-done', '40', { timeout: 60_000 });
  await expect(page.getByTestId('bench-status')).toHaveText('Finished.');
  await expect(page.getByTestId('bench-finished')).toHaveText(
    '20 of 20 problems finished · 40 of 40 answers (2 modes each)',
  );

  // finished problems were not asked again: exactly one single call and three samples each
  const counts = await asked();
  for (const id of finished) {
    expect(counts[Number(id.slice(1)) - 1], id).toBe(4);
  }
  expect(counts.every((n) => n >= 4)).toBe(true);

  // the table and the chart
  const summary = page.getByTestId('bench-summary');
  const single = summary.locator('tr[data-mode="single"]');
  const ensemble = summary.locator('tr[data-mode="ensemble-k3-fixed-check"]');
  await expect(single.locator('[data-cell="n"]')).toHaveText('20');
  await expect(single.locator('[data-cell="correct"]')).toHaveText('15');
  await expect(single.locator('[data-cell="accuracy"]')).toHaveText('75.0%');
  await expect(ensemble.locator('[data-cell="correct"]')).toHaveText('15');
  await expect(ensemble.locator('[data-cell="samples"]')).toHaveText('3.00');
  // every aggregation of the same samples, under the ensemble; the verifier's cost its own
  const aggregations = summary.locator('tr[data-aggregation]');
  await expect(aggregations).toHaveCount(4);
  await expect(aggregations.locator('th')).toHaveText([
    'Most samples',
    'Weighed by how sure',
    'Weighed by the answer check',
    'Best-checked sample',
  ]);
  await expect(aggregations.locator('[data-cell="correct"]')).toHaveText(['15', '15', '15', '15']);
  const tokens = (name: string) =>
    summary
      .locator(`tr[data-aggregation="${name}"] [data-cell="tokens"]`)
      .textContent()
      .then((text) => Number(text?.replace(/,/g, '')));
  expect(await tokens('verifier')).toBeGreaterThan(await tokens('majority'));
  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const shot = testInfo.outputPath(`bench-aggregations-${size.name}.png`);
    await summary.screenshot({ path: shot });
    await testInfo.attach(`bench-aggregations-${size.name}`, {
      path: shot,
      contentType: 'image/png',
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      size.width,
    );
  }
  await page.setViewportSize({ width: 1280, height: 900 });
  const chart = page.getByTestId('bench-chart');
  await expect(chart).toBeVisible();
  await expect(chart.getByTestId('bench-point')).toHaveCount(2);
  // how far to trust an answer: the single call and the vote always agreed, and were right 15
  // times of 20; every vote was unanimous; the other groups are empty and say so
  const calibration = page.getByTestId('bench-calibration');
  const agreed = calibration.locator('[data-testid="calibration-agreement"] tr[data-group]');
  await expect(agreed).toHaveCount(1);
  await expect(agreed.locator('th')).toHaveText('the single call and the vote agreed');
  await expect(agreed.locator('[data-cell="n"]')).toHaveText('20');
  await expect(agreed.locator('[data-cell="accuracy"]')).toHaveText('75.0%');
  await expect(agreed.locator('.dot')).toHaveCount(1);
  const shares = calibration.locator('[data-testid="calibration-share"] tr[data-group]');
  await expect(shares.locator('[data-cell="n"]')).toHaveText(['20', '0', '0', '0']);
  await expect(shares.locator('[data-cell="accuracy"]')).toHaveText(['75.0%', '-', '-', '-']);
  await expect(shares.locator('.dot')).toHaveCount(1);
  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await calibration.screenshot({
      path: testInfo.outputPath(`bench-calibration-${size.name}.png`),
    });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      size.width,
    );
  }
  await page.setViewportSize({ width: 1280, height: 900 });

  // drill-down: the solutions, rendered
  await page.locator('[data-problem="L4"] button').click();
  const solutions = page.getByTestId('bench-solutions');
  await expect(solutions).toContainText(problems[3]?.question.slice(0, 40) ?? '');
  await expect(solutions).toContainText('We work it out step by step');
  await expect(solutions.locator('.katex').first()).toBeVisible();
  await expect(page.locator('[data-problem="L4"] [data-correct="false"]')).toHaveCount(2);

  // exports
  const json = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const jsonFile = await (await json).path();
  const exported = JSON.parse(readFileSync(jsonFile, 'utf8')) as BenchExport;
  expect(exported.format).toBe('tally-bench');
  expect(exported.results).toHaveLength(40);
  expect(exported.summary.map((s) => [s.mode, s.n, s.correct])).toEqual([
    ['single', 20, 15],
    ['ensemble-k3-fixed-check', 20, 15],
  ]);
  expect(exported.results.filter((r) => r.correct)).toHaveLength(30);
  expect(exported.summary[1]?.aggregations.map((a) => [a.name, a.n, a.correct])).toEqual([
    ['majority', 20, 15],
    ['confidence', 20, 15],
    ['verifier', 20, 15],
    ['best-of-n', 20, 15],
  ]);
  const samples = exported.results.filter((r) => r.mode !== 'single').flatMap((r) => r.samples);
  expect(samples.every((s) => typeof s.confidence === 'number')).toBe(true);
  expect(samples.filter((s) => s.verifier !== null)).toHaveLength(20);
  expect(exported.calibration.byAgreement).toEqual([
    { pattern: 'single=vote', n: 20, correct: 15, accuracy: 0.75, ci: expect.anything() },
  ]);
  expect(exported.calibration.byVoteShare.map((g) => [g.n, g.correct, g.accuracy])).toEqual([
    [20, 15, 0.75],
    [0, 0, null],
    [0, 0, null],
    [0, 0, null],
  ]);

  const csv = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const download = await csv;
  expect(download.suggestedFilename()).toMatch(/^tally-bench-.*\.csv$/);
  const rows = parseCsv(readFileSync(await download.path(), 'utf8'));
  expect(rows[0]).toEqual([...csvColumns]);
  expect(rows).toHaveLength(41);
  const at = (name: (typeof csvColumns)[number]) => csvColumns.indexOf(name);
  expect(rows.slice(1).map((r) => r[at('question')])).toEqual(
    exported.results.map((r) => r.question),
  );
  expect(rows.slice(1).filter((r) => r[at('correct')] === '1')).toHaveLength(30);
  expect(errors).toEqual([]);
});

test('an uploaded file wins over a download still under way, and its malformed lines are listed', async ({
  page,
}) => {
  await page.goto('/#bench');
  // about 4 s for the set's 8 KB
  await downloadFixture(page, 'gsm8k', '?throttle=2000');
  await expect(page.getByTestId('bench-download')).toBeVisible();
  const text = [
    JSON.stringify({ question: 'What is 2 + 2?', gold: 4 }),
    '{broken',
    JSON.stringify({ question: 'What is 3 + 3?', answer: 'Add.\n#### 6' }),
    JSON.stringify({ question: 'No answer at all' }),
  ].join('\n');
  await page.getByLabel('Or upload a file').setInputFiles({
    name: 'mine.jsonl',
    mimeType: 'application/jsonl',
    buffer: Buffer.from(text),
  });
  await expect(page.getByTestId('bench-data')).toContainText('mine.jsonl: 2 problems');
  await expect(page.getByTestId('bench-download')).toBeVisible();
  await expect(page.getByTestId('bench-download')).toBeHidden({ timeout: 15_000 });
  await expect(page.getByTestId('bench-data')).toContainText('mine.jsonl: 2 problems');
  const skipped = page.getByTestId('bench-skipped');
  await expect(skipped).toContainText('2 malformed line(s) skipped');
  await skipped.locator('summary').click();
  await expect(skipped).toContainText('line 2: not valid JSON');
  await expect(skipped).toContainText('line 4: no "answer" (GSM8K) or "gold" field');
});

test('compares single call and program on the same problems, with the program errors, at both sizes', async ({
  page,
}, testInfo) => {
  test.setTimeout(120_000);
  const errors = trackErrors(page);
  // Replies hold a program and a prose answer. 1: the program is right, the prose one more;
  // 2: both right; 3: the program raises, the prose is right; 4: no program, the prose right.
  const program = (body: string) => `\`\`\`python\ndef solution():\n    ${body}\n\`\`\``;
  const replies = problems.slice(0, 4).map((p, i) => {
    const prose = (answer: number) => `So the answer is \\boxed{${answer}}.`;
    const text = [
      `${program(`return ${p.gold}`)}\n${prose(p.gold + 1)}`,
      `${program(`total = ${p.gold}\n    return total`)}\n${prose(p.gold)}`,
      `${program('return 1 / 0')}\n${prose(p.gold)}`,
      reply(p.gold, true),
    ][i];
    return { match: p.question.slice(0, 80), outputs: [text ?? ''] };
  });
  await admin(mockOpenAI(), 'script', { replies });
  await page.goto('/#bench');
  await connectMock(page);
  await downloadFixture(page, 'gsm8k');
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.getByLabel('How many problems').fill('4');
  await page.getByRole('checkbox', { name: /^Program/ }).check();
  await page.getByRole('checkbox', { name: /^Ensemble/ }).uncheck();
  await page.getByRole('button', { name: 'Start benchmark' }).click();
  await expect(done(page)).toHaveAttribute('data-done', '8', { timeout: 90_000 });
  await expect(page.getByTestId('bench-finished')).toHaveText(
    '4 of 4 problems finished · 8 of 8 answers (2 modes each)',
  );

  const summary = page.getByTestId('bench-summary');
  const single = summary.locator('tr[data-mode="single"]');
  const programs = summary.locator('tr[data-mode="program"]');
  await expect(single.locator('[data-cell="correct"]')).toHaveText('3');
  await expect(single.locator('[data-cell="errors"]')).toHaveText('–');
  await expect(programs.locator('th')).toHaveText('Program');
  await expect(programs.locator('[data-cell="correct"]')).toHaveText('2');
  await expect(programs.locator('[data-cell="accuracy"]')).toHaveText('50.0%');
  // each mode's interval beside its accuracy
  await expect(programs).toContainText('15.0%–85.0%');
  await expect(programs.locator('[data-cell="errors"]')).toHaveText('exception 1, no-program 1');
  await expect(page.getByTestId('bench-chart').getByTestId('bench-point')).toHaveCount(2);
  await expect(page.locator('[data-problem="L3"] [data-mode="program"]')).toContainText(
    'none ✗ · exception',
  );
  await page.locator('[data-problem="L3"] button').click();
  const failure = page.getByTestId('bench-program-error');
  await expect(failure.locator('strong')).toHaveText('exception');
  await expect(failure.locator('pre')).toContainText('ZeroDivisionError: division by zero');

  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    const shot = testInfo.outputPath(`bench-compare-${size.name}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach(`bench-compare-${size.name}`, { path: shot, contentType: 'image/png' });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      size.width,
    );
  }
  expect(errors).toEqual([]);
});

for (const size of sizes) {
  test(`at ${size.width}×${size.height} after a reload the form states the finished run beside it`, async ({
    page,
  }, testInfo) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/#bench');
    await connectMock(page);
    // an uploaded file: this browser keeps no copy of it, so after the reload no data is loaded
    await upload(
      page,
      'three.jsonl',
      [2, 3, 4].map((n) => ({ question: `What is ${n} + ${n}?`, gold: 2 * n })),
    );
    await page.getByLabel('How many problems').fill('3');
    await page.getByLabel('Samples at most (k)').fill('3');
    await page.getByLabel('Stop rule').selectOption('fixed');
    await page.getByRole('button', { name: 'Start benchmark' }).click();
    await expect(page.getByTestId('bench-status')).toHaveText('Finished.', { timeout: 60_000 });

    await page.reload();
    await expect(done(page)).toHaveAttribute('data-done', '6');
    await expect(page.getByLabel('How many problems')).toHaveValue('3');
    await expect(page.getByLabel('Samples at most (k)')).toHaveValue('3');
    await expect(page.getByLabel('Stop rule')).toHaveValue('fixed');
    await expect(page.getByTestId('bench-data-run')).toHaveText(
      'No data loaded: the run below used three.jsonl, and Resume needs none.',
    );
    // every field of a problem's row is on screen, the answers too: none hides past the edge
    const row = page.getByTestId('bench-row').first();
    await expect(row.locator('td[data-label="Gold"]')).toContainText('4');
    for (const cell of await row.locator('td').all()) {
      const box = await cell.boundingBox();
      expect(box && box.x + box.width).toBeLessThanOrEqual(size.width);
    }
    await expectInside(row);
    await page.screenshot({
      path: testInfo.outputPath(`bench-reloaded-${size.name}.png`),
      fullPage: true,
    });
    await expectFits(page, size.width);
  });
}

/**
 * What a person cannot read or see in the chart: text drawn under 11 px (its font size times the
 * svg's scale), points and labels that cover each other, anything outside the svg's box.
 */
function chartFaults(page: Page): Promise<string[]> {
  return page.getByTestId('bench-chart').evaluate((svg) => {
    const faults: string[] = [];
    const box = svg.getBoundingClientRect();
    const name = (el: Element) =>
      `${el.getAttribute('data-testid') ?? el.tagName} "${el.textContent.trim().slice(0, 30)}"`;
    for (const text of svg.querySelectorAll('text')) {
      const ctm = text.getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 0;
      const px = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (px < 11) faults.push(`${name(text)} drawn at ${px.toFixed(1)} px`);
    }
    const items = [
      ...svg.querySelectorAll('[data-testid="bench-point"], [data-testid="bench-label"], text'),
    ].filter((el, i, all) => all.indexOf(el) === i);
    const rects = items.map((el) => el.getBoundingClientRect());
    rects.forEach((r, i) => {
      const el = items[i] as Element;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5) faults.push(`${name(el)} outside`);
      if (r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) faults.push(`${name(el)} outside`);
      for (let j = i + 1; j < rects.length; j++) {
        const o = rects[j] as DOMRect;
        const other = items[j] as Element;
        // a legend row holds its name: that is not one hiding another
        if (el.contains(other) || other.contains(el)) continue;
        const overlap =
          Math.min(r.right, o.right) - Math.max(r.left, o.left) > 0.5 &&
          Math.min(r.bottom, o.bottom) - Math.max(r.top, o.top) > 0.5;
        if (overlap) faults.push(`${name(el)} covers ${name(other)}`);
      }
    });
    return faults;
  });
}

test('the chart at a phone and a desktop: text of 11 px or more, every mode seen and named, nothing covered or cut', async ({
  page,
}, testInfo) => {
  test.setTimeout(150_000);
  const errors = trackErrors(page);
  // every reply is right, with a program: single call and program both at 1 sample and 100%
  const set = [3, 4, 5].map((n) => ({ question: `What is ${n} times ${n}?`, gold: n * n }));
  await admin(mockOpenAI(), 'script', {
    replies: set.map((p) => ({
      match: p.question,
      outputs: [
        `\`\`\`python\ndef solution():\n    return ${p.gold}\n\`\`\`\nSo the answer is \\boxed{${p.gold}}.`,
      ],
    })),
  });
  await page.goto('/#bench');
  await connectMock(page);
  await upload(page, 'squares.jsonl', set);
  await page.getByLabel('How many problems').fill('3');
  await page.getByRole('checkbox', { name: /^Program/ }).check();
  // the default k = 16 and beta rule, with the answer check: the longest name a mode has
  await page.getByLabel('Ask the model to check each answer').check();
  await page.getByRole('button', { name: 'Start benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText('Finished.', { timeout: 120_000 });
  const summary = page.getByTestId('bench-summary');
  await expect(summary.locator('tr[data-mode] [data-cell="accuracy"]')).toHaveText([
    '100.0%',
    '100.0%',
    '100.0%',
  ]);

  const chart = page.getByTestId('bench-chart');
  const check = async (size: (typeof sizes)[number], when: string) => {
    await expect(chart.getByTestId('bench-point')).toHaveCount(3);
    for (const point of await chart.getByTestId('bench-point').all())
      await expect(point).toBeVisible();
    expect(await chartFaults(page), `${size.name}, ${when}`).toEqual([]);
    await expect(chart.getByTestId('bench-label')).toHaveText([
      'Single call',
      'Program',
      'Ensemble k=16, beta(0.95), answer check',
    ]);
    await expectInside(page.locator('figure.chart'));
    await expectFits(page, size.width);
    await chart.screenshot({ path: testInfo.outputPath(`bench-chart-${size.name}-${when}.png`) });
  };
  for (const size of sizes) {
    await page.setViewportSize({ width: size.width, height: size.height });
    await check(size, 'resized');
    // drawn anew at this size, from the saved run
    await page.reload();
    await expect(done(page)).toHaveAttribute('data-done', '9');
    await check(size, 'reloaded');
  }
  expect(errors).toEqual([]);
});

test('the answer check, asked for, against a server that gives no yes or no: one sentence, no 0.0% anywhere', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'script', {
    replies: [
      // the check's prompt quotes a solution; listed first, it wins: no yes or no in the reply
      {
        match: verifying,
        outputs: [{ text: 'Maybe', logprobs: [-0.1, -2.4], alternatives: ['Perhaps'] }],
      },
      ...problems.slice(0, 4).map((p) => ({
        match: p.question.slice(0, 80),
        outputs: [reply(p.gold, true)],
      })),
    ],
  });
  await page.goto('/#bench');
  await connectMock(page);
  await downloadFixture(page, 'gsm8k');
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.getByLabel('How many problems').fill('4');
  await page.getByLabel('Samples at most (k)').fill('2');
  await page.getByLabel('Stop rule').selectOption('fixed');
  await page.getByLabel('Ask the model to check each answer').check();
  await page.getByRole('button', { name: 'Start benchmark' }).click();
  await expect(done(page)).toHaveAttribute('data-done', '8', { timeout: 60_000 });
  const summary = page.getByTestId('bench-summary');
  await expect(summary.locator('tr[data-aggregation]')).toHaveCount(2);
  await expect(page.getByTestId('bench-left-out')).toHaveText(
    'Left out: weighed by the answer check and best-checked sample, because no answer was checked (the answer check was off, or it gave no yes or no).',
  );
  const zero = /(?<![\d.])0\.0%/;
  await expect(page.locator('main')).not.toContainText(zero);
  const chartText = await page.getByTestId('bench-chart').evaluate((svg) => svg.textContent);
  expect(chartText).not.toMatch(zero);
  const exported = async (button: string) => {
    const file = page.waitForEvent('download');
    await page.getByRole('button', { name: button }).click();
    const text = readFileSync(await (await file).path(), 'utf8');
    expect(text, button).not.toMatch(zero);
    return text;
  };
  const json = JSON.parse(await exported('Export JSON')) as BenchExport;
  expect(json.summary[1]?.leftOut).toEqual(['verifier', 'best-of-n']);
  expect(json.summary[1]?.aggregations.map((a) => a.name)).toEqual(['majority', 'confidence']);
  const rows = parseCsv(await exported('Export CSV'));
  const at = (name: (typeof csvColumns)[number]) => csvColumns.indexOf(name);
  const votes = rows.slice(1).filter((r) => r[at('mode')]?.startsWith('ensemble'));
  expect(votes).toHaveLength(4);
  expect(votes.map((r) => [r[at('verifier_answer')], r[at('best_of_n_answer')]])).toEqual(
    votes.map(() => ['', '']),
  );
  expect(errors).toEqual([]);
});

test("a program cannot change the next problem's: program accuracy is the same in either order", async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const set = [
    { question: 'Ann has 3 bags of 4 apples. How many apples?', gold: 12 },
    { question: 'Ben reads 5 pages a day for 6 days. How many pages?', gold: 30 },
    { question: 'Cal buys 7 pens at 2 dollars each. How many dollars?', gold: 14 },
  ];
  const code = (body: string) => `\`\`\`python\n${body}\n\`\`\`\nThe answer is \\boxed{0}.`;
  // Ann's program poisons what the harness uses to answer; the others are plain and right
  const poison = 'import json\njson.dumps = lambda value: \'[null, "", "12345"]\'\nprint(12)';
  await admin(mockOpenAI(), 'script', {
    replies: set.map((p, i) => ({
      match: p.question,
      outputs: [code(i === 0 ? poison : `def solution():\n    return ${p.gold}`)],
    })),
  });
  /** a run of `order` in a browser of its own: Program's correct count */
  const accuracy = async (order: typeof set) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = trackErrors(page);
    await page.goto('/#bench');
    await connectMock(page);
    await upload(page, 'order.jsonl', order);
    await page.getByLabel('How many problems').fill('3');
    await page.getByRole('checkbox', { name: /^Program/ }).check();
    await page.getByRole('checkbox', { name: /^Ensemble/ }).uncheck();
    await page.getByRole('button', { name: 'Start benchmark' }).click();
    await expect(done(page)).toHaveAttribute('data-done', '6', { timeout: 150_000 });
    const programs = page.getByTestId('bench-summary').locator('tr[data-mode="program"]');
    const correct = await programs.locator('[data-cell="correct"]').textContent();
    expect(errors).toEqual([]);
    await context.close();
    return correct;
  };
  // the poisoning program answers 12345 itself; Ben's and Cal's, in sandboxes of their own, are
  // right whether they run after it or before
  expect(await accuracy(set)).toBe('2');
  expect(await accuracy([...set].reverse())).toBe('2');
});
