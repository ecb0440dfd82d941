// Must show 2 through the page: each hostile program (tests/fixtures/hostile-programs.ts) is a
// model's reply in the Program column. None may escape or hurt the page: after each, the page
// solves the next problem normally, and its stored history, settings and other storage are as
// they were (the two new history entries aside). One page serves the whole file.
import { expect, test, type Page } from '@playwright/test';
import { hostilePrograms } from '../fixtures/hostile-programs';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

test.describe.configure({ mode: 'serial' });

const probe = 'tally-sandbox-probe';
let page: Page;
let errors: string[];
/** requests for the addresses the programs try to reach */
const leaks: string[] = [];

/** What this page keeps: Tally's history and settings (idb-keyval) and a probe in every store. */
function storage(target: Page) {
  return target.evaluate(async (name) => {
    const read = (db: string, store: string, key: string) =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open(db);
        open.onerror = () => {
          reject(open.error ?? new Error('open failed'));
        };
        open.onupgradeneeded = () => open.result.createObjectStore(store);
        open.onsuccess = () => {
          const request = open.result.transaction(store).objectStore(store).get(key);
          request.onsuccess = () => {
            resolve(request.result);
            open.result.close();
          };
          request.onerror = () => {
            reject(request.error ?? new Error('read failed'));
          };
        };
      });
    const cached = await (await caches.open(name)).match('/probe');
    return {
      history: (await read('keyval-store', 'keyval', 'tally:history')) as unknown[],
      settings: await read('keyval-store', 'keyval', 'tally:settings'),
      probe: await read(name, 'kv', 'saved'),
      databases: (await indexedDB.databases()).map((d) => d.name).sort(),
      local: localStorage.getItem(name),
      cookie: document.cookie,
      cache: cached ? await cached.text() : null,
    };
  }, probe);
}

async function setTimeLimit(seconds: number) {
  await page.getByLabel('Program time limit (s)').fill(String(seconds));
}

async function solve(question: string) {
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByRole('button', { name: 'Solve' })).toBeEnabled({ timeout: 90_000 });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await admin(mockOpenAI(), 'reset', {});
  page = await browser.newPage();
  errors = trackErrors(page);
  page.context().on('request', (request) => {
    if (new URL(request.url()).port === '9') leaks.push(request.url());
  });
  await page.goto('/');
  await connectMock(page);
  await page.getByLabel('Also write a Python program and run it').check();
  // 10 s rather than 5: the searching programs walk every Python object on a shared CPU
  await setTimeLimit(10);
  await page.evaluate(async (name) => {
    localStorage.setItem(name, 'kept');
    document.cookie = `${name}=kept; path=/`;
    await (await caches.open(name)).put('/probe', new Response('kept'));
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open(name, 1);
      open.onupgradeneeded = () => open.result.createObjectStore('kv');
      open.onerror = () => {
        reject(open.error ?? new Error('open failed'));
      };
      open.onsuccess = () => {
        const tx = open.result.transaction('kv', 'readwrite');
        tx.objectStore('kv').put({ kept: true }, 'saved');
        tx.oncomplete = () => {
          open.result.close();
          resolve();
        };
      };
    });
  }, probe);
  // a first problem, so history holds an entry before any hostile program (and Python is warm)
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'first', system: 'programs', outputs: ['```python\nprint(7 * 3)\n```'] }],
  });
  await solve('The first problem');
  await expect(page.getByTestId('program-answer')).toHaveText('21');
});

test.afterAll(async () => {
  await page.close();
});

for (const [i, program] of hostilePrograms.entries()) {
  test(`a program that ${program.name} is contained, and the page goes on`, async () => {
    test.setTimeout(180_000);
    const limitTest = program.ends === 'timeout';
    const before = await storage(page);
    if (limitTest) await setTimeLimit(1);
    await admin(mockOpenAI(), 'script', {
      replies: [
        {
          match: `hostile ${i}`,
          system: 'programs',
          outputs: [`\`\`\`python\n${program.code}\n\`\`\``],
        },
        { match: `next ${i}`, system: 'programs', outputs: ['```python\nprint(6 * 7)\n```'] },
        { match: `next ${i}`, outputs: ['6 * 7 = 42. The answer is \\boxed{42}.'] },
      ],
    });
    await solve(`The hostile ${i} problem`);
    const column = page.getByTestId('program-result');
    // the program's text says ESCAPED; what it printed never may
    await expect(column.getByTestId('program-output')).not.toContainText('ESCAPED');
    const error = column.getByTestId('program-error');
    switch (program.ends) {
      case 'blocked':
        await expect(column.getByTestId('program-output')).toContainText('blocked:');
        break;
      case 'timeout':
        await expect(error).toHaveText('The program was stopped after 1 s (the time limit).');
        break;
      case 'memory':
        await expect(error).toHaveText(
          'The program was stopped: it needed more than 512 MiB of memory.',
        );
        break;
      case 'output':
        await expect(error).toHaveText('The program was stopped: it printed more than 1 MiB.');
        break;
      case 'stopped':
        await expect(error).toHaveAttribute('data-kind', /^(exception|timeout|memory|crashed)$/);
        break;
    }
    if (limitTest) await setTimeLimit(10);
    // the next problem is solved normally, its program in a working sandbox
    await solve(`The next ${i} problem`);
    await expect(page.getByTestId('final-answer')).toHaveText('42');
    await expect(page.getByTestId('program-answer')).toHaveText('42');
    const after = await storage(page);
    expect(after.history.slice(2)).toEqual(before.history);
    expect({ ...after, history: [] }).toEqual({ ...before, history: [] });
    expect(leaks).toEqual([]);
    expect(errors).toEqual([]);
  });
}

test('an 8 MB error message and a reordering control come out cut and shown as they read', async () => {
  test.setTimeout(180_000);
  await admin(mockOpenAI(), 'script', {
    replies: [
      {
        match: 'huge error',
        system: 'programs',
        outputs: ["```python\nraise ValueError('y' * 8_000_000)\n```"],
      },
      {
        match: 'reordered',
        system: 'programs',
        outputs: ["```python\nprint('\\u202e24')\n```"],
      },
    ],
  });
  await solve('The huge error problem');
  const error = page.getByTestId('program-result').getByTestId('program-error');
  await expect(error).toContainText('ValueError: yyy');
  await expect(error).toContainText(/\(cut here: 8,000,\d{3} characters in all\)/);
  expect(((await error.textContent()) ?? '').length).toBeLessThan(5000);
  // the answer's sentence quotes the error's last line, one unbroken run of letters: it wraps
  const width = page.viewportSize()?.width ?? 0;
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    width,
  );
  // History keeps the cut message, not 8 MB
  const kept = JSON.stringify((await storage(page)).history[0]);
  expect(kept.length).toBeLessThan(50_000);

  await solve('The reordered problem');
  // U+202E would show "24" as "42": it is written out, and the answer is the 24 a person reads
  await expect(page.getByTestId('program-result').getByTestId('program-output')).toHaveText(
    '[U+202E]24',
  );
  await expect(page.getByTestId('program-answer')).toHaveText('24');
  expect(errors).toEqual([]);
});
