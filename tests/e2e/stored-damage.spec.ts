// Tampered browser storage (issue 15, points 7 and 8): saved history entries sharing an id keep
// the good entries visible, with the notice other damage gets, instead of a blank panel.
import { expect, test } from '@playwright/test';
import { trackErrors } from './helpers';

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
  await page.evaluate(async (value) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('keyval-store');
      open.onupgradeneeded = () => open.result.createObjectStore('keyval');
      open.onsuccess = () => {
        resolve(open.result);
      };
      open.onerror = () => {
        reject(new Error('open failed'));
      };
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('keyval', 'readwrite');
      tx.objectStore('keyval').put(value, 'tally:history');
      tx.oncomplete = () => {
        resolve();
      };
      tx.onerror = () => {
        reject(new Error('write failed'));
      };
    });
    db.close();
  }, saved);
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
