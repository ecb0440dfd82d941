// Model output (untrusted markdown with LaTeX) to HTML: raw HTML escaped, math through KaTeX.
// Pure string work so it runs in the render worker and in Node; render.ts still sanitizes it.
import katex from 'katex';
import { Marked, type Tokens } from 'marked';
import { counted, grouped } from '../format';
import { escapeHtml, plainHtml } from './escape';
import {
  MARK_CLOSE,
  MARK_OPEN,
  MATH_CLOSE,
  MATH_OPEN,
  markRanges,
  neutralize,
  type Mark,
} from './marks';

/**
 * Characters a solution may have to be formatted; a longer one is shown as plain text with a
 * notice. The page lays out formatted text whole: 100 KB of it held its thread 150–200 ms on a
 * 2-core machine (`npm run bench:hostile`). Plain text is laid out a screen at a time. A solution
 * at the default 1,024 tokens is about 4,000 characters; this leaves room for 8,000 tokens.
 */
export const maxFormattedChars = 32_000;

/** Formulas one solution may have; past this it is shown as plain text with a notice. */
export const maxFormulas = 200;
/**
 * HTML one solution may become; past this it is shown as plain text with a notice. The page
 * sanitizes and inserts it on its thread: 20,000 formulas (6.4 MB) froze it for 8.5 s.
 */
export const maxHtmlChars = 400_000;
/**
 * Elements one solution may become; past this it is shown as plain text with a notice. The page
 * sanitizes and inserts them on its thread at about 0.07 ms each (measured in Chromium on a
 * loaded 2-core machine): 100 KB of `1+(2*3)-` made 12,500 and held it for 360 ms
 * (`npm run bench:hostile`). A formula is 12 to 60 elements; a solution's prose a few hundred.
 */
export const maxElements = 3_000;

/** Quote or list levels a line may open; markdown's parser slows with each level. */
export const maxNesting = 16;

/** A line that opens more than `maxNesting` quotes (">>>>…") or lists ("- - - …"). */
const tooDeep = new RegExp(
  String.raw`^[ \t]*(?:(?:>|(?:[-*+]|\d{1,9}[.)])[ \t])[ \t]*){${maxNesting + 1}}`,
  'm',
);

/** Brace nesting a formula may have to go through KaTeX; a deeper one is shown as its source. */
export const maxFormulaDepth = 40;
/**
 * Characters a formula may have to go through KaTeX; a longer one is shown as its source. KaTeX
 * takes about 0.1 ms a symbol: 3,000 `\[` took 250 ms (the property test's counterexample).
 */
export const maxFormulaChars = 1_000;

interface MathSegment {
  tex: string;
  display: boolean;
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  async: false,
  renderer: {
    // Raw HTML from a model is shown as text, never interpreted.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    image(token: Tokens.Image) {
      // An image would be fetched from wherever the model pointed: show its text instead.
      return escapeHtml(token.text || token.href);
    },
  },
});

