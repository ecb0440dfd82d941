import { describe, expect, it } from 'vitest';
import { gold, problems as sets, problemsText, setFiles } from '../../../tests/data/problems';
import { cleanGold, fingerprint, goldFromSolution, parseDataset, recordCount } from './data';

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

describe('GSM-Hard and SVAMP', () => {
  it("converts GSM-Hard's {input, target} lines: float targets become canonical numbers", () => {
    const { problems, skipped, unit } = parseDataset(setFiles['gsm-hard']);
    expect(skipped).toEqual([]);
    expect(unit).toBe('line');
    expect(problems).toHaveLength(8);
    expect(problems[0]).toEqual({
      id: 'L1',
      line: 1,
      question:
        'A bakery sells 4817253 rolls a week at $2 each. How many dollars does it take in each week?',
      gold: '9634506',
    });
    expect(problems.map((p) => p.gold)).toContain('-6280372');
    expect(problems.map((p) => p.gold)).toContain('1307743.2857142857');
  });

  it('names what a GSM-Hard line lacks', () => {
    const text = [
      '{"input": "How many?", "code": "", "target": 3.0}',
      '{"input": "No target", "code": ""}',
      '{"input": "Words", "target": "lots"}',
    ].join('\n');
    const { problems, skipped } = parseDataset(text);
    expect(problems.map((p) => p.gold)).toEqual(['3']);
    expect(skipped).toEqual([
      { line: 2, reason: 'no "target" number (GSM-Hard)' },
      { line: 3, reason: 'the gold answer "lots" is not a number' },
    ]);
  });

  it("converts SVAMP's JSON array: Body and Question joined, ids by record", () => {
    const { problems, skipped, unit } = parseDataset(setFiles.svamp);
    expect(skipped).toEqual([]);
    expect(unit).toBe('record');
    expect(problems).toHaveLength(6);
    // a Body that does not end a sentence gets a full stop before the Question
    expect(problems[0]).toEqual({
      id: 'R1',
      line: 1,
      question:
        'Each pack of stickers costs 14 dollars. If there is a discount of 3 dollars on each pack. How much do you pay for each pack?',
      gold: '11',
    });
    expect(problems[1]?.question).toBe(
      'Ravi had 27 marbles. He gave 9 marbles to his sister. How many marbles does Ravi have now?',
    );
    expect(problems[5]?.gold).toBe('1.5');
  });

  it('names what an SVAMP record lacks, and a file that is not a whole array', () => {
    const text = JSON.stringify([
      { Body: 'A has 2.', Question: 'How many?', Answer: 2 },
      { Body: 'No question.', Answer: 1 },
      { Body: 'B has 3.', Question: 'How many?' },
      'a string',
    ]);
    const { problems, skipped } = parseDataset(text);
    expect(problems.map((p) => p.id)).toEqual(['R1']);
    expect(skipped).toEqual([
      { line: 2, reason: 'no "Body" and "Question" strings (SVAMP)' },
      { line: 3, reason: 'no "Answer" number (SVAMP)' },
      { line: 4, reason: 'not a JSON object' },
    ]);
    const cut = parseDataset(setFiles.svamp.slice(0, 300));
    expect(cut.problems).toEqual([]);
    expect(cut.skipped).toHaveLength(1);
    expect(cut.skipped[0]?.reason).toMatch(/^the file is not a valid JSON array \(/);
  });

  it('counts records: non-empty lines, or the elements of a JSON array that parses', () => {
    expect(recordCount(problemsText)).toBe(36);
    expect(recordCount(setFiles['gsm-hard'])).toBe(8);
    expect(recordCount(setFiles.svamp)).toBe(6);
    expect(recordCount(setFiles.svamp.slice(0, 300))).toBeUndefined();
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
