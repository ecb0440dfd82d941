// What the Model panel says about a server: each attempt's own message, a URL that does not parse,
// a server the page's content security policy blocks, and a server that stops answering.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI } from './helpers';

// Routes below rewrite the app's own document; the service worker would answer it from its cache.
test.use({ serviceWorkers: 'block' });

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
});

async function connect(page: Page, url: string): Promise<void> {
  await page.getByLabel('On a server').check();
  await page.getByLabel('Server URL').fill(url);
  await page.getByRole('button', { name: 'Connect' }).click();
}

/** A loopback port nothing listens on. */
const deadServer = 'http://127.0.0.1:9/v1';

test('a new attempt replaces the last message', async ({ page }) => {
  await page.goto('/');
  await connect(page, deadServer);
  const error = page.getByTestId('engine-error');
  await expect(error).toContainText('Could not reach the server at http://127.0.0.1:9');

  await connect(page, 'ftp://example.com/v1');
  await expect(error).toHaveCount(1);
  await expect(error).toContainText('not ftp:');
  await expect(error).not.toContainText('127.0.0.1:9');

  await connectMock(page);
  await expect(page.getByTestId('engine-error')).toHaveCount(0);
});

test('a URL that does not parse is called that', async ({ page }) => {
  await page.goto('/');
  await connect(page, 'not a url');
  await expect(page.getByTestId('engine-error')).toHaveText(
    '"not a url" is not a URL. Use one like http://localhost:11434/v1.',
  );
});

test('a server the content security policy blocks is named as such, with what to do', async ({
  page,
}) => {
  // This Tally as a deployer locks it (VITE_TALLY_CONNECT_SRC): the mock server is not listed.
  const locked = "connect-src 'self' https://huggingface.co http://localhost:1";
  await page.route(
    (url) => url.pathname === '/' || url.pathname === '/index.html',
    async (route) => {
      const response = await route.fetch();
      const lock = (policy: string) => policy.replace(/connect-src [^;]*/, locked);
      const headers = response.headers();
      const csp = headers['content-security-policy'];
      await route.fulfill({
        response,
        headers: csp ? { ...headers, 'content-security-policy': lock(csp) } : headers,
        body: lock(await response.text()),
      });
    },
  );
  const calls: string[] = [];
  page.on('request', (request) => {
    if (request.url().startsWith(mockOpenAI())) calls.push(request.url());
  });
  await page.goto('/');
  await connect(page, `${mockOpenAI()}/v1`);
  const error = page.getByTestId('engine-error');
  await expect(error).toContainText(
    `This Tally's content security policy (connect-src) does not allow ${mockOpenAI()}`,
  );
  await expect(error).toContainText('VITE_TALLY_CONNECT_SRC');
  await expect(error).not.toContainText('CORS');
  expect(calls).toEqual([]);
});

test('the Model panel stops saying Ready when the server stops answering', async ({ page }) => {
  await page.goto('/');
  await connectMock(page);
  // the server goes away: every connection to it is refused from now on
  await page.route(`${mockOpenAI()}/**`, (route) => route.abort('connectionrefused'));
  await page.getByLabel('Word problem').fill('What is 2 + 3?');
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('solve-error')).toContainText('Could not reach the server');
  await expect(page.getByTestId('engine-ready')).toHaveCount(0);
  await expect(page.getByTestId('engine-error')).toContainText('The server stopped answering');
  await expect(page.getByRole('button', { name: 'Solve' })).toBeDisabled();
  await expect(page.locator('#solve-why')).toBeVisible();
});