/** Where math may start: `$$`, `\[`, `\(`, a bare `\boxed{`, or a `$` that is not `\$`. */
const openers = /\$\$|\\\[|\\\(|\\boxed\{|(?<!\\)\$/g;

/**
 * Inline `$…$` follows pandoc's rule so prices stay prices: the opening `$` has a non-space
 * after it, the closing one a non-space before it and no digit after it ("$5 and $6" is text).
 * It cannot pass an unescaped `$` or a line end, so the scans from all openers add up to one.
 */
const inlineMath = /\$(?=\S)((?:\\\$|[^$\n])+?)(?<=\S)\$(?!\d)/y;

const closers: Record<string, string> = { $$: '$$', '\\[': '\\]', '\\(': '\\)' };

/** For each `{`, the index of the `}` that closes it (a backslash escapes the next character). */
function braceMatches(text: string): Map<number, number> {
  const closes = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') open.push(i);
    else if (c === '}') {
      const from = open.pop();
      if (from !== undefined) closes.set(from, i);
    }
  }
  return closes;
}

/**
 * The math of `text` cut out into placeholders. Linear in the text: a closer that is missing
 * once is missing for the rest, and brace groups are matched in one pass.
 */
function extractMath(text: string): { text: string; math: MathSegment[] } {
  const math: MathSegment[] = [];
  const missing = new Set<string>();
  let braces: Map<number, number> | undefined;
  let out = '';
  let last = 0;
  openers.lastIndex = 0;
  for (let m = openers.exec(text); m; m = openers.exec(text)) {
    const opener = m[0];
    const closer = closers[opener];
    let found: { tex: string; display: boolean; end: number } | undefined;
    if (closer !== undefined && !missing.has(closer)) {
      // the lazy `[\s\S]+?` of the delimiters: at least one character between them
      const close = text.indexOf(closer, m.index + opener.length + 1);
      if (close < 0) missing.add(closer);
      else {
        const tex = text.slice(m.index + opener.length, close);
        found = { tex, display: opener !== '\\(', end: close + closer.length };
      }
    } else if (opener === '\\boxed{') {
      // A bare \boxed{…} outside math delimiters, as Qwen-Math often writes it.
      braces ??= braceMatches(text);
      const close = braces.get(m.index + opener.length - 1);
      if (close !== undefined) {
        found = { tex: text.slice(m.index, close + 1), display: false, end: close + 1 };
      }
    } else if (opener === '$') {
      inlineMath.lastIndex = m.index;
      const inline = inlineMath.exec(text);
      if (inline) found = { tex: inline[1] ?? '', display: false, end: inlineMath.lastIndex };
    }
    if (!found) {
      // as a regex would: try again one character on (a `\boxed{` goes on after its brace)
      openers.lastIndex = opener === '\\boxed{' ? openers.lastIndex : m.index + 1;
      continue;
    }
    out += text.slice(last, m.index) + MATH_OPEN + String(math.length) + MATH_CLOSE;
    math.push({ tex: found.tex, display: found.display });
    last = found.end;
    openers.lastIndex = found.end;
  }
  return { text: out + text.slice(last), math };
}

function renderMath({ tex, display }: MathSegment): string {
  // A highlight that falls inside math marks the whole formula instead.
  const plain = tex.replaceAll(MARK_OPEN, '').replaceAll(MARK_CLOSE, '');
  const html = renderTex(plain, display);
  return plain === tex ? html : `${MARK_OPEN}${html}${MARK_CLOSE}`;
}

/** Deepest brace nesting of `tex`. */
function braceDepth(tex: string): number {
  let depth = 0;
  let deepest = 0;
  for (const c of tex) {
    if (c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return deepest;
}

function renderTex(tex: string, display: boolean): string {
  // KaTeX's time grows with a formula's size, and faster with its nesting: no real formula is so
  // long or nests so deep
  if (tex.length > maxFormulaChars || braceDepth(tex) > maxFormulaDepth) {
    return `<code>${escapeHtml(tex)}</code>`;
  }
  try {
    return katex.renderToString(tex, {
      displayMode: display,
      throwOnError: false,
      trust: false,
      strict: 'ignore',
      maxSize: 20,
      maxExpand: 200,
      output: 'htmlAndMathml',
    });
  } catch {
    // beyond KaTeX's own error display (a formula nested too deep for its parser): the source
    return `<code>${escapeHtml(tex)}</code>`;
  }
}

/** The placeholders `extractMath` leaves where formula i was. */
const slots = new RegExp(`${MATH_OPEN}(\\d+)${MATH_CLOSE}`, 'g');

/**
 * HTML for a solution, with `marks` (ranges of `text`) as <mark class="flag">. Placeholder
 * characters in the text itself are neutralized first, so only `marks` can make a highlight.
 * A solution longer than `maxFormattedChars`, with more than `maxFormulas` formulas, or whose HTML
 * would pass `maxHtmlChars` or `maxElements`, comes back as plain text with a notice saying why.
 */
export function toHtml(text: string, marks: readonly Mark[] = []): string {
  if (text.length > maxFormattedChars) {
    const size = `${counted(text.length, 'character')} (formatting stops at ${grouped(maxFormattedChars)})`;
    return plainHtml(text, `Shown as plain text: this solution has ${size}.`);
  }
  if (tooDeep.test(text)) {
    return plainHtml(
      text,
      `Shown as plain text: this solution nests quotes or lists more than ${maxNesting} deep.`,
    );
  }
  const { text: prose, math } = extractMath(markRanges(neutralize(text), marks));
  if (math.length > maxFormulas) {
    const count = `${counted(math.length, 'formula')} (the limit is ${maxFormulas})`;
    return plainHtml(text, `Shown as plain text: this solution has ${count}.`);
  }
  const source = (_: string, i: string): string => escapeHtml(math[Number(i)]?.tex ?? '');
  const html = (marked.parse(prose) as string)
    // inside a tag (a link's title): the formula's source as text, and no highlight
    .replace(/<[^<>]*>/g, (tag) => tag.replace(slots, source).replace(/[\uE002\uE003]/g, ''))
    .replace(slots, (_, i: string) => {
      const segment = math[Number(i)];
      return segment ? renderMath(segment) : '';
    })
    .replaceAll(MARK_OPEN, '<mark class="flag">')
    .replaceAll(MARK_CLOSE, '</mark>');
  if (html.length > maxHtmlChars) {
    const size = `${grouped(html.length / 1000)} KB`;
    return plainHtml(text, `Shown as plain text: formatted, this solution would be ${size}.`);
  }
  const elements = html.match(/<[a-z]/gi)?.length ?? 0;
  if (elements > maxElements) {
    const count = `${counted(elements, 'element')} (the limit is ${grouped(maxElements)})`;
    return plainHtml(text, `Shown as plain text: formatted, this solution would be ${count}.`);
  }
  return html;
}
