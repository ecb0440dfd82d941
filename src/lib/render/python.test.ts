import { expect, test } from 'vitest';
import { highlightPython, maxHighlighted, pythonLines } from './python';

const program = `def solution():
    """Eggs sold per day."""
    eggs = 16 - 3 - 4  # left over
    price = 2.5e0
    return eggs * int(price) if eggs > 0 else None

print(f"{solution()}", 'done')
`;

test('classes keywords, builtins, strings, numbers, comments and the defined name', () => {
  const tokens = highlightPython(program);
  expect(tokens.map((t) => t.text).join('')).toBe(program);
  const of = (kind: string) => tokens.filter((t) => t.kind === kind).map((t) => t.text.trim());
  expect(of('keyword')).toEqual(['def', 'return', 'if', 'else', 'None']);
  expect(of('definition')).toEqual(['solution']);
  expect(of('builtin')).toEqual(['int', 'print']);
  expect(of('string')).toEqual(['"""Eggs sold per day."""', 'f"{solution()}"', "'done'"]);
  expect(of('number')).toEqual(['16', '3', '4', '2.5e0', '0']);
  expect(of('comment')).toEqual(['# left over']);
});

test('markup in a program is a token of text like any other, for the page to escape', () => {
  const code = 'x = "<script>alert(1)</script>"  # <img src=x onerror=alert(2)>\n';
  const tokens = highlightPython(code);
  expect(tokens.map((t) => t.text).join('')).toBe(code);
  expect(tokens.find((t) => t.kind === 'string')?.text).toBe('"<script>alert(1)</script>"');
  expect(tokens.find((t) => t.kind === 'comment')?.text).toBe('# <img src=x onerror=alert(2)>');
});

test('unterminated strings, stray characters and any text give back the input exactly', () => {
  const odd = ['s = "open', "'''never closed\nx = 1", 'λ = 3 ∑ @@ \\ `', '\u0000\ue000', ''];
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const alphabet = 'ab1_. "\'#\n\\(){}=+rbf\t9eE';
  for (let n = 0; n < 300; n += 1) {
    odd.push(
      Array.from({ length: Math.floor(random() * 60) }, () =>
        alphabet.charAt(Math.floor(random() * alphabet.length)),
      ).join(''),
    );
  }
  for (const code of odd) {
    expect(
      highlightPython(code)
        .map((t) => t.text)
        .join(''),
    ).toBe(code);
  }
});

test('a program past the limit is highlighted up to it and the rest is plain', () => {
  const code = 'x = 1\n'.repeat(maxHighlighted);
  const tokens = highlightPython(code);
  expect(tokens.map((t) => t.text).join('')).toBe(code);
  expect(tokens.at(-1)?.kind).toBe('plain');
  expect(tokens.at(-1)?.text.length).toBeGreaterThan(code.length - maxHighlighted - 1);
});

test('lines keep their tokens and know their indent, so a wrapped line can hang under it', () => {
  const lines = pythonLines(highlightPython(program));
  expect(lines.flatMap((l) => l.tokens.map((t) => t.text)).join('')).toBe(program);
  expect(lines.map((l) => l.indent)).toEqual([0, 4, 4, 4, 4, 0, 0]);
  expect(lines[1]?.tokens.map((t) => t.kind)).toEqual(['plain', 'string', 'plain']);
  expect(pythonLines(highlightPython('if x:\n\treturn 1'))[1]?.indent).toBe(4);
  expect(pythonLines([])).toEqual([{ indent: 0, tokens: [] }]);
});
