// Shared steps for end-to-end specs: fixture server origins, errors the page must not raise.
import { expect, type LaunchOptions, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { problems, problemsText } from '../data/problems';

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

/** Switches the page to the server engine and connects to the mock OpenAI server. */
export async function connectMock(page: Page, model = 'mock-math'): Promise<void> {
  await page.getByLabel('On a server').check();
  await page.getByLabel('Server URL').fill(`${mockOpenAI()}/v1`);
  await page.getByLabel('Model name').fill(model);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(page.getByTestId('engine-ready')).toBeVisible();
}

/**
 * A GSM8K URL for the benchmark page that the fixture server answers with Tally's problem set
 * (tests/data), `query` choosing its faults; the fragment states that file's digest and lines.
 */
export function fixtureGsm8kUrl(query = ''): string {
  const sha256 = createHash('sha256').update(problemsText).digest('hex');
  return `${modelServer()}/data/problems.jsonl${query}#sha256=${sha256}&lines=${problems.length}`;
}

/** On the benchmark page: types the fixture's URL as the download source and asks for GSM8K. */
export async function downloadFixtureGsm8k(page: Page, query = ''): Promise<void> {
  const source = page.getByLabel('GSM8K URL');
  if (!(await source.isVisible())) await page.getByText('Download source').click();
  await source.fill(fixtureGsm8kUrl(query));
  await page.getByRole('button', { name: 'Use the GSM8K test split' }).click();
}
