// The benchmark page's published sets (GSM8K, GSM-Hard, SVAMP), with the fixture server standing
// in for GitHub (it serves Tally's own files in each set's shape, tests/data): progress while one
// comes, a truncated, altered or broken-off file refused and not kept, and the kept copy loaded
// with no network afterwards.
import { expect, test, type Page } from '@playwright/test';
import {
  admin,
  downloadFixture,
  fixtureFiles,
  fixtureUrl,
  modelServer,
  trackErrors,
  type FixtureSet,
} from './helpers';
import { expectFits, expectInside, sizes } from './layout';

interface Logged {
  path: string;
}

/** Requests the fixture server has answered for `set`'s file so far. */
async function setRequests(set: FixtureSet): Promise<number> {
  const all = (await admin(modelServer(), 'requests')) as Logged[];
  return all.filter((r) => r.path === `/data/${fixtureFiles[set].file}`).length;
}

/** The URLs the page keeps in its data cache. */
function kept(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const cache = await caches.open('tally-data');
    return (await cache.keys()).map((r) => r.url);
  });
}

/** What each set's file reads as on the page, and how fast to serve it for a download of ~2 s. */
const sets = [
  { set: 'gsm8k', loaded: 'GSM8K test: 36 problems', size: '8 KB', throttle: '?throttle=4000' },
  { set: 'gsm-hard', loaded: 'GSM-Hard: 8 problems', size: '2 KB', throttle: '?throttle=800' },
  { set: 'svamp', loaded: 'SVAMP: 6 problems', size: '1 KB', throttle: '?throttle=800' },
] as const;

for (const { set, loaded, size, throttle } of sets) {
  test(`${set}: shows the download, keeps the checked file, and loads it again with no network`, async ({
    page,
    context,
  }) => {
    const errors = trackErrors(page);
    await page.goto('/#bench');
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
    await expect(page.getByTestId('offline-ready')).toBeVisible();
    await expect(page.getByText('No data loaded.')).toBeVisible();
    const before = await setRequests(set);

    await downloadFixture(page, set, throttle);
    const progress = page.getByTestId('bench-download');
    await expect(progress).toContainText(
      new RegExp(`Downloading ${loaded.split(':')[0]}: \\d+ KB of ${size} \\((\\d|[1-9]\\d)%\\)`),
    );
    await expect(progress.locator('progress')).toHaveAttribute('max', /^\d{3,4}$/);
    await expect(page.getByTestId('bench-data')).toContainText(loaded);
    await expect(progress).toBeHidden();
    expect(await kept(page)).toEqual([fixtureUrl(set, throttle).split('#')[0]]);
    expect(await setRequests(set)).toBe(before + 1);

    // No network: the service worker serves the page, the kept copy the problems.
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Benchmark' })).toBeVisible();
    // the URL it came from is kept too: choosing the set loads its copy with nothing to press
    // (GSM8K's as the page opens)
    await page.getByLabel('Published set').selectOption(set);
    await expect(page.getByTestId('bench-data')).toContainText(loaded);
    await expect(page.getByTestId('bench-data-error')).toBeHidden();
    expect(await setRequests(set)).toBe(before + 1);
    await context.setOffline(false);
    expect(errors).toEqual([]);
  });
}

for (const [what, query, message] of [
  [
    'a truncated file',
    '?cut=3000',
    /^GSM8K test from http:\/\/127\.0\.0\.1:\d+\/data\/problems\.jsonl\?cut=3000 is cut short: 15 of 36 problems\. Nothing of it was kept; try again later\.$/,
  ],
  [
    'an altered file',
    '?corrupt=100',
    /^GSM8K test from .*\?corrupt=100 is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}… \(36 records, 36 expected\)\. Nothing of it was kept\.$/,
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
    await downloadFixture(page, 'gsm8k', query);
    await expect(page.getByTestId('bench-data-error')).toHaveText(message);
    await expect(page.getByText('No data loaded.')).toBeVisible();
    expect(await kept(page)).toEqual([]);

    await downloadFixture(page, 'gsm8k');
    await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
    await expect(page.getByTestId('bench-data-error')).toBeHidden();
  });
}

// The new sets' own shapes: an altered GSM-Hard line, and an SVAMP array cut short (which no
// longer parses), each refused with the set's name and nothing kept.
for (const [set, query, message] of [
  [
    'gsm-hard',
    '?corrupt=30',
    /^GSM-Hard from .*\/data\/gsm-hard\.jsonl\?corrupt=30 is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}… \(8 records, 8 expected\)\. Nothing of it was kept\.$/,
  ],
  [
    'svamp',
    '?cut=900',
    /^SVAMP from .*\/data\/svamp\.json\?cut=900 is cut short or damaged: it does not read as a JSON array\. Nothing of it was kept; try again later\.$/,
  ],
] as const) {
  test(`${set}: refuses ${query.slice(1)} and keeps nothing`, async ({ page }) => {
    await page.goto('/#bench');
    await downloadFixture(page, set, query);
    await expect(page.getByTestId('bench-data-error')).toHaveText(message);
    await expect(page.getByText('No data loaded.')).toBeVisible();
    expect(await kept(page)).toEqual([]);
  });
}

test('a GSM8K URL that is not one is called that', async ({ page }) => {
  await page.goto('/#bench');
  await page.getByText('Download source').click();
  await page.getByLabel('GSM8K URL').fill('raw.githubusercontent.com/test.jsonl');
  await page.getByRole('button', { name: 'Use GSM8K test' }).click();
  await expect(page.getByTestId('bench-data-error')).toHaveText(
    '“raw.githubusercontent.com/test.jsonl” is not a URL for GSM8K test.',
  );
});

test('the GSM8K URL is kept in this browser, and the copy it names loads on the next visit', async ({
  page,
}) => {
  await page.goto('/#bench');
  await downloadFixture(page, 'gsm8k');
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.reload();
  await expect(page.getByTestId('bench-data')).toContainText('GSM8K test: 36 problems');
  await page.getByText('Download source').click();
  await expect(page.getByLabel('GSM8K URL')).toHaveValue(fixtureUrl('gsm8k'));
});

for (const size of sizes) {
  test(`at ${size.width}×${size.height} a set that cannot be downloaded says so by the data choice, with the other ways in`, async ({
    page,
    context,
  }, testInfo) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/#bench');
    await expect(page.getByRole('heading', { name: 'Benchmark' })).toBeVisible();
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Use GSM8K test' }).click();
    const data = page.getByRole('group', { name: 'Data' });
    await expect(data.getByTestId('bench-data-error')).toContainText(
      'No connection: this device is offline, so GSM8K test cannot be downloaded.',
    );
    const ways = data.getByTestId('bench-data-ways');
    await expect(ways).toContainText('upload a copy you have (Or upload a file, above)');
    await expect(ways).toContainText('under Download source (below)');
    await expect(ways).toContainText('npm run bench -- --data FILE or TALLY_GSM8K_URL');
    // the places it points to are in view of it: the upload, and the URL setting opened
    await expect(page.getByLabel('GSM8K URL')).toBeVisible();
    await expect(page.getByTestId('bench-error')).toHaveCount(0);
    await context.setOffline(false);
    const callout = data.getByTestId('bench-data-callout');
    await callout.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath(`data-unreachable-${size.name}.png`) });
    await expectInside(callout);
    await expectFits(page, size.width);
  });
}
