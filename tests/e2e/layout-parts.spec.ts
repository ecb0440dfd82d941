// What a person sees of the parts that used to wrap, cut or sit in the wrong place, at a 390 px
// phone and a 1280 px desktop: each part on one line, inside its box, showing all of its text,
// in the order a person needs it, and in plain words.
import { expect, test, type Page } from '@playwright/test';
import { admin, connectMock, installablePage, mockOpenAI } from './helpers';
import {
  expectAllLinesShown,
  expectInside,
  expectLegendsInside,
  expectMenusShowChoices,
  expectWrappedLinesIndented,
  lineCount,
  sizes,
} from './layout';

const longLine =
  '    eggs_left = 16 - 3 - 4  # the eggs she neither eats at breakfast nor bakes into muffins';
const program = `Let me compute it.\n\`\`\`python\ndef solution():\n${longLine}\n    return eggs_left * 2\n\nprint(solution())\n\`\`\``;

async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('device-panel').getByText('Checking WebGPU…')).toHaveCount(0);
}

for (const size of sizes) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: { width: size.width, height: size.height } });

    test('the Problem panel: counter on one line, switches inside their boxes, menus whole', async ({
      page,
    }) => {
      await page.goto('/');
      await settled(page);
      const problem = page.getByRole('region', { name: 'Problem' });
      await expect(page.locator('#question-count')).toHaveText('0 / 4,000');
      expect(await lineCount(page.locator('#question-count'))).toBe(1);
      // closed, each switch is one line with no box; open, it heads its box from inside
      await expectLegendsInside(problem);
      await page.getByLabel('Also write a Python program and run it').check();
      await page.getByLabel('Also sample an ensemble and vote').check();
      await expectLegendsInside(problem);
      for (const kind of ['beta', 'esc', 'fixed']) {
        await page.getByLabel('Stop rule').selectOption(kind);
        await expect(page.getByLabel('Stop rule')).toHaveAccessibleName(`Stop rule (${kind})`);
        await expectMenusShowChoices(problem);
      }
      await expectInside(problem);
    });

    test('the words: plain labels first, the technical term after them', async ({ page }) => {
      await page.goto('/');
      await settled(page);
      await page.getByLabel('Also sample an ensemble and vote').check();
      await expect(page.getByLabel('Likely words kept (top_p)')).toHaveValue('0.95');
      await expect(page.getByLabel('Sureness to stop (beta threshold)')).toHaveValue('0.95');
      await page.getByLabel('Stop rule').selectOption('esc');
      await expect(page.getByLabel('Agreeing in a row (ESC window)')).toHaveValue('4');
      await expect(page.getByLabel('Stop rule').locator('option')).toHaveText([
        'Once the lead is clear',
        'Once the last few agree',
        'After all k samples',
      ]);
      const device = page.getByTestId('device-panel');
      await expect(device.locator('dt')).toHaveText([
        'GPU',
        'Half-precision maths (shader-f16)',
        'Largest memory block (largest buffer)',
        'GPU memory',
      ]);
      await expect(page.getByTestId('shader-f16')).toHaveText(
        'no: models use their full-precision build (q4f32_1)',
      );
      // the Benchmark page's options say the same things in the same words
      await page.goto('/#bench');
      const options = page.locator('fieldset.options');
      await options.getByLabel('Ensemble (sample and vote)').check();
      await expect(options.getByLabel('Likely words kept (top_p)')).toHaveValue('0.95');
      await expect(options.getByLabel('Stop rule').locator('option')).toHaveText([
        'Once the lead is clear',
        'Once the last few agree',
        'After all k samples',
      ]);
      await expect(options.getByText('Ask the model to check each answer')).toContainText(
        '(one more call per distinct answer; needs a model that reports how sure it is)',
      );
      await expectMenusShowChoices(options);
      await expectInside(page.getByRole('region', { name: 'Benchmark' }));
    });

    test('on a phone the Model panel follows the problem; on a desktop it heads the side column', async ({
      page,
    }) => {
      await page.goto('/');
      await settled(page);
      await expect(page.getByTestId('storage-panel')).toBeVisible();
      const top = async (selector: string) =>
        (await page.locator(selector).boundingBox())?.y ?? Number.NaN;
      const problem = await top('section.solve');
      const model = await top('#engine-panel');
      const history = await top('[data-testid="history"]');
      const device = await top('[data-testid="device-panel"]');
      const storage = await top('[data-testid="storage-panel"]');
      if (size.name === 'phone') {
        // one column: the problem, the model, then history, the device and storage
        expect(problem).toBeLessThan(model);
        expect(model).toBeLessThan(history);
        expect(history).toBeLessThan(device);
        expect(device).toBeLessThan(storage);
      } else {
        // side by side: the model at the top left, beside the problem
        expect(model).toBe(problem);
        expect(model).toBeLessThan(device);
        expect(device).toBeLessThan(storage);
        expect(problem).toBeLessThan(history);
      }
    });

    test('a program line too long for its box goes on under its own indent', async ({ page }) => {
      await admin(mockOpenAI(), 'reset', {});
      await admin(mockOpenAI(), 'script', {
        replies: [{ match: 'eggs', system: 'programs', outputs: [program] }],
        fallback: 'She has 9 eggs: 9 * 2 = 18. \\boxed{18}',
      });
      await page.goto('/');
      await settled(page);
      await connectMock(page);
      await page.getByLabel('Also write a Python program and run it').check();
      await page.getByLabel('Word problem').fill('Janet’s ducks lay 16 eggs. How much?');
      await page.getByRole('button', { name: 'Solve' }).click();
      const code = page.getByTestId('program-code');
      await expect(code).toHaveText(/print\(solution\(\)\)/, { timeout: 30_000 });
      // copied, the program is as the model wrote it
      expect(await code.textContent()).toContain(longLine);
      await expectWrappedLinesIndented(code);
      await expectInside(page.getByRole('region', { name: 'Problem' }));
    });

    test('the Embed tab shows the whole example problem', async ({ page }) => {
      await page.goto('/#embed');
      const box = page.getByLabel('Problem shown in the widget');
      await expect(box).toHaveValue(/muffins/);
      await expectAllLinesShown(box);
      await box.fill((await box.inputValue()).repeat(2));
      await expectAllLinesShown(box);
      // (the message table below scrolls inside its own box)
      await expectInside(page.getByRole('region', { name: 'Embed Tally in your page' }));
    });

    test('the widget says its vote in the app’s words', async ({ page }) => {
      await admin(mockOpenAI(), 'reset', {});
      await admin(mockOpenAI(), 'script', {
        replies: [
          {
            match: 'apples',
            outputs: ['12', '12', '13'].map((a) => `So the answer is \\boxed{${a}}.`),
          },
        ],
      });
      const query = new URLSearchParams({
        question: 'Tom has some apples. How many?',
        mode: 'ensemble',
        k: '3',
        server: `${mockOpenAI()}/v1`,
        'server-model': 'mock-math',
      });
      await page.goto(`/embed.html?${query.toString()}&autorun`);
      await expect(page.getByTestId('widget-vote')).toHaveText(
        '2 of 3 samples said 12. Other answers: 13 (1 sample).',
        { timeout: 30_000 },
      );
      await expectInside(page.getByTestId('widget'));
    });

    test('Install app stays on one line', async ({ baseURL }) => {
      const { page, close } = await installablePage(baseURL, {
        width: size.width,
        height: size.height,
      });
      try {
        const install = page.getByTestId('install-button');
        await expect(install).toBeVisible();
        expect(await lineCount(install)).toBe(1);
        await expectInside(page.locator('header'));
      } finally {
        await close();
      }
    });
  });
}
