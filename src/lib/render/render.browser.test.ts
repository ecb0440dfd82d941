// Untrusted model output through the real render worker and DOMPurify, inserted into a real page.
import { afterEach, describe, expect, test } from 'vitest';
import { forgedPlaceholders } from '../../../tests/fixtures/hostile-replies';
import type { Mark } from './marks';
import { renderer } from './render';

declare global {
  interface Window {
    pwned?: boolean;
  }
}

const host = document.createElement('div');
document.body.append(host);
afterEach(() => {
  host.innerHTML = '';
  delete window.pwned;
});

async function show(text: string, marks: Mark[] = []): Promise<HTMLElement> {
  host.innerHTML = await renderer.render(text, marks);
  await new Promise((resolve) => setTimeout(resolve, 50));
  return host;
}

describe('rendering untrusted solutions', () => {
  test('a script tag is shown as text and never runs', async () => {
    const el = await show('Step 1 <script>window.pwned = true</script> so \\boxed{4}');
    expect(el.querySelector('script')).toBeNull();
    expect(el.textContent).toContain('<script>window.pwned = true</script>');
    expect(window.pwned).toBeUndefined();
  });

  test('img onerror and inline handlers never run', async () => {
    const el = await show(
      '<img src=x onerror="window.pwned = true"> and ![t](http://127.0.0.1:9/x.png)',
    );
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[onerror]')).toBeNull();
    expect(window.pwned).toBeUndefined();
  });

  test('javascript: links lose their href; web links open safely', async () => {
    const el = await show('[click](javascript:window.pwned=true) and [docs](https://example.com)');
    const links = [...el.querySelectorAll('a')];
    expect(links.map((a) => a.getAttribute('href'))).toEqual([null, 'https://example.com']);
    expect(links[1]?.rel).toContain('noopener');
    expect(el.innerHTML).not.toMatch(/javascript:/i);
  });

  test('KaTeX \\href with a javascript: URL is refused', async () => {
    const el = await show('$\\href{javascript:window.pwned=true}{x}$');
    expect(el.querySelector('a, [href]')).toBeNull();
    expect(el.textContent).toContain('\\href');
  });

  test('malformed LaTeX renders as inert text and the next render still works', async () => {
    const el = await show('Then \\(\\frac{1}{ \\) and $x^{$');
    expect(el.textContent).toContain('\\frac{1}{');
    const good = await show('So \\(\\frac{3}{4}\\) of it: \\boxed{18}');
    expect(good.querySelectorAll('.katex').length).toBe(2);
    expect(good.querySelector('math')?.textContent).toContain('3');
  });

  test('prices stay prices: "$5 and $6" is not math', async () => {
    const el = await show('She pays $5 and $6, so $11 in all.');
    expect(el.querySelector('.katex')).toBeNull();
    expect(el.textContent).toContain('$5 and $6, so $11');
  });

  test('markdown renders: bold, lists', async () => {
    const el = await show('**Step 1**\n\n- a\n- b');
    expect(el.querySelector('strong')?.textContent).toBe('Step 1');
    expect(el.querySelectorAll('li')).toHaveLength(2);
  });

  test("the renderer's placeholders in model text render as plain text", async () => {
    const el = await show(forgedPlaceholders);
    expect(el.querySelector('mark')).toBeNull();
    expect(el.querySelectorAll('.katex')).toHaveLength(2);
    expect(el.querySelector('a')?.title).toBe('\uFFFD0\uFFFD');
    expect(el.textContent).toContain('Pay \uFFFD0\uFFFD now: \uFFFDfake flag\uFFFD');
  });

  test('wrong arithmetic is highlighted from the marks passed beside the text', async () => {
    const el = await show('So 2 * 3 = 7.', [{ start: 3, end: 12 }]);
    expect(el.querySelector('mark.flag')?.textContent).toBe('2 * 3 = 7');
  });

  test('100 KB comes back as plain text with a notice, whole, in blocks', async () => {
    const text = `\n\nStart <b>x</b> $y$\n${'one line that goes on '.repeat(4_500)}\n\nThe answer is 6.`;
    const el = await show(text);
    expect(el.querySelector('.render-notice')?.textContent).toMatch(
      /Shown as plain text: .*characters/,
    );
    expect(el.querySelector('.katex, b')).toBeNull();
    const blocks = [...el.querySelectorAll('.plain > div')];
    expect(blocks.length).toBeGreaterThan(40);
    expect(blocks.map((block) => block.textContent).join('')).toBe(text);
  });
});
