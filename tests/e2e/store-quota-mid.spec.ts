// Running out of storage mid-download (CDP Storage.overrideQuotaForOrigin, with Chromium's default
// predictable quota, so the pre-flight check passes as in real Chrome): nothing is marked complete.
import { expect, test } from '@playwright/test';
import {
  appOrigin as origin,
  cacheState,
  chooseModel,
  fixture,
  throttleShards,
} from './store-helpers';

test('running out of quota mid-download stops with a quota error and marks nothing complete', async ({
  page,
}) => {
  const model = await fixture('quota-mid', 4, 6_000_000);
  await throttleShards(model, 3_000_000);
  // Room for about one shard, set before the page opens its databases. Chromium still reports
  // usage + 10 GiB to the page (its predictable quota), so the store's pre-flight check passes and
  // the limit bites mid-download, as it does in real Chrome.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 10_000_000 });
  await chooseModel(page, model);
  await page.getByTestId('download-button').click();
  const error = page.getByTestId('download-error');
  await expect(error).toHaveAttribute('data-code', 'quota', { timeout: 30_000 });
  await expect(error).toContainText('ran out of storage');
  const state = await cacheState(page, model);
  expect(state.index).toBe(false);
  // whatever shard did land is whole and correct
  for (const [name, hash] of Object.entries(state.shards)) {
    expect(hash).toBe(model.shards.find((s) => s.name === name)?.sha256);
  }
  expect(Object.keys(state.shards).length).toBeLessThan(model.shards.length);
  await expect(page.locator('[data-testid="storage-row"][data-status="partial"]')).toContainText(
    model.id,
  );
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
});
