// The widget in a cross-site iframe and the model a person downloaded on Tally's own site, in the
// two cases Chromium has: third-party storage blocked (default here), and third-party cookies allowed.
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { servePages, type PageServer } from './fixtures/servers';
import { admin, modelServer } from './helpers';

interface FixtureModel {
  id: string;
  modelUrl: string;
  libUrl: string;
}

interface RequestLog {
  path: string;
}

let host: PageServer;

test.beforeAll(async () => {
  host = await servePages({});
});

test.afterAll(async () => {
  await host.close();
});

async function fixture(name: string): Promise<FixtureModel> {
  const id = `embed-${name}-${Date.now().toString(36)}`;
  return (await admin(modelServer(), 'model', {
    id,
    shards: 2,
    shardBytes: 500_000,
  })) as FixtureModel;
}

/** A page on 127.0.0.1 that embeds the widget (from localhost) for `model`. */
async function openHost(page: Page, widgetOrigin: string, model: FixtureModel): Promise<void> {
  const path = `/storage-${model.id}.html`;
  host.pages[path] = `<!doctype html><html><body>
  <script>
    window.tally = [];
    for (const t of ['status', 'error']) {
      document.addEventListener('tally-' + t, (e) => window.tally.push(e.detail));
    }
  </script>
  <script src="${widgetOrigin}/embed.js" data-question="What is 6 times 7?"
    data-model-url="${model.modelUrl}" data-model-lib="${model.libUrl}"></script>
</body></html>`;
  await page.goto(`${host.origin}${path}`);
}

function hostEvents(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate(
    () => (window as unknown as { tally: { type: string; [k: string]: unknown }[] }).tally,
  );
}

test('third-party storage blocked: the widget says so and offers the ways that remain', async ({
  page,
  baseURL,
}) => {
  const widgetOrigin = new URL(baseURL ?? '').origin;
  const model = await fixture('blocked');
  await openHost(page, widgetOrigin, model);
  const widget = page.frameLocator('iframe[title^="Tally"]');
  const notice = widget.getByTestId('storage-notice');
  await expect(notice).toHaveAttribute('data-storage', 'blocked');
  await expect(notice).toContainText('keeps no storage for widgets embedded in other sites');
  const choices = widget.getByTestId('model-choices');
  await expect(choices.getByRole('button', { name: 'Use my download from Tally' })).toBeVisible();
  await expect(choices.getByRole('link', { name: 'Open Tally' })).toHaveAttribute(
    'href',
    `${widgetOrigin}/`,
  );
  // Nothing can be kept here, so downloading here is not offered.
  await expect(choices.getByRole('button', { name: /Download here/ })).toHaveCount(0);
  await expect(widget.getByTestId('widget-storage')).toContainText('blocks storage');
  await expect
    .poll(async () => (await hostEvents(page)).filter((e) => e.type === 'status').at(-1))
    .toMatchObject({ engine: 'webllm', storage: 'blocked', availability: 'missing' });

  // Asking for storage access: headless Chromium has no prompt to show, so it is denied.
  await choices.getByRole('button', { name: 'Use my download from Tally' }).click();
  await expect(widget.getByTestId('widget-access-note')).toContainText(
    'did not allow the widget to use Tally',
  );
  await expect(choices.getByRole('link', { name: 'Open Tally' })).toBeVisible();

  // Solving says where the model is missing, here and to the host.
  await widget.getByRole('button', { name: 'Solve' }).click();
  const error = widget.getByTestId('widget-error');
  await expect(error).toContainText(
    'not in this browser’s storage for this page. Choose how to get it above.',
  );
  // and the choices are indeed above it
  const choicesBox = await choices.boundingBox();
  const errorBox = await error.boundingBox();
  expect((choicesBox?.y ?? 0) + (choicesBox?.height ?? 0)).toBeLessThanOrEqual(errorBox?.y ?? 0);
  await expect
    .poll(async () => (await hostEvents(page)).find((e) => e.type === 'error'))
    .toMatchObject({ code: 'model-not-found' });
});

/** A non-incognito profile with third-party cookies allowed (Chrome's setting “Allow”). */
async function profileAllowingThirdPartyCookies(
  baseURL: string | undefined,
): Promise<{ context: BrowserContext; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-3pc-'));
  mkdirSync(join(dir, 'Default'), { recursive: true });
  writeFileSync(
    join(dir, 'Default', 'Preferences'),
    JSON.stringify({ profile: { cookie_controls_mode: 0 } }),
  );
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: findChromium(),
    args: chromiumArgs,
    baseURL,
  });
  return { context, dir };
}

test('third-party cookies allowed: the widget and its engine worker use the model downloaded on Tally’s site', async ({
  baseURL,
}) => {
  test.setTimeout(90_000);
  const widgetOrigin = new URL(baseURL ?? '').origin;
  const model = await fixture('shared');
  const { context, dir } = await profileAllowingThirdPartyCookies(baseURL);
  try {
    // On Tally's own site: download the model through the storage panel.
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto('/');
    await expect(page.getByTestId('adapter')).toBeVisible();
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
    await page.getByLabel('Model folder URL').fill(model.modelUrl);
    await page.getByLabel('Library URL (.wasm)').fill(model.libUrl);
    await page.getByTestId('download-button').click();
    await expect(page.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
    const requests = async () =>
      ((await admin(modelServer(), 'requests')) as RequestLog[]).filter(
        (r) => r.path.startsWith(`/models/${model.id}/`) || r.path === `/libs/${model.id}.wasm`,
      ).length;
    const fetched = await requests();

    // On another site: the widget finds it, and loading it makes no request for the model.
    await openHost(page, widgetOrigin, model);
    const widget = page.frameLocator('iframe[title^="Tally"]');
    await expect(widget.getByTestId('widget-model-found')).toBeVisible();
    await expect(widget.getByTestId('widget-storage')).toHaveText('Tally’s own');
    await widget.getByRole('button', { name: 'Solve' }).click();
    // web-llm read the config and library from Tally's storage; the fixture library is not wasm.
    await expect(widget.getByTestId('widget-engine-error')).toHaveAttribute(
      'data-code',
      'model-lib-invalid',
      { timeout: 30_000 },
    );
    expect(await requests()).toBe(fetched);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
