// A deployer who lists the sites allowed to embed Tally (VITE_TALLY_EMBED_ORIGINS): the listed
// site gets a working widget; another is stopped by frame-ancestors, or by the widget itself.
import { expect, test, type Page } from '@playwright/test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serveDist, servePages, type PageServer, type TestServer } from './fixtures/servers';
import { admin, mockOpenAI } from './helpers';

const root = join(import.meta.dirname, '..', '..');
let work: string;
let allowed: PageServer;
let other: PageServer;
/** the build with the allow-list, served with its _headers */
let tally: TestServer;
/** the same build on a host that sends no headers */
let bare: TestServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  allowed = await servePages({});
  other = await servePages({});
  work = mkdtempSync(join(tmpdir(), 'tally-origins-'));
  await promisify(execFile)(
    'npx',
    ['vite', 'build', '--outDir', work, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: root, env: { ...process.env, VITE_TALLY_EMBED_ORIGINS: allowed.origin } },
  );
  tally = await serveDist(work);
  bare = await serveDist(work, { headers: false });
});

test.afterAll(async () => {
  await Promise.all([allowed.close(), other.close(), tally.close(), bare.close()]);
  rmSync(work, { recursive: true, force: true });
});

/** Tally as the browser sees it: on localhost, another site than the 127.0.0.1 hosts. */
const onLocalhost = (server: TestServer) => `http://localhost:${server.port}`;

async function embed(page: Page, site: PageServer, tallyOrigin: string): Promise<void> {
  const path = `/page-${Date.now()}.html`;
  site.pages[path] = `<!doctype html><html><body>
  <script>
    window.tally = [];
    for (const t of ['ready', 'status', 'result', 'error']) {
      document.addEventListener('tally-' + t, (e) => window.tally.push(e.detail));
    }
  </script>
  <script src="${tallyOrigin}/embed.js" data-question="Janet’s ducks: how much?"
    data-server-url="${mockOpenAI()}/v1" data-server-model="mock-math" data-autorun></script>
</body></html>`;
  await page.goto(`${site.origin}${path}`);
}

function types(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    (window as unknown as { tally: { type: string }[] }).tally.map((e) => e.type),
  );
}

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
  await admin(mockOpenAI(), 'script', { fallback: 'So she makes \\boxed{18} dollars.' });
});

test('a listed site gets a working widget', async ({ page }) => {
  await embed(page, allowed, onLocalhost(tally));
  const widget = page.frameLocator('iframe[title^="Tally"]');
  await expect(widget.getByTestId('widget-answer')).toHaveText('18');
  await expect.poll(() => types(page)).toContain('result');
  await expect(widget.getByTestId('widget-refused')).toHaveCount(0);
});

test('another site is refused by the frame-ancestors header', async ({ page }) => {
  const refusals: string[] = [];
  page.on('console', (m) => {
    if (m.text().includes('frame-ancestors')) refusals.push(m.text());
  });
  const header = await page.request.get(`${onLocalhost(tally)}/embed.html`);
  expect(header.headers()['content-security-policy']).toContain(
    `frame-ancestors 'self' ${allowed.origin}`,
  );
  await embed(page, other, onLocalhost(tally));
  await expect.poll(() => refusals.length).toBeGreaterThan(0);
  expect(refusals[0]).toContain(`Framing '${onLocalhost(tally)}/' violates`);
  await expect(page.frameLocator('iframe[title^="Tally"]').getByTestId('widget')).toHaveCount(0);
  expect(await types(page)).toEqual([]);
});

test('without the header, the widget itself refuses to run for another site and says so', async ({
  page,
}) => {
  await embed(page, other, onLocalhost(bare));
  const widget = page.frameLocator('iframe[title^="Tally"]');
  await expect(widget.getByTestId('widget-refused')).toContainText(
    `does not allow ${other.origin} to embed it`,
  );
  await expect(widget.getByRole('button', { name: 'Solve' })).toHaveCount(0);
  // It tells that site nothing and runs nothing for it, even when asked.
  await page.locator('iframe[title^="Tally"]').evaluate((el) => {
    el.dispatchEvent(
      new CustomEvent('tally-solve', { detail: { id: 'q1', question: 'Janet’s ducks?' } }),
    );
  });
  await page.waitForTimeout(500);
  expect(await types(page)).toEqual([]);
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests).toHaveLength(0);
});
