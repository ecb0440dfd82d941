// Tampered browser storage (issue 15, points 7 and 8): saved entries sharing an id or of the wrong
// shape keep the good entries visible, with the notice other damage gets, instead of a blank
// panel; a damaged benchmark header is explained instead of the saved run vanishing silently.
import { expect, test, type Page } from '@playwright/test';
import { savedHeader, savedResult } from '../fixtures/saved-run';
import { trackErrors } from './helpers';

/**
 * Puts `entries` ([key, value]; no key: the store's own key path) into a database, as another
 * tab or version might; `fresh` deletes the database first, so it is made again with only
 * `store`, keyed outside its values, as idb-keyval makes its own.
 */
async function tamper(
  page: Page,
  database: string,
  store: string,
  entries: [string | undefined, unknown][],
  fresh = false,
) {
  await page.evaluate(
    async ({ database, store, entries, fresh }) => {
      if (fresh) {
        await new Promise((resolve, reject) => {
          const wipe = indexedDB.deleteDatabase(database);
          wipe.onsuccess = resolve;
          wipe.onerror = () => {
            reject(new Error('delete failed'));
          };
        });
      }
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
        for (const [key, value] of entries) {
          if (key === undefined) tx.objectStore(store).put(value);
          else tx.objectStore(store).put(value, key);
        }
        tx.oncomplete = () => {
          resolve();
        };
        tx.onerror = () => {
          reject(new Error('write failed'));
        };
      });
      db.close();
    },
    { database, store, entries, fresh },
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

/** A download record as the store saves it (src/lib/store/disk.ts Entry), not yet planned. */
const download = (id: string, status = 'partial') => ({
  format: 1,
  id,
  model: {
    id,
    model: `https://models.example/${id}`,
    model_lib: `https://libs.example/${id}.wasm`,
  },
  base: `https://models.example/${id}/resolve/main/`,
  files: [],
  status,
  updatedAt: 1,
});

test('download records sharing an id, in a database missing a store: each model once, with a notice', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.goto('/');
  const storage = page.getByTestId('storage-panel');
  await expect(storage).toContainText('No models yet.');
  // made again by something else at Tally's version: records keyed apart from their ids, no
  // store for the byte ranges of files in progress
  await tamper(
    page,
    'tally-downloads',
    'models',
    [
      ['x', download('model-a')],
      ['y', { ...download('model-a'), updatedAt: 2 }],
      ['z', download('model-b')],
    ],
    true,
  );
  await page.reload();
  const rows = storage.getByTestId('storage-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-key', 'model-a');
  await expect(rows.nth(1)).toHaveAttribute('data-key', 'model-b');
  await expect(storage.getByTestId('storage-notice')).toContainText(
    '1 saved download record(s) could not be read and were left out.',
  );
  await expect(storage).not.toContainText('No models yet.');
  await expect(storage).not.toContainText('failed while');
  // the records were saved again, each once: Delete works, and the next visit has nothing to say
  await storage.getByRole('button', { name: 'Delete model-a' }).click();
  await expect(rows).toHaveCount(1);
  await page.reload();
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toHaveAttribute('data-key', 'model-b');
  await expect(storage.getByTestId('storage-notice')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a complete download record listing no files is shown as damaged, with what to do', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.goto('/');
  await expect(page.getByTestId('storage-panel')).toContainText('No models yet.');
  // in the store as the page made it
  await tamper(page, 'tally-downloads', 'models', [[undefined, download('emptied', 'complete')]]);
  await page.reload();
  const row = page.getByTestId('storage-row');
  await expect(row).toHaveAttribute('data-status', 'damaged');
  await expect(row).toContainText(
    'The saved file list of emptied is empty. Delete it to start that download over.',
  );
  await expect(row.getByTestId('storage-row-bytes')).toHaveText('0 B · damaged');
  await row.getByRole('button', { name: 'Delete emptied' }).click();
  await expect(page.getByTestId('storage-panel')).toContainText('No models yet.');
  expect(errors).toEqual([]);
});
