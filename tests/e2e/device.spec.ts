// First visit on a WebGPU device (SwiftShader here): what it can run, and loading a model.
import { expect, test } from '@playwright/test';
import { admin, modelServer, trackErrors } from './helpers';

interface FixtureModel {
  modelUrl: string;
  libUrl: string;
}

test('the device panel shows the SwiftShader adapter without half precision (shader-f16)', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toContainText(/swiftshader/i);
  await expect(page.getByTestId('shader-f16')).toHaveText(
    'no: models use their full-precision build (q4f32_1)',
  );
  await expect(page.getByTestId('fallback-adapter')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the default model can run here; a model that needs half precision says so', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toBeVisible();
  const model = page.getByRole('combobox', { name: 'Model', exact: true });
  await expect(model.locator('option:checked')).toHaveText('Qwen2-Math-7B-Instruct');
  await expect(model.locator('option', { hasText: 'WizardMath' })).toHaveText(
    'WizardMath-7B-V1.1 · needs half-precision maths (shader-f16)',
  );
});

test('loading the fixture model reaches web-llm’s library step and says so', async ({ page }) => {
  const errors = trackErrors(page);
  // the request log counts this test's fetches only (a repeat of it fetches the same files)
  await admin(modelServer(), 'reset', {});
  const fixture = (await admin(modelServer(), 'model', {
    id: 'e2e-lib-step',
    shards: 2,
  })) as FixtureModel;
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
  await page.getByLabel('Model folder URL').fill(fixture.modelUrl);
  await page.getByLabel('Library URL (.wasm)').fill(fixture.libUrl);
  await page.getByRole('button', { name: 'Load model' }).click();
  const failure = page.getByTestId('engine-error');
  await expect(failure).toContainText('model library could not be loaded', { timeout: 30_000 });
  await expect(failure).toHaveAttribute('data-code', 'model-lib-invalid');
  // Tally's store fetched every file once; web-llm then read them from its cache, fetching nothing.
  const requests = (await admin(modelServer(), 'requests')) as { method: string; path: string }[];
  const gets = (suffix: string) =>
    requests.filter((r) => r.method === 'GET' && r.path.endsWith(suffix)).length;
  expect(gets('/libs/e2e-lib-step.wasm')).toBe(1);
  expect(gets('/params_shard_0.bin')).toBe(1);
  expect(gets('/params_shard_1.bin')).toBe(1);
  expect(gets('/tensor-cache.json')).toBe(1);
  expect(errors).toEqual([]);
});

test('bad input gets a clear message', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('adapter')).toBeVisible();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
  await page.getByLabel('Model folder URL').fill('not a url');
  await page.getByLabel('Library URL (.wasm)').fill('https://example.com/lib.wasm');
  await page.getByRole('button', { name: 'Load model' }).click();
  await expect(page.getByTestId('engine-error')).toHaveText(/“not a url” is not a URL/);

  await page.getByLabel('On a server').check();
  await page.getByLabel('Server URL').fill('ftp://example.com/v1');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('engine-error')).toContainText(/http/);
});
