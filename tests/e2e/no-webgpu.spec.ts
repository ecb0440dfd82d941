// A browser without WebGPU: one explanation, the server engine chosen, the in-browser choice
// disabled with its reason, no model download on offer, and no control that does nothing.
import { expect, test, type Page } from '@playwright/test';
import { connectMock, withoutWebGpu } from './helpers';

test.use({ launchOptions: withoutWebGpu });

/** Enabled buttons and inputs a person can press, by a selector that finds each again. */
function pressable(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const visible = (el: Element) => el.getClientRects().length > 0;
    return (
      [
        ...document.querySelectorAll<HTMLButtonElement | HTMLInputElement>(
          'main button, main input[type=checkbox], main input[type=radio], main summary',
        ),
      ]
        // a radio already chosen is not an action
        .filter(
          (el) =>
            visible(el) && !(el as HTMLInputElement).disabled && !(el as HTMLInputElement).checked,
        )
        .map((el, i) => {
          el.dataset.pressable = String(i);
          return `[data-pressable="${i}"]`;
        })
    );
  });
}

/** What a press can change: the page's text and controls, which element has focus. */
function pageState(page: Page): Promise<string> {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll('input, select, textarea, details')].map((el) =>
      el instanceof HTMLDetailsElement
        ? String(el.open)
        : el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')
          ? String(el.checked)
          : (el as HTMLInputElement).value,
    );
    return JSON.stringify([
      document.querySelector('main')?.innerText,
      controls,
      document.activeElement?.id || document.activeElement?.tagName,
    ]);
  });
}

test('explains once, preselects the server and offers no download', async ({ page }) => {
  await page.goto('/');
  const callout = page.getByTestId('no-webgpu');
  await expect(callout).toContainText('This browser cannot run models itself.');
  await expect(callout).toContainText(/Chrome|Edge/);
  await expect(page.getByText(/WebGPU is (missing|present)/)).toHaveCount(0);
  await expect(page.getByLabel('On a server')).toBeChecked();
  const inBrowser = page.getByRole('radio', { name: 'In this browser' });
  await expect(inBrowser).toBeDisabled();
  // the same words as This device: one fact, one wording
  await expect(inBrowser).toHaveAccessibleDescription(
    'this browser cannot run models itself (see This device)',
  );
  await expect(page.getByTestId('storage-no-webgpu')).toContainText(
    'This browser cannot run models itself (see This device)',
  );
  await expect(page.getByRole('button', { name: 'Load model' })).toHaveCount(0);
  await expect(page.getByTestId('download-button')).toHaveCount(0);
  await expect(page.getByTestId('storage-no-webgpu')).toBeVisible();
  // nothing can be downloaded here, so nothing is said about keeping downloads
  await expect(page.getByTestId('storage-persisted')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Solve' })).toHaveAccessibleDescription(
    'Load a model or connect to a server first.',
  );

  await page.getByRole('button', { name: 'Set up a server' }).click();
  await expect(page.getByLabel('Server URL')).toBeFocused();
  await connectMock(page);
  await expect(callout).toHaveAttribute('data-folded', 'true');
  await expect(callout.getByText('No WebGPU here: models run on your server')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Solve' })).not.toHaveAttribute('aria-describedby');
});

test('every control on the page does something, and every disabled one says why', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('no-webgpu')).toBeVisible();
  for (const selector of await pressable(page)) {
    const control = page.locator(selector);
    if (!(await control.isVisible()) || (await control.isDisabled())) continue;
    const name = (await control.getAttribute('aria-label')) ?? (await control.textContent());
    const before = await pageState(page);
    await control.click();
    await expect
      .poll(() => pageState(page), { message: `pressing “${name?.trim()}” changed nothing` })
      .not.toBe(before);
  }
  const silent = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLButtonElement | HTMLInputElement>('main :disabled')]
      .filter((el) => {
        const why = el.getAttribute('aria-describedby');
        return !why || !document.getElementById(why)?.textContent.trim();
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
  expect(silent).toEqual([]);
});

test('the widget without WebGPU and without a server: Solve is disabled and the notice under it says why', async ({
  page,
}) => {
  await page.goto('/embed.html');
  await expect(page.getByTestId('widget-no-gpu')).toBeVisible();
  const solve = page.getByRole('button', { name: 'Solve' });
  await expect(solve).toBeDisabled();
  // the notice right under it is its description
  await expect(solve).toHaveAccessibleDescription(/^This browser cannot run the model itself\. /);
});
