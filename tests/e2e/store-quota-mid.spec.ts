// Running out of storage mid-download (CDP Storage.overrideQuotaForOrigin, with Chromium's default
// predictable quota, so the pre-flight check passes as in real Chrome): nothing is marked complete.
import { expect, test, type Page } from '@playwright/test';
import { admin, modelServer } from './helpers';

interface FixtureModel {
  id: string;
  modelUrl: string;
  libUrl: string;
  shards: { name: string; size: number; sha256: string }[];
}

const origin = 'http://localhost:4173';

async function fixture(name: string, shards: number, shardBytes: number): Promise<FixtureModel> {
  const id = `e2e-${name}-${Date.now().toString(36)}`;
  return (await admin(modelServer(), 'model', { id, shards, shardBytes })) as FixtureModel;
}

async function chooseModel(page: Page, model: FixtureModel): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
  await page.getByLabel('Model folder URL').fill(model.modelUrl);
  await page.getByLabel('Library URL (.wasm)').fill(model.libUrl);
}

/** What web-llm's cache and Tally's record say of the model, read in the page. */
function cacheState(page: Page, model: FixtureModel) {
  const base = `${model.modelUrl}/resolve/main/`;
  return page.evaluate(
    async ({ base, names }) => {
      const open = (name: string) =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => {
            resolve(r.result);
          };
          r.onerror = () => {
            reject(new Error('open failed'));
          };
        });
      const get = (db: IDBDatabase, store: string, key: string) =>
        new Promise<unknown>((resolve) => {
          const r = db.transaction(store).objectStore(store).get(key);
          r.onsuccess = () => {
            resolve(r.result);
          };
          r.onerror = () => {
            resolve(undefined);
          };
        });
      const webllm = await open('webllm/model');
      const shards: Record<string, string> = {};
      for (const name of names) {
        const data = ((await get(webllm, 'urls', base + name)) as { data?: unknown } | undefined)
          ?.data;
        if (data instanceof ArrayBuffer) {
          const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
          shards[name] = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
        }
      }
      const index = (await get(webllm, 'urls', `${base}tensor-cache.json`)) !== undefined;
      webllm.close();
      return { shards, index };
    },
    { base, names: model.shards.map((s) => s.name) },
  );
}

test('running out of quota mid-download stops with a quota error and marks nothing complete', async ({
  page,
}) => {
  const model = await fixture('quota-mid', 4, 6_000_000);
  for (const shard of model.shards) {
    await admin(modelServer(), 'fault', {
      modelId: model.id,
      kind: 'throttle',
      file: shard.name,
      bytesPerSecond: 3_000_000,
      times: 1,
    });
  }
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
