// Tampered browser storage (issue 15, points 7 and 8): saved entries sharing an id or of the wrong
// shape keep the good entries visible, with the notice other damage gets, instead of a blank
// panel; a damaged benchmark header is explained instead of the saved run vanishing silently.
import { expect, test, type Page } from '@playwright/test';
import { savedHeader, savedResult } from '../fixtures/saved-run';
import { trackErrors } from './helpers';

/** Puts `entries` ([key, value]) into an idb-keyval database, as another tab or version might. */
async function tamper(page: Page, database: string, store: string, entries: [string, unknown][]) {
  await page.evaluate(
    async ({ database, store, entries }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onupgradeneeded = () => open.result.createObjectStore(store);
        open.onsuccess = () => {
          resolve(open.result);
        };
        open.onerror = () => {
          reject(new Error('open failed'));
        };
      });
      await new Promise<void>((resolve, reject) => {
        const tx = db.transaction(store, 'readwrite');
        for (const [key, value] of entries) tx.objectStore(store).put(value, key);
        tx.oncomplete = () => {
          resolve();
        };
        tx.onerror = () => {
          reject(new Error('write failed'));
        };
      });
      db.close();
    },
    { database, store, entries },
  );
}

const entry = (id: string, question: string) => ({
  id,
  at: 1,
  question,
  engine: 'mock-math',
  single: { answer: '18', text: 'The answer is 18.' },
});

test('history entries sharing an id: the good ones shown, with a notice', async ({ page }) => {
  const errors = trackErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('history')).toBeVisible();
  const saved = [
    entry('a', 'How many eggs are left?'),
    entry('a', 'A tampered copy of the first'),
    entry('b', 'How much does she make?'),
    entry('b', 'Another copy'),
    entry('c', 'How far did he run?'),
  ];
  // idb-keyval's default database, where History keeps its list
  await tamper(page, 'keyval-store', 'keyval', [['tally:history', saved]]);
  await page.reload();
  const history = page.getByTestId('history');
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await expect(history).toContainText('How many eggs are left?');
  await expect(history).toContainText('How much does she make?');
  await expect(history).toContainText('How far did he run?');
  await expect(history).not.toContainText('tampered');
  await expect(history.locator('.callout.warn')).toHaveText(
    '2 saved problem(s) could not be read and were left out.',
  );
  expect(errors).toEqual([]);
});

// The benchmark's saved run, as the page stores it: database tally-bench, store run, one key for
// the header and one per result.
const problem = (id: string, line: number, question: string) => ({
  id,
  line,
  question,
  gold: '18',
});
/** The saved run's header holding `problems`, which may be malformed. */
const header = (problems: unknown[]) => ({ ...savedHeader(), problems });

test('a saved benchmark run with repeated and malformed records: the good ones shown, with a notice', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.goto('/#bench');
  await expect(page.getByRole('button', { name: 'Start benchmark' })).toBeVisible();
  await tamper(page, 'tally-bench', 'run', [
    [
      'header',
      header([
        problem('a', 1, 'How many eggs are left?'),
        problem('a', 2, 'A tampered copy of the first'),
        problem('b', 3, 'How much does she make?'),
        { id: 'c', line: 'four' },
      ]),
    ],
    ['result:a/single', savedResult('a')],
    // a second result for a, under another key: a keyed list of it would fail
    ['result:x/single', savedResult('a', { answer: '99' })],
    ['result:b/single', { problemId: 'b', mode: 'single' }],
  ]);
  await page.reload();
  const rows = page.getByTestId('bench-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('How many eggs are left?');
  await expect(rows.nth(0).locator('[data-correct]')).toHaveText('18 ✓');
  await expect(rows.nth(1)).toContainText('How much does she make?');
  await expect(page.getByTestId('bench-problems')).not.toContainText('tampered');
  await expect(page.getByTestId('bench-error')).toHaveText(
    '2 saved problem(s) or mode(s) of this run could not be read and were left out. ' +
      '2 saved result(s) could not be read and were left out; resuming redoes any the run still lacks.',
  );
  expect(errors).toEqual([]);
});

test('a saved benchmark run whose header is damaged is explained, not silently gone', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.goto('/#bench');
  await expect(page.getByRole('button', { name: 'Start benchmark' })).toBeVisible();
  await tamper(page, 'tally-bench', 'run', [
    ['header', { ...header([problem('a', 1, 'How many eggs are left?')]), config: 'damaged' }],
    ['result:a/single', savedResult('a')],
  ]);
  await page.reload();
  await expect(page.getByTestId('bench-error')).toHaveText(
    'The saved benchmark run could not be read (its settings are damaged), so its 1 saved ' +
      'result(s) cannot be shown or resumed. Starting a new run replaces it.',
  );
  await expect(page.getByTestId('bench-row')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start benchmark' })).toBeVisible();
  expect(errors).toEqual([]);
});
