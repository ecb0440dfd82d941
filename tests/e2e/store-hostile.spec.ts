// Hostile model folders (issue 15, points 5 and 6; issue 11, item 8): a weight index whose shard
// paths leave the folder, or that lists nothing, is refused before any shard is requested, with
// a message naming the entry; a folder from an older mlc-llm is named as such.
import { expect, test, type Page } from '@playwright/test';
import { trackErrors } from './helpers';
import { cacheState, chooseModel, fixture, type FixtureModel } from './store-helpers';

/** Serves `index` as the model's tensor-cache.json; returns every URL the page then requests. */
async function serveIndex(page: Page, model: FixtureModel, index: unknown): Promise<string[]> {
  const requested: string[] = [];
  page.on('request', (request) => requested.push(request.url()));
  await page.route(`${model.modelUrl}/resolve/main/tensor-cache.json`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'access-control-allow-origin': '*', 'content-type': 'application/json' },
      body: JSON.stringify(index),
    }),
  );
  return requested;
}

const shard = (dataPath: string) => ({ dataPath, format: 'raw-shard', nbytes: 1024, records: [] });

for (const dataPath of [
  '../../../other-model/resolve/main/params_shard_0.bin',
  '%2e%2e/%2e%2e/%2e%2e/other-model/resolve/main/params_shard_0.bin',
  '/models/other-model/resolve/main/params_shard_0.bin',
  'http://127.0.0.1:9/other-model/params_shard_0.bin',
]) {
  test(`a shard at “${dataPath}” is refused before any request`, async ({ page }) => {
    const errors = trackErrors(page);
    const model = await fixture('hostile', 2, 100_000);
    await chooseModel(page, model);
    const requested = await serveIndex(page, model, {
      records: [shard('params_shard_0.bin'), shard(dataPath)],
    });
    await page.getByTestId('download-button').click();
    const error = page.getByTestId('download-error');
    await expect(error).toContainText(`“${dataPath}”`, { timeout: 30_000 });
    await expect(error).toContainText("inside the model's folder");
    // nothing but the folder's small files was asked for: no shard, no other folder or origin
    expect(requested.filter((url) => url.includes('params_shard'))).toEqual([]);
    expect(requested.filter((url) => url.includes('other-model') || url.includes(':9/'))).toEqual(
      [],
    );
    expect((await cacheState(page, model)).index).toBe(false);
    expect(errors).toEqual([]);
  });
}

test('an index with no shards is refused and nothing is committed', async ({ page }) => {
  const model = await fixture('empty', 2, 100_000);
  await chooseModel(page, model);
  const requested = await serveIndex(page, model, { records: [] });
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-error')).toContainText('lists no weight shards', {
    timeout: 30_000,
  });
  expect(requested.filter((url) => url.includes('params_shard'))).toEqual([]);
  expect((await cacheState(page, model)).index).toBe(false);
});

test('a folder from an older mlc-llm (ndarray-cache.json) is named as such', async ({ page }) => {
  const model = await fixture('older', 2, 100_000);
  await chooseModel(page, model);
  const base = `${model.modelUrl}/resolve/main/`;
  const cors = { 'access-control-allow-origin': '*' };
  await page.route(`${base}tensor-cache.json`, (route) =>
    route.fulfill({ status: 404, headers: cors, body: 'Not found' }),
  );
  await page.route(`${base}ndarray-cache.json`, (route) =>
    route.fulfill({ status: 200, headers: cors, body: JSON.stringify({ records: [] }) }),
  );
  await page.getByTestId('download-button').click();
  await expect(page.getByTestId('download-error')).toContainText(
    /built by an older mlc-llm: it has ndarray-cache\.json and no tensor-cache\.json/,
    { timeout: 30_000 },
  );
});
