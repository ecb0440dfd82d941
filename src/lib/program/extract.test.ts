import { expect, test } from 'vitest';
import { extractProgram } from './extract';

test('a fenced python block is the program, the prose around it is not', () => {
  const reply =
    'Here is my program:\n\n```python\ndef solution():\n    return 3 + 4\n```\n\nIt returns 7.';
  expect(extractProgram(reply)).toBe('def solution():\n    return 3 + 4');
});

test('tool-integrated replies: python blocks are joined in order, output blocks are skipped', () => {
  const reply = [
    'First the price.',
    '```python',
    'price = 12 * 3',
    'print(price)',
    '```',
    '```output',
    '36',
    '```',
    'Then the change.',
    '```py',
    'print(50 - price)',
    '```',
    '```output',
    '14',
    '```',
    'The change is \\boxed{14}.',
  ].join('\n');
  expect(extractProgram(reply)).toBe('price = 12 * 3\nprint(price)\n\nprint(50 - price)');
});

test('an unmarked fenced block counts when no block is marked python', () => {
  expect(extractProgram('```\nprint(2 + 2)\n```')).toBe('print(2 + 2)');
  expect(extractProgram('~~~python\nx = 1\nprint(x)\n~~~')).toBe('x = 1\nprint(x)');
});

test('a reply cut off inside its block still gives the code so far', () => {
  expect(extractProgram('```python\ndef solution():\n    total = 5\n    return total')).toBe(
    'def solution():\n    total = 5\n    return total',
  );
});

test('bare code: from the first code line to the last, prose before and after dropped', () => {
  const reply = [
    'Sure, here is a program.',
    'def solution():',
    '    apples = 3',
    '',
    '    return apples + 4',
    '',
    'This returns the number of apples.',
  ].join('\n');
  expect(extractProgram(reply)).toBe('def solution():\n    apples = 3\n\n    return apples + 4');
  expect(extractProgram('import math\nprint(math.sqrt(16))')).toBe(
    'import math\nprint(math.sqrt(16))',
  );
  expect(extractProgram('total = 3 * 4\nprint(total)')).toBe('total = 3 * 4\nprint(total)');
});

test('prose, a fenced block in another language, or empty blocks are no program', () => {
  expect(extractProgram('Tom has 3 + 4 = 7 apples. The answer is 7.')).toBeNull();
  expect(extractProgram('```output\n7\n```')).toBeNull();
  expect(extractProgram('```python\n\n```')).toBeNull();
  expect(extractProgram('')).toBeNull();
});
