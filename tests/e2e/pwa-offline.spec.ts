// The installed app without a network, and its updates. Two builds of Tally (versions A and B) are
// made here and served the way a static host would, one after the other on one port.
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serveDist, type TestServer } from './fixtures/servers';
import { admin, connectMock, mockOpenAI, modelServer, trackErrors } from './helpers';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const version = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
).version;
const versionA = `${version}+offline-a`;
const versionB = `${version}+offline-b`;
let work: string;
let distA: string;
let distB: string;

async function build(outDir: string, appVersion: string): Promise<void> {
  await run('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: root,
    env: { ...process.env, TALLY_APP_VERSION: appVersion },
  });
}

test.beforeAll(async () => {
  test.setTimeout(300_000);
  work = mkdtempSync(join(tmpdir(), 'tally-pwa-'));
  distA = join(work, 'a');
  distB = join(work, 'b');
  await build(distA, versionA);
  await build(distB, versionB);
});

test.afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const question =
  'Janet’s ducks lay 16 eggs per day. She eats three and bakes with four. She sells the rest for $2 each. How much does she make?';
const solution =
  'Janet has 16 - 3 - 4 = 9 eggs left. She makes 9 * 2 = 18 dollars a day. The answer is \\boxed{18}.';

/** Waits until the service worker is active and has cached this version. */
async function installed(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect(page.getByTestId('offline-ready')).toBeVisible();
}

/** Every URL in the service worker's caches. */
function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) urls.push(request.url);
    }
    return urls;
  });
}

test('after one visit Tally opens offline, lists the downloaded model, and solves on a loopback server', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  const errors = trackErrors(page);
  const app = await serveDist(distA);
  let appDown = false;
  try {
    // First visit, online: download a (fixture) model through the storage panel.
    const model = (await admin(modelServer(), 'model', {
      id: `offline-${Date.now().toString(36)}`,
      shards: 2,
      shardBytes: 1_000_000,
    })) as { id: string; modelUrl: string; libUrl: string };
    await page.goto(app.origin);
    await expect(page.getByTestId('adapter')).toBeVisible();
    await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
    await page.getByLabel('Model folder URL').fill(model.modelUrl);
    await page.getByLabel('Library URL (.wasm)').fill(model.libUrl);
    await page.getByTestId('download-button').click();
    await expect(page.getByTestId('download-state')).toHaveText('Downloaded', { timeout: 30_000 });
    await installed(page);
    // The app shell and the worker chunks are cached; nothing of the model is.
    const cached = await cachedUrls(page);
    const paths = cached.map((u) => new URL(u).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/index.html', '/embed.html']));
    expect(paths.some((p) => /\/assets\/engine\.worker-[\w-]+\.js$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/assets\/render\.worker-[\w-]+\.js$/.test(p))).toBe(true);
    expect(paths.some((p) => /\/assets\/write\.worker-[\w-]+\.js$/.test(p))).toBe(true);
    expect(cached.filter((u) => !u.startsWith(app.origin))).toEqual([]);
    expect(paths.filter((p) => /\.(bin|wasm)$|tensor-cache|mlc-chat-config/.test(p))).toEqual([]);

    // Server and admin paths are not answered with the app shell.
    await page.goto(`${app.origin}/__admin/stats`);
    await expect(page.locator('body')).toHaveText('not found');
    await page.goto(`${app.origin}/v1/models`);
    await expect(page.locator('body')).toHaveText('not found');

    // No network at all: the service worker serves the app; the model is listed as ready.
    await context.setOffline(true);
    await page.goto(app.origin);
    await expect(page.getByRole('heading', { name: 'Tally', level: 1 })).toBeVisible();
    await expect(page.getByTestId('app-version')).toHaveText(`Tally ${versionA}`);
    const row = page.locator('[data-testid="storage-row"][data-status="complete"]');
    await expect(row).toContainText(model.id);
    // Playwright's offline mode also cuts loopback, so a local server is unreachable here too.
    const reachable = await page.evaluate(
      (url) =>
        fetch(url).then(
          () => true,
          () => false,
        ),
      `${mockOpenAI()}/v1/models`,
    );
    expect(reachable).toBe(false);

    // Back on a network where Tally's own host is gone (closed), but a loopback server runs.
    await context.setOffline(false);
    const before = app.requests.length;
    await app.close();
    appDown = true;
    await page.reload();
    await expect(page.getByTestId('app-version')).toHaveText(`Tally ${versionA}`);
    await expect(page.locator('[data-testid="storage-row"][data-status="complete"]')).toContainText(
      model.id,
    );
    expect(app.requests.length).toBe(before);
    await admin(mockOpenAI(), 'reset', {});
    await admin(mockOpenAI(), 'script', { replies: [{ match: 'ducks', outputs: [solution] }] });
    await connectMock(page);
    await page.getByLabel('Word problem').fill(question);
    await page.getByRole('button', { name: 'Solve' }).click();
    await expect(page.getByTestId('final-answer')).toHaveText('18');
    // The benchmark page opens too (its data set's kept copy: bench-data.spec.ts).
    await page.goto(`${app.origin}/#bench`);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Benchmark' })).toBeVisible();
    expect(errors).toEqual([]);
  } finally {
    if (!appDown) await app.close();
  }
});

test('a new version shows the update prompt, and accepting it reloads into that version', async ({
  page,
}) => {
  test.setTimeout(120_000);
  let server: TestServer = await serveDist(distA);
  const port = server.port;
  try {
    await page.goto(server.origin);
    await installed(page);
    await expect(page.getByTestId('app-version')).toHaveText(`Tally ${versionA}`);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);

    // The host now serves version B at the same address.
    await server.close();
    server = await serveDist(distB, { port });
    await page.reload();
    // The page is still A (from the cache) while B installs and waits for the person.
    await expect(page.getByTestId('app-version')).toHaveText(`Tally ${versionA}`);
    const prompt = page.getByTestId('update-prompt');
    await expect(prompt).toContainText('A new version of Tally is ready.', { timeout: 30_000 });
    await prompt.getByRole('button', { name: 'Reload to update' }).click();
    await expect(page.getByTestId('app-version')).toHaveText(`Tally ${versionB}`);
    await expect(page.getByTestId('update-prompt')).toHaveCount(0);
    const scripts = await page.evaluate(
      () => navigator.serviceWorker.controller?.scriptURL ?? 'none',
    );
    expect(scripts).toBe(`${server.origin}/sw.js`);
  } finally {
    await server.close();
  }
});
