import { describe, expect, test } from 'vitest';
import { isChunk, parseResponse } from './protocol';

describe('parseResponse', () => {
  test('accepts web-llm replies and progress', () => {
    expect(parseResponse({ kind: 'return', uuid: 'a', content: null })).toEqual({
      kind: 'return',
      uuid: 'a',
      content: null,
    });
    expect(
      parseResponse({
        kind: 'initProgressCallback',
        uuid: '',
        content: { progress: 0.5, text: 't', timeElapsed: 1 },
      }),
    ).toEqual({
      kind: 'initProgressCallback',
      uuid: '',
      content: { progress: 0.5, text: 't', timeElapsed: 1 },
    });
  });

  test.each([
    null,
    'x',
    { kind: 'return' },
    { kind: 'nope', uuid: 'a' },
    { kind: 'initProgressCallback', uuid: '', content: {} },
  ])('ignores %j', (data) => {
    expect(parseResponse(data)).toBeUndefined();
  });
});

describe('isChunk', () => {
  test('checks the shape the client reads', () => {
    expect(isChunk({ choices: [{ delta: { content: 'x' } }] })).toBe(true);
    expect(isChunk({ choices: [{}] })).toBe(false);
    expect(isChunk({ text: 'x' })).toBe(false);
  });
});
