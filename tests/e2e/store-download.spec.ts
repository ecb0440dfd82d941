// The model store in the built app: download a self-hosted model through the storage panel,
// delete it, resume after the tab closed mid-download, and one download across two tabs.
import { expect, test, type Page } from '@playwright/test';
import { trackErrors } from './helpers';
import {
  cacheState,
  chooseModel,
  fixture,
  requestsFor,
  savedRanges,
  sourceShards,
  throttleShards,
} from './store-helpers';

/** Bytes of IndexedDB this origin uses (Chromium's breakdown; the app's own precache is left out). */
const usage = (page: Page) =>
  page.evaluate(async () => {
    const estimate: StorageEstimate & { usageDetails?: { indexedDB?: number } } =
      await navigator.storage.estimate();
    return estimate.usageDetails?.indexedDB ?? estimate.usage ?? 0;
  });

test('download through the storage panel, then delete gives the space back', async ({ page }) => {
  const errors = trackErrors(page);
  const model = await fixture('panel', 4, 4_000_000);
  await chooseModel(page, model);
  const before = await usage(page);
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
  await expect(page.getByTestId('storage-persisted')).toHaveAttribute(
    'data-persisted',
    /true|false/,
  );
  const row = page.locator(`[data-testid="storage-row"][data-status="complete"]`);
  await expect(row).toContainText(model.id);
  await expect(page.getByTestId('storage-usage')).toContainText(/counts .* in use of .*/);
  expect((await cacheState(page, model)).shards).toEqual(sourceShards(model));
  const full = await usage(page);
  expect(full - before).toBeGreaterThan(0.9 * 16_000_000);

  await row.getByRole('button', { name: /Delete/ }).click();
  await expect(row).toHaveCount(0);
  await expect(page.getByTestId('download-button')).toBeVisible();
  expect((await cacheState(page, model)).shards).toEqual({});
  await expect.poll(() => usage(page)).toBeLessThan(full - 0.9 * 16_000_000);
  expect(errors).toEqual([]);
});

test('a tab closed mid-download resumes from its saved ranges on the next visit', async ({
  context,
}) => {
  const model = await fixture('closed', 2, 12_000_000);
  await throttleShards(model, 2_000_000);
  const first = await context.newPage();
  await chooseModel(first, model);
  await first.getByTestId('download-button').click();
  // Let every shard pass its first checkpoint (4 MiB and 1 s), then close the tab. Waiting on
  // the page's saved ranges, not on bytes the server sent: a loaded machine lags behind those.
  await expect
    .poll(async () => Object.values(await savedRanges(first, model)).filter((n) => n > 0), {
      timeout: 30_000,
    })
    .toHaveLength(model.shards.length);
  await first.close();
  const sentBefore = (await requestsFor(model)).length;

  const second = await context.newPage();
  await second.goto('/');
  await expect(second.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
  const resumed = (await requestsFor(model))
    .slice(sentBefore)
    .filter((r) => r.path.includes('params_shard_'));
  expect(resumed.length).toBeGreaterThan(0);
  for (const r of resumed) {
    const start = Number(/^bytes=(\d+)-$/.exec(r.range ?? '')?.[1] ?? 0);
    expect(start, `${r.path} resumed with ${r.range ?? 'no range'}`).toBeGreaterThan(0);
  }
  expect(await cacheState(second, model).then((c) => c.shards)).toEqual(sourceShards(model));
});

test('two tabs: one downloads, the other follows it; each range is fetched once', async ({
  context,
}) => {
  const model = await fixture('tabs', 3, 4_000_000);
  await throttleShards(model, 1_000_000);
  const a = await context.newPage();
  await chooseModel(a, model);
  await a.getByTestId('download-button').click();
  await expect(a.getByTestId('download-state')).toHaveText('Downloading');
  // A second tab opens mid-download: it finds the partial download and asks for it too, then
  // waits on the lock and shows the first tab's progress.
  const b = await context.newPage();
  await chooseModel(b, model);
  await expect(b.getByTestId('download-state')).toHaveText('Downloading in another tab');
  await expect(b.getByTestId('download-bytes')).toContainText(/MB of/);
  await expect(a.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
  await expect(b.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 10_000 });
  const gets = (await requestsFor(model)).filter((r) => r.method === 'GET');
  const keys = gets.map((r) => `${r.path} ${r.range ?? ''}`);
  expect(keys.length).toBeGreaterThan(model.shards.length);
  expect(new Set(keys).size).toBe(keys.length);
  expect(await cacheState(b, model).then((c) => c.shards)).toEqual(sourceShards(model));
});

test('pause survives a reload; resume continues with a Range; cancel deletes what was fetched', async ({
  page,
}) => {
  const model = await fixture('pause', 2, 12_000_000);
  await throttleShards(model, 2_000_000);
  await chooseModel(page, model);
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-bytes')).toContainText(
    /^\s*[4-9]\.\d MB of|^\s*1\d\.\d MB of/,
    {
      timeout: 20_000,
    },
  );
  // The storage list follows the live download, not what the disk held when it started.
  await expect(
    page
      .locator(`[data-testid="storage-row"][data-key*="${model.id}"]`)
      .getByTestId('storage-row-bytes'),
  ).toHaveText(/^([4-9]|1\d)\.\d MB · partial of 22\.9 MB, downloading$/);
  await page.getByTestId('download').getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(page.getByTestId('download-state')).toHaveText('Paused');
  const before = (await requestsFor(model)).length;

  // A paused download stays paused on the next visit.
  await page.reload();
  await expect(page.getByTestId('download-state')).toHaveText('Paused');
  await page.waitForTimeout(500);
  expect((await requestsFor(model)).length).toBe(before);

  await page.getByTestId('download').getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(page.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
  const resumed = (await requestsFor(model)).slice(before).filter((r) => r.path.includes('shard'));
  expect(resumed.some((r) => /^bytes=[1-9]\d*-$/.test(r.range ?? ''))).toBe(true);
  expect((await cacheState(page, model)).shards).toEqual(sourceShards(model));

  // Cancel: a second model, stopped mid-way, leaves nothing behind.
  const other = await fixture('cancel', 2, 12_000_000);
  await throttleShards(other, 2_000_000);
  await page.getByLabel('Model folder URL').fill(other.modelUrl);
  await page.getByLabel('Library URL (.wasm)').fill(other.libUrl);
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-bytes')).toContainText(/MB of/);
  await page.getByTestId('download').getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByTestId('download-button')).toBeVisible();
  await expect(page.locator(`[data-testid="storage-row"][data-key*="${other.id}"]`)).toHaveCount(0);
  expect((await cacheState(page, other)).shards).toEqual({});
});
