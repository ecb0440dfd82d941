import { describe, expect, it } from 'vitest';
import { checkData, dataSource, DataError, gsm8kTest, progressText } from './published';

const text = '{"question": "a", "answer": "#### 1"}\n{"question": "b", "answer": "#### 2"}\n';
const bytes = new TextEncoder().encode(text);
const digest = async (b: Uint8Array<ArrayBuffer>) =>
  Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) =>
    x.toString(16).padStart(2, '0'),
  ).join('');

describe('dataSource', () => {
  it('is the published file when the setting is empty, and a mirror of it for a bare URL', () => {
    expect(dataSource(undefined, gsm8kTest)).toBe(gsm8kTest);
    expect(dataSource('  ', gsm8kTest)).toBe(gsm8kTest);
    expect(dataSource('https://mirror.example/gsm8k/test.jsonl', gsm8kTest)).toEqual({
      ...gsm8kTest,
      url: 'https://mirror.example/gsm8k/test.jsonl',
    });
  });

  it('takes another file’s digest and lines from the fragment, which is not sent', () => {
    const sha = 'AB'.repeat(32);
    expect(dataSource(`http://127.0.0.1:8/p.jsonl?x=1#sha256=${sha}&lines=36`, gsm8kTest)).toEqual({
      ...gsm8kTest,
      url: 'http://127.0.0.1:8/p.jsonl?x=1',
      sha256: 'ab'.repeat(32),
      lines: 36,
    });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://host/test.jsonl', /http\(s\) URL, not ftp:/],
    ['https://h/t.jsonl#sha256=abc&lines=3', /#sha256=<64 hex digits>&lines=<N>/],
    [`https://h/t.jsonl#sha256=${'a'.repeat(64)}`, /#sha256=<64 hex digits>&lines=<N>/],
    [`https://h/t.jsonl#sha256=${'a'.repeat(64)}&lines=0`, /#sha256=<64 hex digits>&lines=<N>/],
  ])('refuses %j', (setting, message) => {
    expect(() => dataSource(setting, gsm8kTest)).toThrow(DataError);
    expect(() => dataSource(setting, gsm8kTest)).toThrow(message);
  });
});

describe('checkData', () => {
  it('passes the file, calls fewer lines cut short and anything else altered', async () => {
    const source = { name: 'Set', url: 'https://h/s.jsonl', lines: 2, sha256: await digest(bytes) };
    expect(await checkData(bytes, source)).toBeUndefined();
    // a view into a larger buffer, as Node's file reads give, is digested by its own bytes
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    expect(await checkData(padded.subarray(4, 4 + bytes.length), source)).toBeUndefined();
    expect(await checkData(bytes.slice(0, 30), source)).toMatch(/is cut short: 1 of 2 problems/);
    const altered = new TextEncoder().encode(text.replace('#### 2', '#### 3'));
    expect(await checkData(altered, source)).toMatch(
      /is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}… \(2 lines, 2 expected\)/,
    );
  });
});

describe('progressText', () => {
  it('shows bytes, the whole and a percentage when the size is known', () => {
    expect(progressText({ received: 512_000, total: 749_738 })).toBe('500 KB of 732 KB (68%)');
    expect(progressText({ received: 2048, total: undefined })).toBe('2 KB');
  });
});
