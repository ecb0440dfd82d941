// The renderer's own defences, in Node: placeholders model text cannot forge, linear math
// scanning, and the limits past which a solution is shown as plain text with a notice.
import { describe, expect, test } from 'vitest';
import { forgedPlaceholders, hostileReplies } from '../../../tests/fixtures/hostile-replies';
import {
  maxElements,
  maxFormulaChars,
  maxFormulaDepth,
  maxFormattedChars,
  maxFormulas,
  maxHtmlChars,
  maxNesting,
  toHtml,
} from './markup';
import { plainBlockChars } from './escape';

describe('placeholders', () => {
  test('model text carrying them renders no highlight, no spliced formula', () => {
    const html = toHtml(forgedPlaceholders);
    expect(html).not.toContain('<mark');
    expect(html).not.toMatch(/[\uE000-\uE003]/);
    // the only formulas are the two the text really has: $y$ and \boxed{5}
    expect(html.match(/class="katex"/g)).toHaveLength(2);
    expect(html).toContain('title="\uFFFD0\uFFFD"');
  });

  test('highlights come only from the marks passed beside the text', () => {
    const text = 'So 2 * 3 = 7 and 1 + 1 = 2.';
    const html = toHtml(text, [{ start: 3, end: 12 }]);
    expect(html).toContain('<mark class="flag">2 * 3 = 7</mark>');
  });

  test('a formula inside a link title stays text in the title', () => {
    const html = toHtml('[docs](https://example.com "$x^2$") done');
    expect(html).toContain('title="x^2"');
    expect(html).not.toContain('class="katex"');
  });
});

describe('limits', () => {
  test(`more than ${maxFormulas} formulas: plain text with a notice`, () => {
    const html = toHtml('$x$ '.repeat(maxFormulas + 1));
    expect(html).toMatch(/^<p class="render-notice">Shown as plain text: .*201 formulas/);
    expect(html).toContain('<div class="plain"><div>$x$ $x$');
  });

  test(`HTML over ${maxHtmlChars.toLocaleString('en-US')} characters: plain text with a notice`, () => {
    const html = toHtml('$\\sqrt{x^2+y^2}$ '.repeat(maxFormulas));
    expect(html).toMatch(/^<p class="render-notice">Shown as plain text: formatted, .* KB/);
  });

  test(`more than ${maxElements} elements: plain text with a notice`, () => {
    const html = toHtml('*a* '.repeat(maxElements + 1));
    expect(html).toMatch(/^<p class="render-notice">Shown as plain text: formatted, .* elements/);
    expect(html).not.toContain('<em>');
    expect(toHtml('*a* '.repeat(maxElements - 1)).match(/<em>/g)).toHaveLength(maxElements - 1);
  });

  test(`over ${maxFormattedChars.toLocaleString('en-US')} characters: plain text in blocks with a notice`, () => {
    const text = 'word '.repeat(maxFormattedChars / 5 + 1);
    const html = toHtml(text);
    expect(html).toMatch(/^<p class="render-notice">Shown as plain text: .*32,005 characters/);
    expect(html.match(/<div>/g)).toHaveLength(Math.ceil(text.length / plainBlockChars));
    expect(toHtml('word '.repeat(maxFormattedChars / 5))).not.toContain('render-notice');
  });

  test(`a formula nested deeper than ${maxFormulaDepth} braces is shown as its source`, () => {
    const deep = `$${'{'.repeat(maxFormulaDepth + 1)}x${'}'.repeat(maxFormulaDepth + 1)}$`;
    expect(toHtml(deep)).toContain(`<code>${'{'.repeat(maxFormulaDepth + 1)}x`);
    expect(toHtml('$\\frac{1}{2}$')).toContain('class="katex"');
  });

  test(`a formula longer than ${maxFormulaChars} characters is shown as its source`, () => {
    const long = `$$${'<'.repeat(maxFormulaChars + 1)}$$`;
    expect(toHtml(long)).toContain(`<code>${'&#60;'.repeat(maxFormulaChars + 1)}</code>`);
    expect(toHtml(`$$${'<'.repeat(maxFormulaChars)}$$`)).toContain('class="katex');
  });

  test(`quotes or lists nested over ${maxNesting} deep: plain text with a notice`, () => {
    for (const deep of ['>'.repeat(2000), '- '.repeat(2000), '> 1. '.repeat(40)]) {
      expect(toHtml(`${deep}x`)).toMatch(/^<p class="render-notice">.*nests quotes or lists/);
    }
    expect(toHtml('> quoted\n> > twice\n\n- a\n  - b')).toContain('<blockquote>');
  });

  test('up to the limit, formulas render', () => {
    const html = toHtml('$x$ '.repeat(maxFormulas));
    expect(html.match(/class="katex"/g)).toHaveLength(maxFormulas);
  });
});

describe('math scanning', () => {
  test.each([
    ['$$a$$ and \\[b\\] and \\(c\\) and $d$', 4],
    ['\\[ unclosed, then $e$ and \\boxed{1}', 2],
    ['\\boxed{ unclosed } } and \\boxed{2', 1],
    ['She pays $5 and $6, so $11.', 0],
    ['\\$5 and $x$ costs', 1],
  ])('%j has %i formulas', (text, count) => {
    expect(toHtml(text).match(/class="katex"/g) ?? []).toHaveLength(count);
  });

  test.each(hostileReplies)('$name: renders without throwing', ({ text }) => {
    expect(typeof toHtml(text)).toBe('string');
  });
});
