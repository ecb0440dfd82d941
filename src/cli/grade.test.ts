import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { gold, replies } from '../../tests/data/problems';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'tally-grade-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real CLI, as `npm run -s grade -- ...` does. */
function grade(...args: string[]): { code: number | null; out: string[]; err: string } {
  const run = spawnSync(join(root, 'node_modules/.bin/tsx'), ['src/cli/grade.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout.split('\n').filter(Boolean), err: run.stderr };
}

function file(name: string, lines: unknown[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n'));
  return path;
}

const boxed = (n: number | string): string => `So the total is ${n}. \\boxed{${n}}`;

describe('grade CLI', { timeout: 60_000 }, () => {
  test('grades single outputs and ensembles, with a summary on stderr', () => {
    const path = file('ok.jsonl', [
      { id: 1, output: 'She makes 9 * 2 = $18 every day.', gold: '18' },
      { id: 'two', output: 'The answer is 2,125 dollars.', gold: '2,125' },
      { id: 3, output: 'The answer is 20.', gold: 18 },
      { id: 4, output: 'I do not know.', gold: '5' },
      // a unanimous ensemble: the default rule (beta 0.95) stops after 4 of 10
      { id: 5, outputs: Array.from({ length: 10 }, () => boxed(7)), gold: '7' },
      // a split ensemble never settles: all outputs are used and the majority is wrong
      { id: 6, outputs: [boxed(3), boxed(4), boxed(4), boxed(3), boxed(4)], gold: '3' },
    ]);
    const { code, out, err } = grade(path);
    expect(code).toBe(0);
    expect(out.map((line) => JSON.parse(line) as unknown)).toEqual([
      { id: 1, answer: '18', correct: true },
      { id: 'two', answer: '2125', correct: true },
      { id: 3, answer: '20', correct: false },
      { id: 4, answer: null, correct: false },
      { id: 5, majority: '7', correct: true, samples_used: 4, votes: { '7': 4 } },
      { id: 6, majority: '4', correct: false, samples_used: 5, votes: { '3': 2, '4': 3 } },
    ]);
    expect(err).toMatch(/graded 6 lines: 3 correct \(50\.0%\)/);
    expect(err).toMatch(/2 voted with beta\(0\.95\): 4\.50 samples used of 7\.50 given/);
  });

  test('reports malformed lines by number, keeps going, and exits 1', () => {
    const path = file('bad.jsonl', [
      { id: 1, output: boxed(5), gold: '5' },
      'not json',
      '',
      [1, 2],
      { output: boxed(5), gold: '5' },
      { id: 7, output: boxed(5) },
      { id: 8, output: 5, gold: '5' },
      { id: 9, outputs: [], gold: '5' },
      { id: 10, outputs: ['x', 3], gold: '5' },
      { id: 11, output: boxed(5), gold: 'unknown' },
      { id: { nested: true }, output: boxed(5), gold: '5' },
      { id: 13, output: 'a', outputs: ['b'], gold: '5' },
      { id: 14, outputs: [boxed(6)], gold: '6' },
      { id: 15, output: boxed(5), gold: '5', question: 7 },
    ]);
    const { code, out, err } = grade(path);
    expect(code).toBe(1);
    expect(out.map((line) => (JSON.parse(line) as { id: unknown }).id)).toEqual([1, 14]);
    const errors = err.split('\n').filter((line) => line.startsWith(path));
    expect(errors.map((line) => line.slice(path.length))).toEqual([
      expect.stringMatching(/^:2: not JSON/) as unknown,
      ':4: expected a JSON object, got an array',
      ':5: missing "id"',
      ':6: missing "gold"',
      ':7: "output" must be a string, got number',
      ':8: "outputs" must be a non-empty array of strings, got an array',
      ':9: "outputs"[1] must be a string, got number',
      ':10: "gold" has no number: "unknown"',
      ':11: "id" must be a string or a number, got object',
      ':12: has both "output" and "outputs"',
      ':14: "question" must be a string, got number',
    ]);
    expect(err).toMatch(/graded 2 lines: 2 correct \(100\.0%\).*11 malformed lines skipped/);
  });

  test('with "question", every line of Tally\'s replies is graded the same or better', () => {
    const lines: Record<string, unknown>[] = replies.map((p, i) => ({
      id: i + 1,
      question: p.question,
      output: p.output,
      gold: gold(p.answer),
    }));
    // an ensemble of the first reply, which needs its question, voted either way
    const [first] = replies;
    if (!first) throw new Error('tests/data/replies.jsonl is empty');
    lines.push({
      id: 20,
      question: first.question,
      outputs: Array<string>(4).fill(first.output),
      gold: gold(first.answer),
    });
    const run = (rows: object[], name: string): { id: number; correct: boolean }[] => {
      const { code, out } = grade(file(name, rows));
      expect(code).toBe(0);
      return out.map((line) => JSON.parse(line) as { id: number; correct: boolean });
    };
    const withIt = run(lines, 'with.jsonl');
    const without = run(
      lines.map((line) => ({ ...line, question: undefined })),
      'without.jsonl',
    );
    expect(withIt.map((l) => l.id)).toEqual(lines.map((l) => l.id));
    expect(without.map((l) => l.id)).toEqual(lines.map((l) => l.id));
    expect(without.filter((l, i) => l.correct && withIt[i]?.correct !== true)).toEqual([]);
    expect(withIt.filter((l) => !l.correct)).toEqual([]);
    // the question decides the restatements, clock times and conversions; the rest read alike
    expect(without.filter((l) => !l.correct).map((l) => l.id)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 20,
    ]);
  });

  test('no argument or a missing file: a clear message and exit 2', () => {
    const none = grade();
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/No input file given/);
    expect(none.err).toMatch(/Usage: npm run -s grade -- \[--programs\] FILE\.jsonl/);
    const missing = grade(join(dir, 'nope.jsonl'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/Cannot read .*nope\.jsonl/);
    expect(missing.out).toEqual([]);
    expect(grade(dir).code).toBe(2);
  });
});
