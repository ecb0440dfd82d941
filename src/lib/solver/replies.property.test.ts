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
  '"answer": "',
  '"}',
  '```',
  ' months, which is ',
  ' years',
  '2:00 pm',
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
          .tuple(fc.integer({ min: 1, max: 2000 }), fc.boolean())
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
 * The fastest of five runs of `run` and of `reference`, taken in turns so both meet the same
 * load: a slow input is slow every time, while a pause of this shared, busy CPU is not.
 */
function timed(run: () => unknown, reference: () => unknown): { took: number; prose: number } {
  const clock = (f: () => unknown): number => {
    const start = performance.now();
    f();
    return performance.now() - start;
  };
  let took = Infinity;
  let prose = Infinity;
  for (let i = 0; i < 5; i += 1) {
    prose = Math.min(prose, clock(reference));
    took = Math.min(took, clock(run));
  }
  return { took, prose };
}

/** Ordinary prose as long as `text`: what reading that many characters costs when nothing is wrong. */
function prose(text: string): string {
  const sentence = 'She has 12 apples and buys 3 * 4 = 12 more, so 24 in all. ';
  return sentence.repeat(Math.ceil(text.length / sentence.length)).slice(0, text.length);
}

/**
 * Each reader's bound: `ms` per reply, or, where this shared machine runs slow, 10 times what
 * ordinary prose of the same length takes in the same run (reading that grows faster than the
 * text, as the nested \boxed{ scan did, is hundreds of times slower than prose).
 */
/** A question that turns on every rule extraction has for one: hour, unit and stated numbers. */
const question = 'A comet came at 5:00 pm, three years or 36 months ago. At what time, in years?';

describe.each([
  ['extraction', extractDetail, pageMs, 3000],
  ['extraction with the question', (text: string) => extractDetail(text, question), pageMs, 1000],
  ['the arithmetic check', checkSolution, pageMs, 3000],
  ['the renderer', toHtml, workerMs, 1000],
] as const)('%s on random malformed replies', (_, read, ms, numRuns) => {
  test(`never throws and takes under ${ms} ms, or 10 times ordinary prose`, () => {
    fc.assert(
      fc.property(reply, (text) => {
        const first = performance.now();
        read(text);
        if (performance.now() - first < ms) return;
        const { took, prose: ordinary } = timed(
          () => read(text),
          () => read(prose(text)),
        );
        if (took < ms) return;
        expect(took).toBeLessThan(10 * ordinary);
      }),
      { numRuns, seed: 15 },
    );
  }, 300_000);
});
