// Model output (untrusted markdown with LaTeX) to HTML: raw HTML escaped, math through KaTeX.
// Pure string work so it runs in the render worker and in Node; render.ts still sanitizes it.
import katex from 'katex';
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from './escape';
import { MARK_CLOSE, MARK_OPEN } from './marks';

/** Characters from Unicode's private use area mark where math goes back in. */
const MATH_OPEN = '\uE000';
const MATH_CLOSE = '\uE001';

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

/**
 * Inline `$…$` follows pandoc's rule so prices stay prices: the opening `$` has a non-space
 * after it, the closing one a non-space before it and no digit after it ("$5 and $6" is text).
 */
const mathPattern =
  /\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\]|\\\(([\s\S]+?)\\\)|\$(?=\S)((?:\\\$|[^$\n])+?)(?<=\S)\$(?!\d)|(\\boxed\{)/g;

/** Finds the end of a brace group opened just before `start`; -1 when unbalanced. */
function closeBrace(text: string, start: number): number {
  let depth = 1;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function extractMath(text: string): { text: string; math: MathSegment[] } {
  const math: MathSegment[] = [];
  let out = '';
  let last = 0;
  mathPattern.lastIndex = 0;
  for (let m = mathPattern.exec(text); m; m = mathPattern.exec(text)) {
    let tex: string;
    let display = false;
    let end = mathPattern.lastIndex;
    if (m[5] !== undefined) {
      // A bare \boxed{…} outside math delimiters, as Qwen-Math often writes it.
      const close = closeBrace(text, mathPattern.lastIndex);
      if (close < 0) continue;
      tex = text.slice(m.index, close + 1);
      end = close + 1;
    } else {
      display = m[1] !== undefined || m[2] !== undefined;
      tex = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    }
    out += text.slice(last, m.index) + MATH_OPEN + String(math.length) + MATH_CLOSE;
    math.push({ tex, display });
    last = end;
    mathPattern.lastIndex = end;
  }
  return { text: out + text.slice(last), math };
}

function renderMath({ tex, display }: MathSegment): string {
  // A highlight that falls inside math marks the whole formula instead.
  const plain = tex.replaceAll(MARK_OPEN, '').replaceAll(MARK_CLOSE, '');
  const html = renderTex(plain, display);
  return plain === tex ? html : `${MARK_OPEN}${html}${MARK_CLOSE}`;
}

function renderTex(tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 200,
    output: 'htmlAndMathml',
  });
}

/** HTML for a solution; MARK_OPEN/MARK_CLOSE in `text` become <mark class="flag">. */
export function toHtml(text: string): string {
  const { text: prose, math } = extractMath(text);
  const html = marked.parse(prose) as string;
  return html
    .replace(/\uE000(\d+)\uE001/g, (_, i: string) => {
      const segment = math[Number(i)];
      return segment ? renderMath(segment) : '';
    })
    .replaceAll(MARK_OPEN, '<mark class="flag">')
    .replaceAll(MARK_CLOSE, '</mark>');
}
