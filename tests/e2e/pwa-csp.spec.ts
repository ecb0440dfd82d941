// The built app under its content security policy: a whole session (server solve with KaTeX, a
// web-llm load, the embed page and its widget) raises no violation; an inline script is refused.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, mockOpenAI, modelServer } from './helpers';

interface Violation {
  directive: string;
  blocked: string;
  where: string;
}

/** Records every CSP violation in every frame, from before the page's own scripts run. */
async function watchViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const seen: Violation[] = [];
    Object.assign(window, { violations: seen });
    document.addEventListener('securitypolicyviolation', (e) => {
      const v = { directive: e.effectiveDirective, blocked: e.blockedURI, where: location.href };
      seen.push(v);
      // a frame's violations are reported to the top page too, when it is the same origin
      try {
        if (window.top !== window)
          (window.top as unknown as { violations?: Violation[] }).violations?.push(v);
      } catch {
        // a cross-origin top: the frame keeps its own list
      }
    });
  });
}

function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(() => (window as unknown as { violations: Violation[] }).violations);
}

const latex =
  'Each box holds $\\frac{24}{4} = 6$ muffins.\n\n$$6 \\times 4 = 24$$\n\nThe answer is \\boxed{6}.';

test('a whole session under the policy raises no violation', async ({ page }) => {
  await watchViolations(page);
  await admin(mockOpenAI(), 'reset', {});
  await admin(mockOpenAI(), 'script', { replies: [{ match: 'muffins', outputs: [latex] }] });
  const response = await page.goto('/');
  const header = response?.headers()['content-security-policy'] ?? '';
  expect(header).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(header).toContain("frame-ancestors 'self'");
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveAttribute(
    'content',
    /object-src 'none'/,
  );
  await expect(page.getByTestId('adapter')).toBeVisible();

  // A server solve whose solution KaTeX renders (its HTML carries style attributes).
  await connectMock(page);
  await page.getByLabel('Word problem').fill('A baker packs 24 muffins in boxes of 4.');
  await page.getByRole('button', { name: 'Solve' }).click();
  await expect(page.locator('.katex').first()).toBeVisible();
  await expect(page.getByTestId('final-answer')).toHaveText('6');

  // web-llm in its worker: fetches from the model server and compiles the (invalid) library.
  const fixture = (await admin(modelServer(), 'model', { id: `csp-${Date.now()}`, shards: 1 })) as {
    modelUrl: string;
    libUrl: string;
  };
  await page.getByRole('radio', { name: 'In this browser' }).check();
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption('custom');
  await page.getByLabel('Model folder URL').fill(fixture.modelUrl);
  await page.getByLabel('Library URL (.wasm)').fill(fixture.libUrl);
  await page.getByRole('button', { name: 'Load model' }).click();
  const failure = page.getByTestId('engine-error');
  await expect(failure).toHaveAttribute('data-code', 'model-lib-invalid', { timeout: 30_000 });
  // the library failed as not-WebAssembly, not because the policy refused to compile it
  await expect(failure).not.toContainText(/Content Security Policy|wasm-eval|unsafe-eval/i);

  // The embed page and its same-origin widget preview.
  await page.getByRole('link', { name: 'Embed' }).click();
  const preview = page.frameLocator('[data-testid="embed-preview"]');
  await expect(preview.getByTestId('widget')).toBeVisible();
  await expect(preview.getByTestId('widget-source')).not.toHaveAttribute(
    'data-availability',
    'checking',
  );

  expect(await violations(page)).toEqual([]);

  // The listener works: an injected inline script is refused and reported.
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true;';
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
  // (reported once by the header's policy and once by the meta tag's: both are enforced)
  const refused = await violations(page);
  expect(refused.length).toBeGreaterThan(0);
  expect(new Set(refused.map((v) => `${v.directive} ${v.blocked}`))).toEqual(
    new Set(['script-src-elem inline']),
  );
});

test('the widget page carries its own policy, which any site may frame by default', async ({
  request,
}) => {
  const response = await request.get('/embed.html');
  const csp = response.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("frame-src 'none'");
  expect(csp).not.toContain('frame-ancestors');
  const sw = await request.get('/sw.js');
  expect(sw.headers()['cache-control']).toBe('no-cache');
  const host = await request.get('/embed.js');
  expect(host.headers()['content-type']).toMatch(/javascript/);
  const code = await host.text();
  // one classic script: no module syntax, nothing from the app bundle
  expect(code).not.toMatch(/^\s*import[\s{]|\bexport\s/m);
  expect(code).toContain('tally-embed');
  expect(code.length).toBeLessThan(10_000);
});
