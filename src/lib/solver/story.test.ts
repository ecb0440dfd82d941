import { describe, expect, it } from 'vitest';
import { aggregateAll, type Scored } from './aggregate';
import {
  agreementPattern,
  chosenPart,
  patternWords,
  storySentence,
  voteSentence,
  type Part,
} from './story';

const single = (answer: string | null): Part => ({ name: 'single', answer });
const program = (answer: string | null, failure: string | null = null): Part => ({
  name: 'program',
  answer,
  failure,
});
const vote = (answer: string | null): Part => ({ name: 'vote', answer });
const scored = (answer: string | null, confidence: number | null): Scored => ({
  answer,
  confidence,
  verifier: null,
  weight: 1,
});

describe('the answer Tally stands behind', () => {
  it('is the vote over the program over the single call, among answers that exist', () => {
    expect(chosenPart([single('1'), program('2'), vote('3')])?.name).toBe('vote');
    expect(chosenPart([single('1'), program('2'), vote(null)])?.name).toBe('program');
    expect(chosenPart([single('1'), program(null, 'it gave no number')])?.name).toBe('single');
    expect(chosenPart([single(null)])).toBeUndefined();
  });
});

describe('agreement patterns', () => {
  it('group the parts that answered, leave failed ones out, and read as words', () => {
    const cases: [Part[], string, string][] = [
      [
        [single('18'), program('18.0'), vote('18')],
        'single=program=vote',
        'the single call, the program and the vote all agreed',
      ],
      [
        [single('19'), program('18'), vote('18')],
        'single≠program=vote',
        'the program and the vote agreed, the single call differed',
      ],
      [[single('1'), vote('2')], 'single≠vote', 'the single call and the vote differed'],
      [
        [single('1'), program('2'), vote('3')],
        'single≠program≠vote',
        'the single call, the program and the vote all differed',
      ],
      [
        [single('18'), program(null, 'it raised an error'), vote('18')],
        'single=vote',
        'the single call and the vote agreed',
      ],
      [[single(null), vote('4')], 'vote', 'only the vote answered'],
      [[single(null)], 'none', 'no part gave an answer'],
    ];
    for (const [parts, key, words] of cases) {
      expect(agreementPattern(parts)).toBe(key);
      expect(patternWords(key)).toBe(words);
    }
  });
});

describe('the story sentence', () => {
  it('says when all agree', () => {
    expect(storySentence([single('18'), program('18'), vote('18')])).toBe(
      'The single call, the program and the vote all say 18.',
    );
  });
  it('says what each says and why Tally chose as it did when they differ', () => {
    expect(storySentence([single('16'), vote('18')])).toBe(
      'The single call says 16 and the vote says 18. Tally goes with the vote: it weighs many samples, not one.',
    );
    expect(storySentence([single('16'), program('18')])).toBe(
      'The single call says 16 and the program says 18. Tally goes with the program: Python did its arithmetic.',
    );
  });
  it('names a failure as a failure and compares only the answers that exist', () => {
    const story = storySentence([
      single('18'),
      program(null, 'it raised an error (NameError: x)'),
      vote('18'),
    ]);
    expect(story).toBe(
      'The program failed: it raised an error (NameError: x). The single call and the vote both say 18.',
    );
    expect(story).not.toMatch(/differ|Disagree/);
  });
});

describe('the vote sentence', () => {
  it('says why the weighed vote beat the majority', () => {
    const aggregates = aggregateAll([
      scored('19', 1.2),
      scored('18', 5),
      scored('19', 1.2),
      scored('19', 1.3),
      scored('18', 5.2),
    ]);
    expect(voteSentence(aggregates)).toBe(
      '3 samples said 19 but were unsure; the 2 confident ones said 18.',
    );
  });
  it('counts samples when the majority decided', () => {
    const plain = aggregateAll([scored('4', null), scored('4', null), scored('5', null)]);
    expect(voteSentence(plain)).toBe('2 of 3 samples said 4.');
    expect(voteSentence(aggregateAll([scored('4', null), scored('4', null)]))).toBe(
      'All 2 samples said 4.',
    );
    expect(voteSentence(aggregateAll([scored(null, null)]))).toBe('No sample gave an answer.');
  });
});
