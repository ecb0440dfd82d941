import { describe, expect, it } from 'vitest';
import { setFiles } from '../../../tests/data/problems';
import {
  checkData,
  dataSource,
  DataError,
  progressText,
  published,
  publishedSet,
  publishedSets,
} from './published';

const gsm8kTest = published.gsm8k.source;

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
    expect(
      dataSource(`http://127.0.0.1:8/p.jsonl?x=1#sha256=${sha}&records=36`, gsm8kTest),
    ).toEqual({
      ...gsm8kTest,
      url: 'http://127.0.0.1:8/p.jsonl?x=1',
      sha256: 'ab'.repeat(32),
      records: 36,
    });
    // lines= is records=; without a digest only the count and shape are checked
    expect(dataSource('http://h/p.jsonl#lines=8', gsm8kTest)).toMatchObject({
      sha256: null,
      records: 8,
    });
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://host/test.jsonl', /http\(s\) URL, not ftp:/],
    ['https://h/t.jsonl#sha256=abc&records=3', /#sha256=<64 hex digits>&records=<N>/],
    [`https://h/t.jsonl#sha256=${'a'.repeat(64)}`, /#sha256=<64 hex digits>&records=<N>/],
    [`https://h/t.jsonl#sha256=${'a'.repeat(64)}&records=0`, /#sha256=<64 hex digits>&records=<N>/],
  ])('refuses %j', (setting, message) => {
    expect(() => dataSource(setting, gsm8kTest)).toThrow(DataError);
    expect(() => dataSource(setting, gsm8kTest)).toThrow(message);
  });
});

describe('checkData', () => {
  it('passes the file, calls fewer lines cut short and anything else altered', async () => {
    const source = {
      name: 'Set',
      url: 'https://h/s.jsonl',
      records: 2,
      sha256: await digest(bytes),
    };
    expect(await checkData(bytes, source)).toBeUndefined();
    // a view into a larger buffer, as Node's file reads give, is digested by its own bytes
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    expect(await checkData(padded.subarray(4, 4 + bytes.length), source)).toBeUndefined();
    expect(await checkData(bytes.slice(0, 30), source)).toMatch(/is cut short: 1 of 2 problems/);
    const altered = new TextEncoder().encode(text.replace('#### 2', '#### 3'));
    expect(await checkData(altered, source)).toMatch(
      /is not the published file: its sha256 is [0-9a-f]{12}…, not [0-9a-f]{12}… \(2 records, 2 expected\)/,
    );
  });

  it('checks a JSON array by its digest, and calls one that does not parse cut short', async () => {
    const svamp = new TextEncoder().encode(setFiles.svamp);
    const source = {
      name: 'SVAMP',
      url: 'https://h/S.json',
      records: 6,
      sha256: await digest(svamp),
    };
    expect(await checkData(svamp, source)).toBeUndefined();
    expect(await checkData(svamp.slice(0, 500), source)).toBe(
      'SVAMP from https://h/S.json is cut short or damaged: it does not read as a JSON array. Nothing of it was kept; try again later.',
    );
    const records = JSON.parse(setFiles.svamp) as unknown[];
    const short = new TextEncoder().encode(JSON.stringify(records.slice(0, 4)));
    expect(await checkData(short, source)).toMatch(/is cut short: 4 of 6 problems/);
  });

  it('without a pinned digest, checks the count and that every record is a problem', async () => {
    const hard = new TextEncoder().encode(setFiles['gsm-hard']);
    const source = { name: 'GSM-Hard', url: 'https://h/g.jsonl', records: 8, sha256: null };
    expect(await checkData(hard, source)).toBeUndefined();
    expect(await checkData(hard, { ...source, records: 7 })).toBe(
      'GSM-Hard from https://h/g.jsonl is not the published file: it holds 8 records, not 7. Nothing of it was kept.',
    );
    expect(await checkData(hard, { ...source, records: 9 })).toMatch(/is cut short: 8 of 9/);
    const bent = new TextEncoder().encode(
      setFiles['gsm-hard'].replace('"target": 9634506.0', '"t": 1'),
    );
    expect(await checkData(bent, source)).toBe(
      'GSM-Hard from https://h/g.jsonl is not the published file: line 1: no "target" number (GSM-Hard). Nothing of it was kept.',
    );
  });
});

describe('publishedSets', () => {
  it('names each set once, with its licence, its home and a file to check', () => {
    expect(publishedSets.map((s) => s.id)).toEqual(['gsm8k', 'gsm-hard', 'svamp']);
    expect(publishedSet('svamp')?.licence.name).toBe('MIT');
    expect(publishedSet('gsm-hard')?.licence.name).toBe('Apache-2.0');
    expect(publishedSet('mawps')).toBeUndefined();
    for (const set of publishedSets) {
      expect(set.licence.url.startsWith(set.home)).toBe(true);
      expect(new URL(set.source.url).protocol).toBe('https:');
      expect(set.source.sha256 === null || /^[0-9a-f]{64}$/.test(set.source.sha256)).toBe(true);
    }
  });
});

describe('progressText', () => {
  it('shows bytes, the whole and a percentage when the size is known', () => {
    expect(progressText({ received: 512_000, total: 749_738 })).toBe('500 KB of 732 KB (68%)');
    expect(progressText({ received: 2048, total: undefined })).toBe('2 KB');
  });
});
