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

/** How many lines of text `el` takes on screen (its text's line boxes, counted by their tops). */
export function lineCount(el: Locator): Promise<number> {
  return el.evaluate((node) => {
    const range = document.createRange();
    range.selectNodeContents(node);
    const tops = [...range.getClientRects()].filter((r) => r.width > 0).map((r) => r.top);
    return new Set(tops.map((top) => Math.round(top))).size;
  });
}

/**
 * Asserts each fieldset's legend lies inside its fieldset's border, not on it: a legend drawn in
 * the border starts at the fieldset's own top edge, above the border line.
 */
export async function expectLegendsInside(root: Locator): Promise<void> {
  const outside = await root.locator('fieldset').evaluateAll((sets) =>
    sets.flatMap((set) => {
      const legend = set.querySelector(':scope > legend');
      if (!legend) return [];
      const box = set.getBoundingClientRect();
      const style = getComputedStyle(set);
      const inner = {
        top: box.top + parseFloat(style.borderTopWidth),
        left: box.left + parseFloat(style.borderLeftWidth),
        right: box.right - parseFloat(style.borderRightWidth),
        bottom: box.bottom - parseFloat(style.borderBottomWidth),
      };
      const l = legend.getBoundingClientRect();
      const inside =
        l.top >= inner.top - 0.5 &&
        l.left >= inner.left - 0.5 &&
        l.right <= inner.right + 0.5 &&
        l.bottom <= inner.bottom + 0.5;
      return inside ? [] : [legend.textContent.trim()];
    }),
  );
  expect(outside, 'legends on or outside their fieldset’s border').toEqual([]);
}

/**
 * Asserts every choice of every menu in `root` fits its menu: the text's width in the menu's font
 * is no more than the menu's inner width less its arrow (20 px).
 */
export async function expectMenusShowChoices(root: Locator): Promise<void> {
  const cut = await root.locator('select').evaluateAll((selects: HTMLSelectElement[]) => {
    const context = document.createElement('canvas').getContext('2d');
    if (!context) return ['no canvas'];
    return selects.flatMap((select) => {
      const style = getComputedStyle(select);
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room =
        select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
      return [...select.options]
        .filter((option) => context.measureText(option.text).width > room)
        .map((option) => `"${option.text}" in ${Math.round(room)} px`);
    });
  });
  expect(cut, 'menu choices cut').toEqual([]);
}

/** Asserts a text box shows all its text: nothing to scroll to. */
export async function expectAllLinesShown(box: Locator): Promise<void> {
  const { scroll, client } = await box.evaluate((el) => ({
    scroll: el.scrollHeight,
    client: el.clientHeight,
  }));
  expect(scroll, 'lines hidden below the box').toBeLessThanOrEqual(client);
}

/**
 * Asserts each source line of the code in `block` that wraps goes on to the right of where its own
 * text starts (after its indent), not at the block's left edge; and that at least one line wraps.
 */
export async function expectWrappedLinesIndented(block: Locator): Promise<void> {
  const { wrapped, flat } = await block.evaluate((root) => {
    // every character's box, in order, with the source line it belongs to
    const chars: { ch: string; line: number; rect: DOMRect | undefined }[] = [];
    let line = 0;
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        chars.push({ ch: text[i] ?? '', line, rect: range.getClientRects()[0] });
        if (text[i] === '\n') line += 1;
      }
    }
    let wrapped = 0;
    const flat: string[] = [];
    for (let n = 0; n <= line; n++) {
      const own = chars.filter((c) => c.line === n && c.ch.trim() !== '' && c.rect);
      const first = own[0]?.rect;
      if (!first) continue;
      const later = own.filter((c) => (c.rect?.top ?? 0) > first.top + first.height / 2);
      if (later.length === 0) continue;
      wrapped += 1;
      const start = Math.min(...later.map((c) => c.rect?.left ?? 0));
      if (start <= first.left + 0.5)
        flat.push(
          own
            .map((c) => c.ch)
            .join('')
            .slice(0, 40),
        );
    }
    return { wrapped, flat };
  });
  expect(wrapped, 'no line wraps, so nothing was checked').toBeGreaterThan(0);
  expect(flat, 'wrapped lines that go on at or left of their indent').toEqual([]);
}
