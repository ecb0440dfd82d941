// Splits a model's Python program into classed tokens for the page to show as text (never HTML).
// One linear pass with sticky patterns; text it does not recognise becomes plain tokens, so it
// cannot fail on any input, and past `maxHighlighted` characters the rest is one plain token.

/** What a token is, for its colour; 'plain' is everything else (names, operators, spaces). */
export type PythonTokenKind =
  'keyword' | 'builtin' | 'string' | 'number' | 'comment' | 'definition' | 'plain';

export interface PythonToken {
  kind: PythonTokenKind;
  text: string;
}

/** Characters highlighted at most; a longer program's rest is shown plain. */
export const maxHighlighted = 20_000;

const keywords = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try ' +
    'while with yield match case'
  ).split(' '),
);

const builtins = new Set(
  (
    'abs all any bool dict divmod enumerate filter float format int isinstance len list map max ' +
    'min next pow print range reversed round set sorted str sum tuple zip'
  ).split(' '),
);

/**
 * Tried in order at each position. Each is linear: strings stop at their closing quote or the end
 * of the line (of the text, for triple quotes), and nothing nests.
 */
const patterns: [PythonTokenKind | 'name', RegExp][] = [
  ['comment', /#[^\n]*/y],
  ['string', /[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S])))/y],
  ['string', /[rRbBuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)/y],
  ['number', /(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)/y],
  ['name', /[A-Za-z_][A-Za-z0-9_]*/y],
  ['plain', /\s+|[^\w\s#'"]+|./y],
];

/** The tokens of `code`, in order; joined, their texts are `code` exactly. */
export function highlightPython(code: string): PythonToken[] {
  const text = code.length > maxHighlighted ? code.slice(0, maxHighlighted) : code;
  const tokens: PythonToken[] = [];
  let at = 0;
  let afterDef = false;
  const push = (kind: PythonTokenKind, piece: string) => {
    const last = tokens.at(-1);
    if (last && last.kind === kind) last.text += piece;
    else tokens.push({ kind, text: piece });
  };
  while (at < text.length) {
    for (const [kind, pattern] of patterns) {
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (!match || match[0] === '') continue;
      const piece = match[0];
      at += piece.length;
      if (kind !== 'name') {
        push(kind, piece);
        if (kind !== 'plain' || piece.trim() !== '') afterDef = false;
      } else if (afterDef) {
        push('definition', piece);
        afterDef = false;
      } else if (keywords.has(piece)) {
        push('keyword', piece);
        afterDef = piece === 'def' || piece === 'class';
      } else push(builtins.has(piece) ? 'builtin' : 'plain', piece);
      break;
    }
  }
  if (text.length < code.length) push('plain', code.slice(text.length));
  return tokens;
}

/** One line of a program: its tokens (the last ends with the line's newline) and its indent. */
export interface PythonLine {
  /** leading spaces, a tab counting as 4 (the block's tab-size) */
  indent: number;
  tokens: PythonToken[];
}

/**
 * `tokens` cut into lines, so a line too long for a phone can wrap under its own indent rather than
 * at the left edge. Joined, the lines' texts are the tokens' texts exactly.
 */
export function pythonLines(tokens: readonly PythonToken[]): PythonLine[] {
  const lines: PythonToken[][] = [[]];
  for (const token of tokens) {
    for (const text of token.text.split(/(?<=\n)/)) {
      lines.at(-1)?.push({ kind: token.kind, text });
      if (text.endsWith('\n')) lines.push([]);
    }
  }
  if (lines.length > 1 && lines.at(-1)?.length === 0) lines.pop();
  return lines.map((line) => {
    const lead = /^[ \t]*/.exec(line.map((t) => t.text).join(''))?.[0] ?? '';
    return { indent: lead.length + 3 * lead.split('\t').length - 3, tokens: line };
  });
}
