// Shared steps for end-to-end specs: fixture server origins, errors the page must not raise.
import {
  chromium,
  expect,
  type BrowserContext,
  type LaunchOptions,
  type Page,
} from '@playwright/test';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { problems, problemsText, setFiles } from '../data/problems';

/** Launch options for a Chromium with WebGPU turned off: `test.use({ launchOptions: withoutWebGpu })`. */
export const withoutWebGpu: LaunchOptions = {
  executablePath: findChromium(),
  args: [
    ...chromiumArgs.filter((a) => a !== '--enable-unsafe-webgpu'),
    '--disable-features=WebGPU',
  ],
};

export function modelServer(): string {
  const origin = process.env.TALLY_MODEL_SERVER;
  if (!origin) throw new Error('TALLY_MODEL_SERVER unset: run through playwright.config.ts');
  return origin;
}

export function mockOpenAI(): string {
  const origin = process.env.TALLY_MOCK_OPENAI;
  if (!origin) throw new Error('TALLY_MOCK_OPENAI unset: run through playwright.config.ts');
  return origin;
}

/** Collects uncaught page errors; assert with `expect(errors).toEqual([])` at the end. */
export function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

/** Posts to a fixture server's admin endpoint. */
export async function admin(origin: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${origin}/__admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.ok).toBe(true);
  return response.json();
}

/**
 * Scripts the mock OpenAI server for Janet's eggs: a Python program when Tally asks for one, a
 * prose solution otherwise, both coming to 18; `fallback` answers any other problem.
 */
export async function scriptEggs(fallback?: string): Promise<void> {
  await admin(mockOpenAI(), 'script', {
    replies: [
      {
        match: 'eggs',
        system: 'programs',
        outputs: [
          'Let me compute it.\n```python\ndef solution():\n    eggs_left = 16 - 3 - 4  # eaten, baked\n    return eggs_left * 2\n\nprint(f"She makes ${solution()} a day")\n```',
        ],
      },
      {
        match: 'eggs',
        outputs: ['She sells 16 - 3 - 4 = 9 eggs for 9 * 2 = 18 dollars. \\boxed{18}'],
      },
    ],
    ...(fallback === undefined ? {} : { fallback }),
  });
}

/** Switches the page to the server engine and connects to the mock OpenAI server. */
export async function connectMock(page: Page, model = 'mock-math'): Promise<void> {
  await page.getByLabel('On a server').check();
  await page.getByLabel('Server URL').fill(`${mockOpenAI()}/v1`);
  await page.getByLabel('Model name').fill(model);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('engine-ready')).toBeVisible();
}

/** The files the fixture server serves as published sets, each in that set's shape (tests/data). */
export const fixtureFiles = {
  gsm8k: { file: 'problems.jsonl', text: problemsText, records: problems.length },
  'gsm-hard': { file: 'gsm-hard.jsonl', text: setFiles['gsm-hard'], records: 8 },
  svamp: { file: 'svamp.json', text: setFiles.svamp, records: 6 },
} as const;

export type FixtureSet = keyof typeof fixtureFiles;

/**
 * A URL for a published set that the fixture server answers with Tally's own file in that set's
 * shape (tests/data), `query` choosing its faults; the fragment states that file's digest and count.
 */
export function fixtureUrl(set: FixtureSet, query = ''): string {
  const { file, text, records } = fixtureFiles[set];
  const sha256 = createHash('sha256').update(text).digest('hex');
  return `${modelServer()}/data/${file}${query}#sha256=${sha256}&records=${records}`;
}

/** The names the page gives each set: its option and URL field. */
const setNames: Record<FixtureSet, { name: string; short: string }> = {
  gsm8k: { name: 'GSM8K test', short: 'GSM8K' },
  'gsm-hard': { name: 'GSM-Hard', short: 'GSM-Hard' },
  svamp: { name: 'SVAMP', short: 'SVAMP' },
};

/** On the benchmark page: chooses `set`, types the fixture's URL as its source, and asks for it. */
export async function downloadFixture(page: Page, set: FixtureSet, query = ''): Promise<void> {
  await page.getByLabel('Published set').selectOption(set);
  const { name, short } = setNames[set];
  const source = page.getByLabel(`${short} URL`);
  if (!(await source.isVisible())) await page.getByText('Download source').click();
  await source.fill(fixtureUrl(set, query));
  await page.getByRole('button', { name: `Use ${name}` }).click();
}

/**
 * A browser in a profile of its own, where Chromium offers to install the app (it never does in
 * an incognito profile, Playwright's default), on the app's page once its service worker is ready.
 * `close` ends it and removes the profile.
 */
export async function installablePage(
  baseURL: string | undefined,
  viewport?: { width: number; height: number },
): Promise<{ page: Page; context: BrowserContext; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'tally-install-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: findChromium(),
    args: chromiumArgs,
    baseURL,
    ...(viewport ? { viewport } : {}),
  });
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto('/');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
  return {
    page,
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
