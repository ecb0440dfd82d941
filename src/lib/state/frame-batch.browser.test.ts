// FrameBatch against the browser's real animation frames.
import { describe, expect, test } from 'vitest';
import { FrameBatch } from './frame-batch';

const nextFrame = () => new Promise<number>((resolve) => requestAnimationFrame(resolve));

function recording() {
  const applied: [string, string][] = [];
  const batch = new FrameBatch<string>((key, text) => applied.push([key, text]));
  return { applied, batch };
}

describe('FrameBatch', () => {
  test('pieces pushed between frames arrive joined, once per key, at the next frame', async () => {
    const { applied, batch } = recording();
    for (const piece of ['Six ', 'groups ', 'of ']) batch.push('a', piece);
    batch.push('b', 'Seven ');
    batch.push('a', 'seven.');
    expect(applied).toEqual([]);
    await nextFrame();
    expect(applied).toEqual([
      ['a', 'Six groups of seven.'],
      ['b', 'Seven '],
    ]);
    batch.push('b', 'more');
    await nextFrame();
    expect(applied.at(-1)).toEqual(['b', 'more']);
    expect(applied).toHaveLength(3);
  });

  test('flush applies what is queued at once, and the frame then has nothing left', async () => {
    const { applied, batch } = recording();
    batch.push('a', 'The answer ');
    batch.push('a', 'is 42.');
    batch.flush();
    expect(applied).toEqual([['a', 'The answer is 42.']]);
    await nextFrame();
    await nextFrame();
    expect(applied).toHaveLength(1);
  });

  test('once closed, queued and later pieces are dropped', async () => {
    const { applied, batch } = recording();
    batch.push('a', 'from the old run');
    batch.close();
    batch.push('a', 'still the old run');
    batch.flush();
    await nextFrame();
    expect(applied).toEqual([]);
  });
});

describe('FrameBatch with an interval', () => {
  test('pieces wait until the interval has passed since the last update, then come on a frame', async () => {
    const applied: string[] = [];
    const batch = new FrameBatch<string>((_key, text) => applied.push(text), 60_000);
    batch.push('a', 'first ');
    await nextFrame();
    await nextFrame();
    // nothing had been applied yet: the first pieces come on the next frame
    expect(applied).toEqual(['first ']);
    batch.push('a', 'second ');
    batch.push('a', 'third');
    await nextFrame();
    await nextFrame();
    // a minute has not passed: still waiting, and nothing is lost
    expect(applied).toEqual(['first ']);
    batch.flush();
    expect(applied).toEqual(['first ', 'second third']);
    batch.close();
  });
});
