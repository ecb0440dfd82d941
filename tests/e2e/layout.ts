// Every page at a 390 px phone and a 1280 px desktop: nothing wider than the viewport (no sideways
// scroll), nothing that jumps while it loads (layout shift under 0.05, as Lighthouse counts it),
// and a full-page screenshot of each in the test output for a person to look at.
// layout.spec.ts runs these with WebGPU, layout-no-webgpu.spec.ts without.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI, scriptEggs } from './helpers';

/**
 * The Solve screen with every column: the single answer, a Program result (the mock server
 * replies with a program) and a mixed ensemble, once all have finished.
 */
async function solvedWithProgram(page: Page): Promise<void> {
  await admin(mockOpenAI(), 'reset', {});
  await scriptEggs();
  await connectMock(page);
  await page.getByLabel('Also write a Python program and run it').check();
  await page.getByLabel('Also sample an ensemble and vote').check();
  await page.getByLabel('Samples at most (k)').fill('4');
  await page.getByLabel('Stop rule').selectOption('fixed');
  await page.getByLabel('What to sample').selectOption('both');
  await page
    .getByLabel('Word problem')
    .fill(
      'Janet’s ducks lay 16 eggs per day. She eats 3 and bakes with 4. She sells the rest at $2 each.',
    );
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.getByTestId('answer')).toBeVisible({ timeout: 150_000 });
  // one program card open, to show its program and output
  await page.locator('[data-testid="sample"][data-kind="program"] summary').first().click();
}

const pages: { name: string; path: string; prepare?: (page: Page) => Promise<void> }[] = [
  { name: 'solve', path: '/' },
  { name: 'solve-program', path: '/', prepare: solvedWithProgram },
  { name: 'bench', path: '/#bench' },
  { name: 'embed', path: '/#embed' },
  { name: 'widget', path: '/embed.html' },
];
export const sizes = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

/** The page once what loads late is in: the device probe on the app, the widget's first status. */
async function settled(page: Page, name: string): Promise<void> {
  if (name === 'widget') {
    await expect(page.getByTestId('widget-source')).not.toHaveAttribute(
      'data-availability',
      'checking',
    );
  } else if (name === 'embed') {
    // the preview takes the height its widget reports once the widget knows what it shows
    await expect(
      page.frameLocator('[data-testid="embed-preview"]').getByTestId('widget-source'),
    ).not.toHaveAttribute('data-availability', 'checking');
    await expect(page.getByTestId('embed-preview')).toHaveAttribute('style', /height/);
  } else {
    await expect(page.getByTestId('device-panel').getByText('Checking WebGPU…')).toHaveCount(0);
  }
}

/** Elements whose right edge passes the viewport's, for the failure message. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
  });
}

/** Asserts the page scrolls no wider than its viewport, naming what passes its edge. */
export async function expectFits(page: Page, viewportWidth: number): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width, `too wide: ${(await overflowing(page)).join(', ')}`).toBeLessThanOrEqual(
    viewportWidth,
  );
}

/** Asserts nothing inside `box` reaches past its right edge (text, buttons, fields). */
export async function expectInside(box: Locator): Promise<void> {
  const outside = await box.evaluate((root) => {
    const edge = root.getBoundingClientRect().right + 0.5;
    return [...root.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > edge)
      .map((el) => `${el.tagName.toLowerCase()} "${el.textContent.slice(0, 40)}"`);
  });
  expect(outside, 'wider than its box').toEqual([]);
}

/** Declares one test per page and size; `variant` names the screenshots. */
export function layoutTests(variant: string): void {
  for (const size of sizes) {
    for (const target of pages) {
      test(`${target.name} at ${size.width}×${size.height} fits`, async ({ page }, testInfo) => {
        if (target.prepare) test.setTimeout(180_000);
        await page.setViewportSize({ width: size.width, height: size.height });
        await page.addInitScript(() => {
          const shifts = { total: 0 };
          Object.assign(window, { layoutShift: shifts });
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as (PerformanceEntry & {
              value: number;
              hadRecentInput: boolean;
            })[]) {
              if (!entry.hadRecentInput) shifts.total += entry.value;
            }
          }).observe({ type: 'layout-shift', buffered: true });
        });
        await page.goto(target.path);
        await settled(page, target.name);
        // what moved while the page loaded, before anything a test does to it
        const shift = await page.evaluate(
          () => (window as unknown as { layoutShift: { total: number } }).layoutShift.total,
        );
        await target.prepare?.(page);
        const shot = testInfo.outputPath(`${target.name}-${size.name}-${variant}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        await testInfo.attach(target.name, { path: shot, contentType: 'image/png' });
        await expectFits(page, size.width);
        expect(shift, 'layout shift while loading').toBeLessThan(0.05);
      });
    }
  }
}
