// Every error offers the next step where it appears: a failed solve has Try again (connecting to
// the server again first, once it is back), and a server that answered is connected again on the
// next visit. At a phone's and a desktop's size, with what a person sees and nothing too wide.
import { expect, test } from '@playwright/test';
import { admin, connectMock, mockOpenAI, scriptEggs } from './helpers';
import { expectFits, expectInside, sizes } from './layout';

const eggs =
  'Janet’s ducks lay 16 eggs per day. She eats 3 and bakes with 4. She sells the rest at $2 each.';

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
});

for (const size of sizes) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('a server that drops mid-answer and comes back: Try again connects and solves', async ({
      page,
    }, testInfo) => {
      await page.goto('/');
      await connectMock(page);
      await admin(mockOpenAI(), 'script', { dropAfterChunks: 3 });
      await page.getByLabel('Word problem').fill(eggs);
      await page.getByRole('button', { name: 'Solve' }).click();
      const error = page.getByTestId('solve-error');
      await expect(error).toContainText('broke in the middle of the answer');
      const tryAgain = error.getByRole('button', { name: 'Try again' });
      await expect(tryAgain).toBeInViewport();
      await expect(page.getByRole('button', { name: 'Solve', exact: true })).toBeDisabled();
      await page.screenshot({ path: testInfo.outputPath(`dropped-${size.name}.png`) });
      await expectInside(error);
      await expectFits(page, size.width);

      // still gone: Try again says so where the person is looking, and stays offered
      await page.route(`${mockOpenAI()}/**`, (route) => route.abort('connectionrefused'));
      await tryAgain.click();
      await expect(error).toContainText('Could not reach the server');
      await expect(tryAgain).toBeEnabled();

      // back: one click connects again and solves
      await page.unroute(`${mockOpenAI()}/**`);
      await scriptEggs();
      await tryAgain.click();
      await expect(page.getByTestId('engine-ready')).toBeAttached();
      await expect(error).toHaveCount(0);
      await expect(page.getByTestId('final-answer')).toHaveText('18');
      await page.screenshot({ path: testInfo.outputPath(`again-${size.name}.png`) });
      await expectFits(page, size.width);
    });

    test('Ctrl+Enter solves; Delete all asks before deleting; the counter and its message agree', async ({
      page,
    }, testInfo) => {
      await page.goto('/');
      await scriptEggs();
      await connectMock(page);
      const question = page.getByLabel('Word problem');
      await question.fill(eggs);
      await question.press('Control+Enter');
      await expect(page.getByTestId('final-answer')).toHaveText('18');

      // before an ensemble starts, what it would cost, from the answer just measured
      await page.getByLabel('Also sample an ensemble and vote').check();
      await expect(page.getByTestId('ensemble-estimate')).toContainText(
        /^Up to 16 samples ≈ 288 tokens: about .+ one after another at the [\d.]+\s+tokens\/s of the last answer/,
      );
      const temperature = page.getByLabel('Temperature');
      await temperature.fill('0');
      await temperature.blur();
      await expect(page.getByTestId('temperature-zero')).toContainText(
        'At temperature 0 every sample is the same greedy answer',
      );
      await expectInside(page.locator('#solve-title + form'));
      await temperature.fill('0.7');
      await temperature.blur();
      await expect(page.getByTestId('temperature-zero')).toHaveCount(0);
      await page.getByLabel('Also sample an ensemble and vote').uncheck();

      const history = page.getByTestId('history');
      await expect(history.getByRole('listitem')).toHaveCount(1);
      await history.getByRole('button', { name: 'Delete all…' }).click();
      const confirm = history.getByRole('group', { name: 'Delete all problems?' });
      await expect(confirm).toContainText(
        'Delete all 1 problem from this browser? This cannot be undone.',
      );
      await page.screenshot({ path: testInfo.outputPath(`delete-all-${size.name}.png`) });
      await expectInside(history);
      await expectFits(page, size.width);
      await confirm.getByRole('button', { name: 'Keep them' }).click();
      await expect(history.getByRole('listitem')).toHaveCount(1);
      await history.getByRole('button', { name: 'Delete all…' }).click();
      await confirm.getByRole('button', { name: 'Delete them' }).click();
      await expect(history).toContainText('Problems you solve are kept here');

      // a trailing line break is not counted by either
      await question.fill(`${'x'.repeat(4099)}\n`);
      await expect(page.locator('#question-count')).toHaveText('4,099 / 4,000');
      await question.press('Control+Enter');
      await expect(page.getByTestId('solve-error')).toContainText('That is 4,099 characters');
    });

    test('a server that answered is connected again after a reload', async ({ page }) => {
      await page.goto('/');
      await connectMock(page);
      await page.reload();
      await expect(page.getByTestId('engine-ready')).toContainText('mock-math on');
      await expect(page.getByRole('button', { name: 'Solve', exact: true })).toBeEnabled();
      await expectFits(page, size.width);
    });
  });
}
