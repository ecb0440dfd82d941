// A problem reopened from History shows what was kept of it: each column's answer, the solution,
// the program and what it printed, and the vote; nothing is run again until Solve.
import { expect, test } from '@playwright/test';
import { admin, connectMock, mockOpenAI, scriptEggs } from './helpers';

test('a problem reopened from History shows each column as it was kept', async ({ page }) => {
  await admin(mockOpenAI(), 'reset', {});
  await scriptEggs('So 2 + 2 = 4. \\boxed{4}');
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Also write a Python program and run it').check();
  await page.getByLabel('Also sample an ensemble and vote').check();
  await page.getByLabel('Samples at most (k)').fill('3');
  await page.getByLabel('Stop rule').selectOption('fixed');
  const question =
    'Janet’s ducks lay 16 eggs per day. She eats 3 and bakes with 4. She sells the rest at $2 each.';
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('story')).toContainText('all say 18', { timeout: 150_000 });

  // another problem takes the screen
  await page.getByLabel('Also write a Python program and run it').uncheck();
  await page.getByLabel('Also sample an ensemble and vote').uncheck();
  await page.getByLabel('Word problem').fill('What is 2 + 2?');
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('final-answer')).toHaveText('4');

  await page.getByRole('button', { name: /^Janet’s ducks/ }).click();
  await expect(page.getByLabel('Word problem')).toHaveValue(question);
  await expect(page.getByTestId('recalled')).toContainText('From your history');
  await expect(page.getByTestId('final-answer')).toHaveText('18');
  await expect(page.getByTestId('solution')).toContainText('9 * 2 = 18 dollars');
  await expect(page.getByTestId('program-answer')).toHaveText('18');
  await expect(page.getByTestId('program-code')).toContainText('eggs_left = 16 - 3 - 4');
  await expect(page.getByTestId('program-output')).toHaveText('She makes $18 a day');
  await expect(page.getByTestId('majority-answer')).toHaveText('18');
  await expect(page.getByTestId('recalled-votes')).toHaveText('3 of 3 samples: 18 × 3');

  // Solve runs it again: the kept view gives way to the new run
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('recalled')).toHaveCount(0);
  await expect(page.getByTestId('single-cost')).toBeVisible();
});
