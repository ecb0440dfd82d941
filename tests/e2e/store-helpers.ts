// Steps the store's end-to-end specs share: fixture models, the server's request log, choosing
// a self-hosted model as a person would, and reading back what web-llm's cache holds.
import { expect, type Page } from '@playwright/test';
import type { FixtureModel, RequestLog } from '../fixtures/model-server';
import { admin, modelServer } from './helpers';

export type { FixtureModel, RequestLog };

/** The origin the built app is served from (playwright.config.ts picks the port). */
export const appOrigin = `http://localhost:${process.env.TALLY_E2E_PORT}`;

let counter = 0;

/** A fresh fixture model: a unique id per call, so specs never share server or cache state. */
export async function fixture(
  name: string,
  shards: number,
  shardBytes: number,
): Promise<FixtureModel> {
  const id = `e2e-${name}-${Date.now().toString(36)}-${counter++}`;
  return (await admin(modelServer(), 'model', { id, shards, shardBytes })) as FixtureModel;
}

/** Requests the server saw for this model's folder and library. */
export async function requestsFor(model: FixtureModel): Promise<RequestLog[]> {
  const all = (await admin(modelServer(), 'requests')) as RequestLog[];
  return all.filter(
    (r) => r.path.startsWith(`/models/${model.id}/`) || r.path === `/libs/${model.id}.wasm`,
  );
}

/** Holds every shard of `model` to `bytesPerSecond` for its next request, so a test can act mid-download. */
export async function throttleShards(model: FixtureModel, bytesPerSecond: number): Promise<void> {
  for (const shard of model.shards) {
    await admin(modelServer(), 'fault', {
      modelId: model.id,
      kind: 'throttle',
      file: shard.name,
      bytesPerSecond,
      times: 1,
    });
  }
}

/** Picks “Self-hosted weights…” and types the fixture's URLs, as a person would. */
export async function chooseModel(page: Page, model: FixtureModel): Promise<void> {
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
  await page.getByLabel('Model folder URL').fill(model.modelUrl);
  await page.getByLabel('Library URL (.wasm)').fill(model.libUrl);
}

/** What the server says every shard's sha256 is. */
export const sourceShards = (model: FixtureModel): Record<string, string> =>
  Object.fromEntries(model.shards.map((s) => [s.name, s.sha256]));

/**
 * What web-llm's cache holds for `model`, read in the page: the sha256 of every stored shard,
 * and whether tensor-cache.json (the store's commit) is there.
 */
export function cacheState(
  page: Page,
  model: FixtureModel,
): Promise<{ shards: Record<string, string>; index: boolean }> {
  const base = `${model.modelUrl}/resolve/main/`;
  return page.evaluate(
    async ({ base, names }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('webllm/model');
        r.onsuccess = () => {
          resolve(r.result);
        };
        r.onerror = () => {
          reject(new Error('open failed'));
        };
      });
      const get = (key: string) =>
        new Promise<unknown>((resolve) => {
          const r = db.transaction('urls').objectStore('urls').get(key);
          r.onsuccess = () => {
            resolve(r.result);
          };
          r.onerror = () => {
            resolve(undefined);
          };
        });
      const shards: Record<string, string> = {};
      for (const name of names) {
        const data = ((await get(base + name)) as { data?: unknown } | undefined)?.data;
        if (data instanceof ArrayBuffer) {
          const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
          shards[name] = Array.from(hash, (b) => b.toString(16).padStart(2, '0')).join('');
        }
      }
      const index = (await get(`${base}tensor-cache.json`)) !== undefined;
      db.close();
      return { shards, index };
    },
    { base, names: model.shards.map((s) => s.name) },
  );
}

/** Bytes of each of `model`'s shards saved as partial ranges in Tally's database, read in the page. */
export function savedRanges(page: Page, model: FixtureModel): Promise<Record<string, number>> {
  const base = `${model.modelUrl}/resolve/main/`;
  return page.evaluate(
    async ({ base, names }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('tally-downloads');
        r.onsuccess = () => {
          resolve(r.result);
        };
        r.onerror = () => {
          reject(new Error('open failed'));
        };
      });
      if (!db.objectStoreNames.contains('chunks')) {
        db.close();
        return {};
      }
      const keys = await new Promise<IDBValidKey[]>((resolve) => {
        const r = db.transaction('chunks').objectStore('chunks').getAllKeys();
        r.onsuccess = () => {
          resolve(r.result);
        };
        r.onerror = () => {
          resolve([]);
        };
      });
      db.close();
      const saved: Record<string, number> = {};
      for (const key of keys) {
        const [url, start, end] = key as [string, number, number];
        const name = names.find((n) => base + n === url);
        if (name) saved[name] = (saved[name] ?? 0) + end - start;
      }
      return saved;
    },
    { base, names: model.shards.map((s) => s.name) },
  );
}
