import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { checkFits, formatBytes, storageError } from './quota';

const GB = 1024 ** 3;

describe('checkFits', () => {
  test('passes when the rest fits, or when the browser gives no estimate', () => {
    expect(() => {
      checkFits('m', 4 * GB, 0.1 * GB, { usage: 1 * GB, quota: 10 * GB });
    }).not.toThrow();
    expect(() => {
      checkFits('m', 400 * GB, 0, undefined);
    }).not.toThrow();
  });

  test('fails before starting with numbers a person can act on', () => {
    let error: unknown;
    try {
      checkFits('Qwen2-Math-7B', 4.3 * GB, 0.2 * GB, { usage: 1 * GB, quota: 3 * GB });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EngineError);
    const { code, message } = error as EngineError;
    expect(code).toBe('quota');
    expect(message).toContain('Qwen2-Math-7B needs 4.5 GB');
    expect(message).toContain('only 2.0 GB more');
    expect(message).toContain('Nothing was saved');
  });
});

describe('storageError', () => {
  test('QuotaExceededError becomes quota; other failures storage', () => {
    expect(storageError(new DOMException('full', 'QuotaExceededError')).code).toBe('quota');
    expect(storageError(new DOMException('x', 'UnknownError')).code).toBe('storage');
  });
});

test('formatBytes', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(2048)).toBe('2 KB');
  expect(formatBytes(5.5 * 1024 ** 2)).toBe('5.5 MB');
  expect(formatBytes(4.3 * GB)).toBe('4.3 GB');
});
