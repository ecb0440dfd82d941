// A browser without WebGPU: the page says so, says what to do, and offers the server engine.
import { expect, test } from '@playwright/test';
import { withoutWebGpu } from './helpers';

test.use({ launchOptions: withoutWebGpu });

test('explains that WebGPU is missing and offers a server', async ({ page }) => {
  await page.goto('/');
  const callout = page.getByTestId('no-webgpu');
  await expect(callout).toContainText('WebGPU is missing');
  await expect(callout).toContainText(/Chrome|Edge/);
  await expect(page.getByLabel('In this browser')).toBeDisabled();
  await callout.getByRole('button', { name: 'Use a server instead' }).click();
  await expect(page.getByLabel('Server URL')).toBeVisible();
});
