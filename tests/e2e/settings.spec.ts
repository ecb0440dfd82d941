// One vocabulary for the ensemble's settings on the Solve screen and the Benchmark page (the CLI's
// flags are checked in src/cli/bench.test.ts): the same names and defaults, and a number out of
// range refused with a message beside its field instead of being clamped.
import { expect, test, type Page } from '@playwright/test';
import { connectMock } from './helpers';

/** The ensemble's settings as both screens show them by default. */
const defaults: [string, string][] = [
  ['Samples at most (k)', '16'],
  ['Temperature', '0.7'],
  ['Likely words kept', '0.95'],
  ['Sureness to stop', '0.95'],
];

async function openEnsemble(page: Page) {
  await page.goto('/');
  await page.getByLabel('Also sample an ensemble and vote').check();
}

test('the Solve screen and the Benchmark page name the settings alike, with the same defaults', async ({
  page,
}) => {
  await openEnsemble(page);
  for (const [label, value] of defaults) await expect(page.getByLabel(label)).toHaveValue(value);
  const rules = page.getByLabel('Stop rule');
  await expect(rules).toHaveValue('beta');
  const solveRules = await rules.locator('option').allTextContents();

  await page.goto('/#bench');
  for (const [label, value] of defaults) await expect(page.getByLabel(label)).toHaveValue(value);
  await expect(page.getByLabel('Stop rule')).toHaveValue('beta');
  expect(await page.getByLabel('Stop rule').locator('option').allTextContents()).toEqual(
    solveRules,
  );
  await page.getByLabel('Stop rule').selectOption('esc');
  await expect(page.getByLabel('Agreeing in a row')).toHaveValue('4');
});

// [field, the stop rule it belongs to, value typed, message beside the field]
const solveCases: [string, 'beta' | 'esc', string, string][] = [
  ['Samples at most (k)', 'beta', '500', 'must be a whole number from 1 to 40, not 500. Still 16.'],
  ['Temperature', 'beta', '-3', 'must be a number from 0 to 2, not -3. Still 0.7.'],
  ['Likely words kept', 'beta', '0', 'must be a number from 0.01 to 1, not 0. Still 0.95.'],
  ['Sureness to stop', 'beta', '1', 'must be a number above 0.5 and below 1, not 1. Still 0.95.'],
  ['Agreeing in a row', 'esc', '0', 'must be a whole number from 1 to 40, not 0. Still 4.'],
];

for (const [label, rule, typed, message] of solveCases) {
  test(`Solve: ${label} = ${typed} is refused beside the field, not clamped or saved`, async ({
    page,
  }) => {
    await openEnsemble(page);
    await page.getByLabel('Stop rule').selectOption(rule);
    const input = page.getByLabel(label);
    await input.fill(typed);
    await expect(input).toHaveAttribute('aria-invalid', 'true');
    await expect(input).toHaveAccessibleDescription(`${label} ${message}`);
    // the box keeps what was typed
    await expect(input).toHaveValue(typed);
    // nothing out of range was saved: after a reload the setting is what it was
    await page.reload();
    await expect(page.getByLabel(label)).toHaveValue(/^[\d.]+$/);
    await expect(page.getByLabel(label)).not.toHaveValue(typed);
    await expect(page.getByLabel(label)).not.toHaveAttribute('aria-invalid');
  });
}

test('Solve saves a number once the person is done with the field, not at each keystroke', async ({
  page,
}) => {
  await openEnsemble(page);
  const k = page.getByLabel('Samples at most (k)');
  await k.clear();
  await k.pressSequentially('25');
  await expect(k).not.toHaveAttribute('aria-invalid');
  // still in the field: neither the 2 on the way nor the 25 is saved yet
  await page.reload();
  await expect(page.getByLabel('Samples at most (k)')).toHaveValue('16');
  await page.getByLabel('Samples at most (k)').fill('25');
  await page.getByLabel('Samples at most (k)').press('Tab');
  await page.reload();
  await expect(page.getByLabel('Samples at most (k)')).toHaveValue('25');
});

// [field, value typed, message beside the field and at Start]
const benchCases: [string, string, string][] = [
  ['How many problems', '0', 'must be a whole number from 1 to 1000000, not 0.'],
  ['Seed', '-1', 'must be a whole number from 0 to 4294967295, not -1.'],
  ['Samples at most (k)', '500', 'must be a whole number from 1 to 40, not 500.'],
  ['Sureness to stop', '1', 'must be a number above 0.5 and below 1, not 1.'],
  ['Agreeing in a row', '0', 'must be a whole number from 1 to 40, not 0.'],
  ['Temperature', '-3', 'must be a number from 0 to 2, not -3.'],
  ['Likely words kept', '0', 'must be a number from 0.01 to 1, not 0.'],
  ['Max tokens per call', '0', 'must be a whole number from 1 to 1000000, not 0.'],
  ['Concurrency', '500', 'must be a whole number from 1 to 256, not 500.'],
];

for (const [label, typed, message] of benchCases) {
  test(`Benchmark: ${label} = ${typed} is refused beside the field, and Start says so`, async ({
    page,
  }) => {
    await page.goto('/#bench');
    await connectMock(page);
    await page.getByLabel('Or upload a file').setInputFiles({
      name: 'two.jsonl',
      mimeType: 'application/jsonl',
      buffer: Buffer.from(
        `${JSON.stringify({ question: 'What is 2 + 2?', gold: 4 })}\n${JSON.stringify({ question: 'What is 3 + 3?', gold: 6 })}\n`,
      ),
    });
    await expect(page.getByTestId('bench-data')).toContainText('two.jsonl: 2 problems');
    if (label === 'Seed') await page.getByLabel('Which').selectOption('random');
    if (label === 'Agreeing in a row') await page.getByLabel('Stop rule').selectOption('esc');
    const input = page.getByLabel(label);
    await input.fill(typed);
    await expect(input).toHaveAccessibleDescription(`${label} ${message}`);
    await expect(input).toHaveValue(typed);
    await page.getByRole('button', { name: 'Start benchmark' }).click();
    await expect(page.getByTestId('bench-error')).toHaveText(`${label} ${message}`);
    await expect(page.getByTestId('bench-progress')).toHaveCount(0);
  });
}
