// Storage quota in the built app (Chromium's CDP Storage.overrideQuotaForOrigin): a quota too
// small for the model is reported before anything is fetched or saved.
import { expect, test, type Page } from '@playwright/test';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { admin, modelServer } from './helpers';

// Chromium 138+ reports a "predictable" quota to sites (usage + 10 GiB), whatever it enforces, so
// estimate() cannot see the CDP override. With that mitigation off, estimate() reports the enforced
// quota, as browsers without it (and small disks) do: the pre-flight check is what is tested here.
const executablePath = findChromium();
test.use({
  launchOptions: {
    ...(executablePath ? { executablePath } : {}),
    args: [...chromiumArgs, '--disable-features=StaticStorageQuota,IncognitoStaticStorageQuota'],
  },
});

interface FixtureModel {
  id: string;
  modelUrl: string;
  libUrl: string;
  shards: { name: string; size: number; sha256: string }[];
}
interface RequestLog {
  path: string;
  bytes: number;
}

const origin = 'http://localhost:4173';

async function fixture(name: string, shards: number, shardBytes: number): Promise<FixtureModel> {
  const id = `e2e-${name}-${Date.now().toString(36)}`;
  return (await admin(modelServer(), 'model', { id, shards, shardBytes })) as FixtureModel;
}

async function shardRequests(model: FixtureModel): Promise<RequestLog[]> {
  const all = (await admin(modelServer(), 'requests')) as RequestLog[];
  return all.filter((r) => r.path.startsWith(`/models/${model.id}/resolve/main/params_shard_`));
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

test('a quota too small for the model is reported before any shard is fetched', async ({
  page,
}) => {
  const model = await fixture('quota-small', 4, 8_000_000);
  await chooseModel(page, model);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 20_000_000 });
  await page.getByTestId('download-button').click();
  const error = page.getByTestId('download-error');
  await expect(error).toHaveAttribute('data-code', 'quota');
  await expect(error).toContainText(
    /needs .* more storage, but this browser lets the site use only/,
  );
  await expect(error).toContainText('Nothing was saved');
  expect(await shardRequests(model)).toEqual([]);
  expect((await cacheState(page, model)).index).toBe(false);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
});
