import { describe, expect, it } from 'vitest';
import { gold, problems as sets, problemsText } from '../../../tests/data/problems';
import { cleanGold, fingerprint, goldFromSolution, parseDataset } from './data';

describe('parseDataset', () => {
  it('reads GSM8K lines and {question, gold} lines, with ids from line numbers', () => {
    const text = [
      JSON.stringify({ question: 'Two plus two?', answer: 'It is 2+2=<<2+2=4>>4.\n#### 4' }),
      '',
      JSON.stringify({ question: ' How many? ', gold: '2,125' }),
      JSON.stringify({ question: 'Owed?', gold: -10 }),
    ].join('\r\n');
    const { problems, skipped } = parseDataset(text);
    expect(skipped).toEqual([]);
    expect(problems).toEqual([
      { id: 'L1', line: 1, question: 'Two plus two?', gold: '4' },
      { id: 'L3', line: 3, question: 'How many?', gold: '2125' },
      { id: 'L4', line: 4, question: 'Owed?', gold: '-10' },
    ]);
  });

  it('skips malformed lines and says which and why', () => {
    const text = [
      '{"question": "ok", "answer": "#### 1"}',
      '{not json',
      '[1, 2]',
      '{"answer": "#### 3"}',
      '{"question": "no marker", "answer": "the answer is 3"}',
      '{"question": "bad gold", "gold": "many"}',
      '{"question": "nothing"}',
      '{"question": "   ", "gold": 1}',
    ].join('\n');
    const { problems, skipped } = parseDataset(text);
    expect(problems.map((p) => p.id)).toEqual(['L1']);
    expect(skipped.map((s) => s.line)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(skipped[0]?.reason).toBe('not valid JSON');
    expect(skipped[1]?.reason).toBe('not a JSON object');
    expect(skipped[2]?.reason).toMatch(/question/);
    expect(skipped[3]?.reason).toMatch(/####/);
    expect(skipped[4]?.reason).toMatch(/not a number/);
    expect(skipped[5]?.reason).toMatch(/gold/);
    expect(skipped[6]?.reason).toMatch(/Type a word problem/);
  });

  it("reads Tally's problem set: 36 problems, commas removed, decimals and negatives kept", () => {
    const { problems, skipped } = parseDataset(problemsText);
    expect(skipped).toEqual([]);
    expect(problems).toHaveLength(36);
    expect(problems.map((p) => p.gold)).toEqual(sets.map((p) => gold(p.answer)));
    expect(problems[1]?.gold).toBe('15000');
    expect(problems.filter((p) => p.gold.startsWith('-'))).toHaveLength(4);
    expect(problems.filter((p) => p.gold.includes('.'))).toHaveLength(2);
  });
});

describe('gold answers', () => {
  it('takes the text after the last ####', () => {
    expect(goldFromSolution('a #### b\n#### 7 ')).toBe('7');
    expect(goldFromSolution('no marker')).toBeUndefined();
  });
  it('drops thousands commas only', () => {
    expect(cleanGold(' 1,000,000 ')).toBe('1000000');
    expect(cleanGold('2,125')).toBe('2125');
    expect(cleanGold('1,5')).toBe('1,5');
  });
});

describe('fingerprint', () => {
  it('is stable and changes with any problem', () => {
    const a = parseDataset('{"question": "q1", "gold": 1}\n{"question": "q2", "gold": 2}').problems;
    const b = parseDataset('{"question": "q1", "gold": 1}\n{"question": "q2", "gold": 3}').problems;
    expect(fingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint(a)).toBe(fingerprint([...a]));
    expect(fingerprint(a)).not.toBe(fingerprint(b));
    expect(fingerprint(a)).not.toBe(fingerprint(a.slice(0, 1)));
  });
});
