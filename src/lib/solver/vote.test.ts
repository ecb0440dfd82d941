import { describe, expect, test } from 'vitest';
import { histogram, tally } from './vote';

describe('tally', () => {
  test('the majority wins and agreement is its share of valid votes', () => {
    const vote = tally(['18', '18', '20', '18', '9']);
    expect(vote.winner).toBe('18');
    expect(vote.valid).toBe(5);
    expect(vote.agreement).toBeCloseTo(3 / 5);
    expect(vote.buckets.map((b) => [b.answer, b.count])).toEqual([
      ['18', 3],
      ['20', 1],
      ['9', 1],
    ]);
  });

  test('equivalent answers land in one bucket labelled by the first', () => {
    const vote = tally(['0.5', '1/2', '$0.50', '2/4', '3']);
    expect(vote.winner).toBe('0.5');
    expect(vote.buckets[0]?.count).toBe(4);
    expect(vote.buckets[0]?.members).toEqual([0, 1, 2, 3]);
    expect(histogram(vote)).toEqual({ '0.5': 4, '3': 1 });
  });

  test('nulls abstain: they count neither as votes nor against agreement', () => {
    const vote = tally([null, '7', null, '7', '8']);
    expect(vote.winner).toBe('7');
    expect(vote.abstained).toBe(2);
    expect(vote.valid).toBe(3);
    expect(vote.agreement).toBeCloseTo(2 / 3);
  });

  test('no valid answer: no winner, agreement 0', () => {
    expect(tally([])).toMatchObject({ winner: null, valid: 0, abstained: 0, agreement: 0 });
    expect(tally([null, null])).toMatchObject({ winner: null, valid: 0, abstained: 2 });
  });

  test('a tie goes to the answer that reached the tied count first', () => {
    // A reaches 2 at index 3, B at index 2
    expect(tally(['A', 'B', 'B', 'A']).winner).toBe('B');
    expect(tally(['A', 'B', 'A', 'B']).winner).toBe('A');
    expect(tally(['5', '6']).winner).toBe('5');
  });

  test('the leader only changes when strictly overtaken, as samples stream in', () => {
    const stream = ['4', '9', '9', '4', '4', '9'];
    const leaders = stream.map((_, i) => tally(stream.slice(0, i + 1)).winner);
    expect(leaders).toEqual(['4', '4', '9', '9', '4', '4']);
  });

  test('weights decide: a heavier minority can win; bad weights count as zero', () => {
    const vote = tally(['10', '10', '12'], [0.5, 0.5, 1.5]);
    expect(vote.winner).toBe('12');
    expect(vote.agreement).toBeCloseTo(1.5 / 2.5);
    const bad = tally(['10', '12'], [Number.NaN, -1]);
    expect(bad.buckets.map((b) => b.votes)).toEqual([0, 0]);
    expect(bad.winner).toBe('10');
  });

  test('non-numeric answers still vote, by exact text', () => {
    const vote = tally(['B', 'B', 'C']);
    expect(vote.winner).toBe('B');
    expect(vote.buckets).toHaveLength(2);
  });
});
