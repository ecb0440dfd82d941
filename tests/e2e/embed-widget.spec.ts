// The widget on another site: one script tag on 127.0.0.1 embeds Tally from localhost, solves
// through the mock server, reports to the host; strangers' and malformed messages are ignored.
import { expect, test, type Frame, type Page } from '@playwright/test';
import { servePages, type PageServer } from './fixtures/servers';
import { admin, mockOpenAI, trackErrors } from './helpers';

const question =
  'Janet’s ducks lay 16 eggs per day. She eats three and bakes with four. She sells the rest for $2 each. How much does she make?';
const solution =
  'Janet has 16 - 3 - 4 = 9 eggs left. She makes 9 * 2 = 18 dollars a day. The answer is \\boxed{18}.';

/** A course page on another site: the one-line embed, plus a frame from a third origin. */
function coursePage(widgetOrigin: string, third: string, attrs: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Course page</title></head>
<body>
  <h1>Week 3: rates</h1>
  <script>
    window.tally = [];
    window.raw = [];
    for (const t of ['ready', 'status', 'progress', 'result', 'error', 'resize']) {
      document.addEventListener('tally-' + t, (e) => window.tally.push(e.detail));
    }
    addEventListener('message', (e) => window.raw.push({ origin: e.origin, type: e.data && e.data.type }));
  </script>
  <script src="${widgetOrigin}/embed.js" ${attrs}></script>
  <iframe id="third" src="${third}/third.html" title="someone else"></iframe>
</body></html>`;
}

/** A page from a third origin: it tries to drive the widget and records what reaches it. */
const thirdPage = `<!doctype html><html><body><script>
  window.got = [];
  addEventListener('message', (e) => window.got.push({ origin: e.origin, data: e.data }));
  window.attack = (question) => {
    const widget = parent.frames[0];
    const m = { protocol: 'tally-embed', v: 1 };
    widget.postMessage({ ...m, type: 'solve', id: 'evil', question }, '*');
    widget.postMessage({ ...m, type: 'configure', options: { question, autorun: true } }, '*');
  };
</script></body></html>`;

let host: PageServer;
let third: PageServer;

test.beforeAll(async () => {
  third = await servePages({ '/third.html': thirdPage });
  host = await servePages({});
});

test.afterAll(async () => {
  await Promise.all([host.close(), third.close()]);
});

test.beforeEach(async () => {
  await admin(mockOpenAI(), 'reset', {});
});

interface TallyEvent {
  type: string;
  [key: string]: unknown;
}

async function openCourse(page: Page, widgetOrigin: string, attrs: string): Promise<Frame> {
  const path = `/course-${Date.now()}.html`;
  host.pages[path] = coursePage(widgetOrigin, third.origin, attrs);
  await page.goto(`${host.origin}${path}`);
  const frame = page.frames().find((f) => f.url().startsWith(`${widgetOrigin}/embed.html`));
  if (!frame) throw new Error('the widget iframe did not appear');
  return frame;
}

function events(page: Page): Promise<TallyEvent[]> {
  return page.evaluate(() => (window as unknown as { tally: TallyEvent[] }).tally);
}

test('one script tag embeds the widget on another site; it solves and the host gets the result', async ({
  page,
  baseURL,
}) => {
  const widgetOrigin = new URL(baseURL ?? '').origin;
  const errors = trackErrors(page);
  // Every frame records content-security-policy violations from its first script on.
  await page.addInitScript(() => {
    const seen: string[] = [];
    Object.assign(window, { violations: seen });
    document.addEventListener('securitypolicyviolation', (e) => {
      seen.push(`${e.effectiveDirective} ${e.blockedURI}`);
    });
  });
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'ducks', outputs: [solution] }] });
  const frame = await openCourse(
    page,
    widgetOrigin,
    `data-question="${question}" data-mode="single" data-server-url="${mockOpenAI()}/v1" data-server-model="mock-math" data-autorun`,
  );
  const widget = page.frameLocator('iframe[title^="Tally"]');
  await expect(widget.getByTestId('widget-answer')).toHaveText('18');
  await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('result');
  const all = await events(page);
  expect(all.find((e) => e.type === 'ready')).toMatchObject({ version: expect.any(String) });
  // Configured for the server; this browser keeps no storage for cross-site frames.
  expect(all.filter((e) => e.type === 'status').at(-1)).toMatchObject({
    engine: 'openai',
    storage: 'blocked',
    availability: 'server',
  });
  const result = all.find((e) => e.type === 'result');
  expect(result).toMatchObject({
    question,
    mode: 'single',
    answer: '18',
    votes: { '18': 1 },
    agreement: 1,
    samples: 1,
  });
  expect(all.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
  // Every message the host heard came from the widget's origin.
  const raw = await page.evaluate(() => (window as unknown as { raw: { origin: string }[] }).raw);
  expect(raw.length).toBeGreaterThan(0);
  expect(new Set(raw.map((m) => m.origin))).toEqual(new Set([widgetOrigin]));
  // The iframe follows the widget's height (compared afresh each time: rendering may still grow it).
  const gap = async () => {
    const inner = await frame.evaluate(() =>
      Math.ceil(
        document.querySelector('[data-testid="widget"]')?.getBoundingClientRect().height ?? 0,
      ),
    );
    const outer = await page
      .locator('iframe[title^="Tally"]')
      .evaluate((el) => el.getBoundingClientRect().height);
    return inner > 0 ? outer - inner : NaN;
  };
  await expect.poll(gap).toBe(0);
  await expect(widget.getByTestId('widget-parent')).toHaveText(host.origin);
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests).toHaveLength(1);
  // The widget ran under its own policy on another site without breaking it.
  expect(
    await frame.evaluate(() => (window as unknown as { violations: string[] }).violations),
  ).toEqual([]);
  expect(errors).toEqual([]);
});

test('an ensemble in the widget: the host gets the vote and the agreement', async ({
  page,
  baseURL,
}) => {
  const widgetOrigin = new URL(baseURL ?? '').origin;
  const answers = ['12', '13', '14'];
  await admin(mockOpenAI(), 'script', {
    replies: [{ match: 'apples', outputs: answers.map((a) => `So the answer is \\boxed{${a}}.`) }],
  });
  await openCourse(
    page,
    widgetOrigin,
    `data-question="Tom has some apples. How many?" data-mode="ensemble" data-k="3" data-server-url="${mockOpenAI()}/v1" data-server-model="mock-math" data-autorun`,
  );
  const widget = page.frameLocator('iframe[title^="Tally"]');
  await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('result');
  const result = (await events(page)).find((e) => e.type === 'result');
  // Three different answers: each got one vote, and none settled the vote early.
  expect(result).toMatchObject({
    mode: 'ensemble',
    votes: { '12': 1, '13': 1, '14': 1 },
    samples: 3,
  });
  expect(result?.agreement).toBeCloseTo(1 / 3);
  expect(answers).toContain(result?.answer);
  await expect(widget.getByTestId('widget-answer')).toHaveText(String(result?.answer));
  // in the words of the app's vote: the chosen answer's count, then the others'
  const others = answers.filter((a) => a !== result?.answer).map((a) => `${a} (1 sample)`);
  await expect(widget.getByTestId('widget-vote')).toHaveText(
    `1 of 3 samples said ${String(result?.answer)}. Other answers: ${others.join(', ')}.`,
  );
  const progress = (await events(page)).filter((e) => e.type === 'progress' && e.stage === 'solve');
  expect(progress.map((e) => e.text)).toContain('Sample 3 of up to 3');
  // the widget shows no verifier: the three samples are all it asks for
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests).toHaveLength(3);
});

test('messages from a third origin and malformed ones are ignored and counted', async ({
  page,
  baseURL,
}) => {
  const widgetOrigin = new URL(baseURL ?? '').origin;
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'ducks', outputs: [solution] }] });
  await openCourse(
    page,
    widgetOrigin,
    `data-question="${question}" data-server-url="${mockOpenAI()}/v1" data-server-model="mock-math"`,
  );
  const widget = page.frameLocator('iframe[title^="Tally"]');
  await expect.poll(async () => (await events(page)).map((e) => e.type)).toContain('ready');
  await expect(widget.getByTestId('ignored-count')).toHaveText('0');

  // A third origin tries to solve and to reconfigure the widget.
  const thirdFrame = page.frames().find((f) => f.url().startsWith(third.origin));
  if (!thirdFrame) throw new Error('no third-origin frame');
  await thirdFrame.evaluate(() => {
    (window as unknown as { attack: (q: string) => void }).attack('What is 6 times 7?');
  });
  await expect(widget.getByTestId('ignored-count')).toHaveText('2');
  await expect(widget.getByTestId('ignored-count')).toHaveAttribute('data-last', 'not-parent');

  // The real parent sends junk: not the protocol, a wrong field type, no envelope.
  await page.evaluate((origin) => {
    const w = document.querySelector('iframe')?.contentWindow;
    w?.postMessage('hello', origin);
    w?.postMessage({ protocol: 'tally-embed', v: 1, type: 'solve', id: 'x', question: 42 }, origin);
    w?.postMessage({ type: 'solve', id: 'y', question: 'What is 1 + 1?' }, origin);
  }, widgetOrigin);
  await expect(widget.getByTestId('ignored-count')).toHaveText('5');
  await expect(widget.getByTestId('ignored-count')).toHaveAttribute('data-last', 'malformed');

  // None of it ran anything, and the question shown is still the page's own.
  await expect(widget.getByLabel('Word problem')).toHaveValue(question);
  const stats = (await admin(mockOpenAI(), 'stats')) as { requests: unknown[] };
  expect(stats.requests).toHaveLength(0);

  // A valid request from the parent still works, and its answer goes to the parent only.
  await page.locator('iframe[title^="Tally"]').evaluate((el) => {
    el.dispatchEvent(
      new CustomEvent('tally-solve', {
        detail: {
          id: 'q1',
          question: (el.previousElementSibling as HTMLScriptElement).dataset.question,
        },
      }),
    );
  });
  await expect
    .poll(async () => (await events(page)).find((e) => e.type === 'result')?.id)
    .toBe('q1');
  await expect(widget.getByTestId('ignored-count')).toHaveText('5');
  const got = await thirdFrame.evaluate(() => (window as unknown as { got: unknown[] }).got);
  expect(got).toEqual([]);
});

test('the widget posts to its parent’s origin only, never to "*"', async ({ page }) => {
  // In the app's embed page the preview's parent is same-origin, so the parent's own postMessage
  // (wrapped here before any script runs) is the one the widget calls: its target is recorded.
  await page.addInitScript(() => {
    const posts: { target: unknown; type: unknown }[] = [];
    const original = window.postMessage.bind(window);
    Object.assign(window, { posts });
    window.postMessage = ((message: unknown, target: unknown, transfer?: Transferable[]) => {
      posts.push({ target, type: (message as { type?: unknown } | null)?.type });
      if (typeof target === 'string') original(message, target, transfer);
      else original(message, target as WindowPostMessageOptions);
    }) as typeof window.postMessage;
  });
  await page.goto('/#embed');
  const preview = page.frameLocator('[data-testid="embed-preview"]');
  await expect(preview.getByTestId('widget')).toBeVisible();
  await expect(preview.getByTestId('widget-parent')).toHaveText(new URL(page.url()).origin);
  await expect
    .poll(async () =>
      page.evaluate(() => (window as unknown as { posts: { type: unknown }[] }).posts.length),
    )
    .toBeGreaterThan(0);
  const posts = await page.evaluate(
    () => (window as unknown as { posts: { target: unknown; type: unknown }[] }).posts,
  );
  const origin = new URL(page.url()).origin;
  expect(posts.map((p) => p.type)).toContain('ready');
  expect(posts.map((p) => p.type)).toContain('resize');
  for (const p of posts) expect(p.target).toBe(origin);
});

test('the embed page shows a snippet to copy and a live preview', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/');
  await page.getByRole('link', { name: 'Embed' }).click();
  await expect(page.getByTestId('embed-page')).toBeVisible();
  const origin = new URL(page.url()).origin;
  await page.getByLabel('Problem shown in the widget').fill('Is 2 < 3 & "true"?');
  await page
    .getByTestId('embed-page')
    .getByRole('combobox', { name: /^Mode/ })
    .selectOption('ensemble');
  const snippet = page.getByTestId('snippet-script');
  await expect(snippet).toHaveText(
    `<script src="${origin}/embed.js" data-question="Is 2 &lt; 3 &amp; &quot;true&quot;?" data-mode="ensemble" data-k="5"></script>`,
  );
  await page.getByRole('button', { name: 'Copy' }).first().click();
  await expect(page.getByText('Copied')).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    await snippet.textContent(),
  );
  await page.getByRole('button', { name: 'Update preview' }).click();
  const preview = page.frameLocator('[data-testid="embed-preview"]');
  await expect(preview.getByLabel('Word problem')).toHaveValue('Is 2 < 3 & "true"?');
  await expect(preview.getByLabel('Mode')).toHaveValue('ensemble');
  await expect(page.getByRole('heading', { name: 'Talking to the widget' })).toBeVisible();
});

test('a 100 KB one-line reply streams into the widget as into the app: a few renders a second, whole at the end, within a phone', async ({
  page,
}) => {
  const errors = trackErrors(page);
  await page.setViewportSize({ width: 390, height: 844 });
  // Every time the widget's solution is replaced on screen, from its first script on.
  await page.addInitScript(() => {
    const renders: number[] = [];
    Object.assign(window, { renders });
    new MutationObserver((records) => {
      const solution = (n: Node) => n instanceof Element && n.closest('.working .rendered');
      if (records.some((r) => solution(r.target))) renders.push(performance.now());
    }).observe(document, { childList: true, subtree: true });
  });
  // one line, about 100,000 characters in 300 pieces, 10 ms apart: about 3 s of streaming
  const reply = `${`${'x'.repeat(330)} `.repeat(300)}So 4 + 4 = 8.`;
  await admin(mockOpenAI(), 'script', { fallback: reply, chunkDelayMs: 10 });
  const query = new URLSearchParams({
    question: 'How many?',
    mode: 'single',
    server: `${mockOpenAI()}/v1`,
    'server-model': 'mock-math',
  });
  await page.goto(`/embed.html?${query.toString()}&autorun`);
  await expect(page.getByTestId('widget-answer')).toHaveText('8', { timeout: 30_000 });
  const result = page.getByTestId('widget-result');
  await expect(result.locator('.render-notice')).toHaveText(
    /^Shown as plain text: this solution has 99,313 characters/,
  );
  const blocks = result.locator('.plain > div');
  await expect(blocks.last()).toHaveText(/So 4 \+ 4 = 8\.$/);
  await expect(blocks.last()).toHaveCSS('content-visibility', 'auto');
  // Like the app's (rendered.svelte's `live`), a streaming solution is rendered again at most
  // every 250 ms: n renders span at least (n - 2) × 250 ms, one more for the render at the end.
  // (It rendered after every piece: 274 renders of this reply, where this allows 19.)
  const renders = await page.evaluate(() => (window as unknown as { renders: number[] }).renders);
  const span = (renders.at(-1) ?? 0) - (renders[0] ?? 0);
  expect(renders.length).toBeLessThanOrEqual(Math.floor(span / 250) + 3);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  expect(errors).toEqual([]);
});
