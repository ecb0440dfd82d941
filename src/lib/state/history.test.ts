import { expect, test } from 'vitest';
import { readHistory, type HistoryEntry } from './history.svelte';

const good: HistoryEntry = {
  id: 'a',
  at: 1,
  question: 'q',
  engine: 'm',
  single: { answer: '18', text: 't' },
  ensemble: { majority: null, votes: {}, used: 3, k: 8 },
};

test('well-formed entries are kept, malformed ones counted and left out', () => {
  const { entries, dropped } = readHistory([
    good,
    { id: 'b' },
    null,
    { ...good, id: 'c', at: 'x' },
  ]);
  expect(entries).toEqual([good]);
  expect(dropped).toBe(3);
});

test('nothing saved is an empty history; a non-list is one unreadable item', () => {
  expect(readHistory(undefined)).toEqual({ entries: [], dropped: 0 });
  expect(readHistory({ not: 'a list' })).toEqual({ entries: [], dropped: 1 });
});

test('entries sharing an id: the first is kept, the rest counted as unreadable', () => {
  const newer = { ...good, id: 'd', question: 'newer' };
  const { entries, dropped } = readHistory([newer, good, { ...newer, question: 'older' }, good]);
  expect(entries).toEqual([newer, good]);
  expect(dropped).toBe(2);
});

test('a program result is kept when well formed; a damaged one drops its entry; older entries load', () => {
  const program = {
    ...good,
    id: 'p',
    program: { answer: '18', program: 'print(18)', output: '18\n', error: null },
  };
  const failed = {
    ...good,
    id: 'f',
    program: {
      answer: null,
      program: null,
      output: '',
      error: 'The reply holds no Python program.',
    },
  };
  const { entries, dropped } = readHistory([
    program,
    failed,
    { ...good, id: 'x', program: { answer: 18, program: 'print(18)', output: '', error: null } },
    { ...good, id: 'y', program: null },
    { ...good, id: 'z', program: { answer: '1', program: 'p' } },
    good,
  ]);
  expect(entries).toEqual([program, failed, good]);
  expect(dropped).toBe(3);
});
