// The benchmark page's GSM8K download, with the fixture server standing in for GitHub (it serves
// Tally's own problem set, tests/data): progress while it comes, a truncated, altered or broken-off
// file refused and not kept, and the kept copy loaded with no network afterwards.
import { expect, test, type Page } from '@playwright/test';
import { admin, downloadFixtureGsm8k, fixtureGsm8kUrl, modelServer, trackErrors } from './helpers';

interface Logged {
  path: string;
}

/** Requests the fixture server has answered for the problem set so far. */
async function setRequests(): Promise<number> {
  const all = (await admin(modelServer(), 'requests')) as Logged[];
  return all.filter((r) => r.path === '/data/problems.jsonl').length;
}

/** The URLs the page keeps in its data cache. */
function kept(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('tally-data');
    return (await cache.keys()).map((r) => r.url);
  });
}

test('shows the download, keeps the checked file, and loads it again with no network', async ({
  page,
  context,
}) => {
  const errors = trackErrors(page);
  await page.goto('/#bench');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  await expect(page.getByTestId('offline-ready')).toBeVisible();
  await expect(page.getByText('No data loaded.')).toBeVisible();
  const before = await setRequests();

  // about 2 s for the set's 8 KB
  await downloadFixtureGsm8k(page, '?throttle=4000');
  const progress = page.getByTestId('bench-download');
  await expect(progress).toContainText(/Downloading GSM8K test: \d+ KB of 8 KB \((\d|[1-9]\d)%\)/);
  await expect(progress.locator('progress')).toHaveAttribute('max', /^\d{4}$/);
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await expect(progress).toBeHidden();
  expect(await kept(page)).toEqual([fixtureGsm8kUrl('?throttle=4000').split('#')[0]]);
  expect(await setRequests()).toBe(before + 1);

  // No network: the service worker serves the page, the kept copy the problems (the URL it was
  // downloaded from is kept too, so the page opens on it with nothing to press).
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Benchmark' })).toBeVisible();
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await expect(page.getByTestId('bench-error')).toBeHidden();
  expect(await setRequests()).toBe(before + 1);
  await context.setOffline(false);
  expect(errors).toEqual([]);
});

for (const [what, query, message] of [
  [
    'a truncated file',
    '?cut=3000',
    /^GSM8K test from http:\/\/127\.0\.0\.1:\d+\/data\/problems\.jsonl\?cut=3000 is cut short: 15 of 36 problems\. Nothing of it was kept; try again later\.$/,
  ],
  [
    'an altered file',
    '?corrupt=100',
    /^GSM8K test from .*\?corrupt=100 is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}… \(36 lines, 36 expected\)\. Nothing of it was kept\.$/,
  ],
  [
    'a download that breaks off',
    '?drop=5000',
    /^The download of GSM8K test from 127\.0\.0\.1:\d+ broke off after [0-5] KB of 8 KB \(\d+%\): try again\. Nothing of it was kept\.$/,
  ],
] as const) {
  test(`refuses ${what}, keeps nothing, and a good download then clears the message`, async ({
    page,
  }) => {
    await page.goto('/#bench');
    await downloadFixtureGsm8k(page, query);
    await expect(page.getByTestId('bench-error')).toHaveText(message);
    await expect(page.getByText('No data loaded.')).toBeVisible();
    expect(await kept(page)).toEqual([]);

    await downloadFixtureGsm8k(page);
    await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
    await expect(page.getByTestId('bench-error')).toBeHidden();
  });
}

test('a GSM8K URL that is not one is called that', async ({ page }) => {
  await page.goto('/#bench');
  await page.getByText('Download source').click();
  await page.getByLabel('GSM8K URL').fill('raw.githubusercontent.com/test.jsonl');
  await page.getByRole('button', { name: 'Use the GSM8K test split' }).click();
  await expect(page.getByTestId('bench-error')).toHaveText(
    '“raw.githubusercontent.com/test.jsonl” is not a URL for GSM8K test.',
  );
});

test('the GSM8K URL is kept in this browser, and the copy it names loads on the next visit', async ({
  page,
}) => {
  await page.goto('/#bench');
  await downloadFixtureGsm8k(page);
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.reload();
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.getByText('Download source').click();
  await expect(page.getByLabel('GSM8K URL')).toHaveValue(fixtureGsm8kUrl());
});
