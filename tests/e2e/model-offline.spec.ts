// Loading a model in this browser when the network is gone, or pausing its download: the Model
// and Storage panels say the same thing about the one download, at a phone's and a desktop's size.
import { expect, test } from '@playwright/test';
import { chooseModel, fixture, throttleShards } from './store-helpers';
import { expectFits, expectInside, sizes } from './layout';

for (const size of sizes) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('offline: the load fails at once and says there is no connection, in both panels', async ({
      page,
      context,
    }, testInfo) => {
      const model = await fixture('offline', 2, 1_000_000);
      await chooseModel(page, model);
      await context.setOffline(true);
      const started = Date.now();
      await page.getByRole('button', { name: 'Load model' }).click();
      const said = 'No connection: this device is offline';
      const modelError = page.getByTestId('engine-error');
      await expect(modelError).toContainText(said, { timeout: 10_000 });
      expect(Date.now() - started).toBeLessThan(10_000);
      await expect(modelError).not.toContainText('connection dropped');
      await expect(page.getByTestId('download-error')).toContainText(said);
      await expect(page.getByTestId('download-state')).toHaveText('Stopped');
      // the way forward is in view of the message
      await expect(page.getByRole('button', { name: 'Load model' })).toBeEnabled();
      await modelError.scrollIntoViewIfNeeded();
      await page.screenshot({ path: testInfo.outputPath(`offline-${size.name}.png`) });
      await expectInside(modelError);
      await expectFits(page, size.width);
    });

    test('Pause download in Model: Model and Storage both say paused', async ({
      page,
    }, testInfo) => {
      const model = await fixture('pause', 2, 4_000_000);
      await throttleShards(model, 500_000);
      await chooseModel(page, model);
      await page.getByRole('button', { name: 'Load model' }).click();
      await expect(page.getByTestId('load-status')).toContainText('Downloading into this browser');
      // bytes arriving, so the pause is said at a percentage (one before the first byte is
      // downloads-state.browser.test.ts's)
      await expect(page.getByTestId('download-bytes')).toContainText(/[1-9][\d.]* [KM]B of/);
      await page.getByRole('button', { name: 'Pause download' }).click();
      await expect(page.getByTestId('download-paused')).toContainText(
        /^Download paused at \d+%, kept in this browser: Load model resumes it\.$/,
      );
      await expect(page.getByTestId('download-state')).toHaveText('Paused');
      await page.getByTestId('load-status').scrollIntoViewIfNeeded();
      await page.screenshot({ path: testInfo.outputPath(`paused-${size.name}.png`) });
      await expectFits(page, size.width);
    });
  });
}
