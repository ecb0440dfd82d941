// Property: on thousands of random nested and malformed replies, extraction, the arithmetic
// check and the renderer never throw and each stays within its time bound (issue 15).
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { toHtml } from '../render/markup';
import { checkSolution } from './check';
import { extractDetail } from './extract';

/** The bound for reading one reply of up to 100 KB on the page's thread. */
const pageMs = 50;
/** The renderer runs in its worker: its bound is the page's long-task threshold, 200 ms. */
const workerMs = 200;

/** Pieces replies are made of: numbers, operators, delimiters, markers, markdown, placeholders. */
const atom = fc.constantFrom(
  '7',
  '-3.5',
  '1,250',
  '$40',
  '50%',
  '2 1/2',
  'forty-two',
  ' + ',
  ' - ',
  '*',
  '/',
  '^',
  ' = ',
  '≈',
  'x',
  ' the answer is ',
  'Answer: ',
  '####',
  '\nA: ',
  '"answer": ',
  '<<',
  '>>',
  '\\boxed{',
  '\\frac{',
  '\\text{',
  '{',
  '}',
  '(',
  ')',
  '$',
  '$$',
  '\\[',
  '\\]',
  '\\(',
  '\\)',
  '\\$',
  '\\',
  '</think>',
  '\n',
  '. ',
  '**',
  '[a](https://example.com "t")',
  '> ',
  '- ',
  '`',
  '\uE000',
  '\uE001',
  '\uE002',
  '\uE003',
  ' apples ',
);

/** A reply: atoms, nested inside random (often unclosed) delimiters, repeated. */
const reply: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.array(tie('node'), { maxLength: 8 }).map((parts) => parts.join('')),
    fc
      .tuple(fc.constantFrom('(', '{', '\\boxed{', '\\frac{', '$', '\\[', '[', '<<'), tie('node'))
      .chain(([open, inner]) =>
        fc
          .tuple(fc.integer({ min: 1, max: 400 }), fc.boolean())
          .map(
            ([times, close]) =>
              open.repeat(times) + inner + (close ? (closing[open] ?? '').repeat(times) : ''),
          ),
      ),
  ),
})).node;

const closing: Record<string, string> = {
  '(': ')',
  '{': '}',
  '\\boxed{': '}',
  '\\frac{': '}{2}',
  $: '$',
  '\\[': '\\]',
  '[': ']',
  '<<': '>>',
};

/**
 * The fastest of up to three timed runs: a slow input is slow every time, while a pause of a
 * busy CPU (the machine these tests run on is shared) is not.
 */
function timed(run: () => unknown, boundMs: number): number {
  let fastest = Infinity;
  for (let i = 0; i < 3 && fastest > boundMs; i += 1) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

describe.each([
  ['extraction', extractDetail, pageMs, 3000],
  ['the arithmetic check', checkSolution, pageMs, 3000],
  ['the renderer', toHtml, workerMs, 1000],
] as const)('%s on random malformed replies', (_, read, boundMs, numRuns) => {
  test(`never throws and takes under ${boundMs} ms`, () => {
    let slowest = 0;
    fc.assert(
      fc.property(reply, (text) => {
        const ms = timed(() => read(text), boundMs);
        slowest = Math.max(slowest, ms);
        expect(ms).toBeLessThan(boundMs);
      }),
      { numRuns, seed: 15 },
    );
    expect(slowest).toBeLessThan(boundMs);
  });
});
