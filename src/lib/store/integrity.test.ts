import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { hexDigest, matches, parseDigest } from './integrity';

const data = new TextEncoder().encode('tally').slice().buffer;
const base64 = (hex: string) =>
  btoa(String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))));

describe('digests', () => {
  test('hex, sha256:hex and SRI name the same digest', async () => {
    const hex = await hexDigest('SHA-256', data);
    const sri = `sha256-${base64(hex)}`;
    for (const form of [hex, hex.toUpperCase(), `sha256:${hex}`, sri]) {
      expect(await matches(data, parseDigest(form, 'f'))).toBe(true);
    }
    expect(
      await matches(new TextEncoder().encode('tallY').slice().buffer, parseDigest(hex, 'f')),
    ).toBe(false);
  });

  test('sha384 and sha512 SRI work too', async () => {
    for (const [name, algorithm] of [
      ['sha384', 'SHA-384'],
      ['sha512', 'SHA-512'],
    ] as const) {
      const hex = await hexDigest(algorithm, data);
      const b64 = btoa(
        String.fromCharCode(...(hex.match(/../g) ?? []).map((h) => parseInt(h, 16))),
      );
      expect(await matches(data, parseDigest(`${name}-${b64}`, 'f'))).toBe(true);
    }
  });

  test.each(['', 'abc', 'md5-AAAA', `sha256-${'A'.repeat(10)}`, 'z'.repeat(64)])(
    'malformed digest %j is bad input',
    (text) => {
      expect(() => parseDigest(text, 'f')).toThrow(EngineError);
    },
  );
});
