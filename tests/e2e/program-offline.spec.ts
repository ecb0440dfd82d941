// Must show 5: after one use of the program path, it works with the network off. The service
// worker keeps Pyodide (`tally-pyodide`) on first use; offline, a new page starts a new sandbox
// from that cache. With the network off no server is reachable, so the model's replies come from
// this test (Playwright answers the page's requests to the mock server's address), as a model
// running on the person's own machine would.
import { expect, test, type BrowserContext } from '@playwright/test';
import { admin, connectMock, mockOpenAI, trackErrors } from './helpers';

const question = 'Janet sells the eggs left: 16 - 3 - 4, at $2 each. How much?';
const program = '```python\neggs = 16 - 3 - 4\nprint(eggs * 2)\n```';
const prose = 'She sells 9 eggs and makes 9 * 2 = 18 dollars. The answer is \\boxed{18}.';

/** One streamed chat completion, the way an OpenAI-compatible server sends it. */
function completion(text: string): string {
  const chunk = (delta: object, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'offline',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'mock-math',
      choices: [{ index: 0, delta, finish_reason: finish }],
    })}\n\n`;
  return `${chunk({ role: 'assistant', content: text }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`;
}

/** Answers the mock server's address from this test: models, and prose or program replies. */
async function answerLocally(context: BrowserContext): Promise<void> {
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type',
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  };
  await context.route(`${mockOpenAI()}/**`, async (route) => {
    const request = route.request();
    if (request.method() === 'OPTIONS') {
      await route.fulfill({ status: 204, headers: cors });
    } else if (request.url().endsWith('/v1/models')) {
      await route.fulfill({
        headers: cors,
        json: { object: 'list', data: [{ id: 'mock-math', object: 'model' }] },
      });
    } else {
      const body = request.postData() ?? '';
      await route.fulfill({
        headers: { ...cors, 'Content-Type': 'text/event-stream' },
        body: completion(body.includes('programs') ? program : prose),
      });
    }
  });
}

test('after one use, the program path works with the network off', async ({ page, context }) => {
  test.setTimeout(240_000);
  const errors = trackErrors(page);
  await admin(mockOpenAI(), 'reset', {});
  await admin(mockOpenAI(), 'script', {
    replies: [
      { match: 'eggs', system: 'programs', outputs: [program] },
      { match: 'eggs', outputs: [prose] },
    ],
  });
  await page.goto('/');
  await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 60_000 });
  // the service worker controls the page from its next load on
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await connectMock(page);
  await page.getByLabel('Also write a Python program and run it').check();
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('program-answer')).toHaveText('18', { timeout: 120_000 });
  const kept = await page.evaluate(async () => {
    const cache = await caches.open('tally-pyodide');
    return (await cache.keys()).map((r) => new URL(r.url).pathname.split('/').at(-1)).sort();
  });
  expect(kept).toEqual(
    expect.arrayContaining(['pyodide-lock.json', 'pyodide.asm.js', 'pyodide.asm.wasm']),
  );

  // Network off: the app and Python come from the service worker's caches
  await context.setOffline(true);
  await answerLocally(context);
  await page.reload();
  await expect(page.getByLabel('Also write a Python program and run it')).toBeChecked();
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('engine-ready')).toBeVisible();
  await page.getByLabel('Word problem').fill(question);
  await page.getByRole('button', { name: 'Solve' }).click();
  const column = page.getByTestId('program-result');
  await expect(page.getByTestId('program-answer')).toHaveText('18', { timeout: 120_000 });
  await expect(column.getByTestId('program-output')).toHaveText('18');
  await expect(page.getByTestId('story')).toHaveText(
    'The single call and the program both say 18.',
  );
  expect(errors).toEqual([]);
});
