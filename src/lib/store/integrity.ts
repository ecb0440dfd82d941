// Digests the store checks files against: sha256 hex (catalog, tally-manifest.json) or SRI.
// A malformed digest is a catalog error and throws 'bad-input' rather than passing silently.
import { EngineError } from '../engine/errors';
import type { PlannedFile } from './types';

type Algorithm = 'SHA-256' | 'SHA-384' | 'SHA-512';

/** A digest in one form: the algorithm and the expected bytes as lowercase hex. */
export interface Digest {
  algorithm: Algorithm;
  hex: string;
}

const sriAlgorithms: Record<string, Algorithm> = {
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};
const hexLengths: Record<Algorithm, number> = { 'SHA-256': 64, 'SHA-384': 96, 'SHA-512': 128 };

function base64ToHex(text: string): string | undefined {
  try {
    return Array.from(atob(text), (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  } catch {
    return undefined;
  }
}

/** Reads `abc…` (64 hex digits: sha256), `sha256:abc…`, or SRI `sha256-BASE64`. */
export function parseDigest(text: string, what: string): Digest {
  const value = text.trim();
  const hex = /^(?:sha256:)?([0-9a-fA-F]{64})$/.exec(value);
  if (hex?.[1]) return { algorithm: 'SHA-256', hex: hex[1].toLowerCase() };
  const sri = /^(sha256|sha384|sha512)-([A-Za-z0-9+/]+={0,2})$/.exec(value);
  const algorithm = sri?.[1] ? sriAlgorithms[sri[1]] : undefined;
  const bytes = sri?.[2] ? base64ToHex(sri[2]) : undefined;
  if (algorithm && bytes?.length === hexLengths[algorithm]) return { algorithm, hex: bytes };
  throw new EngineError(
    'bad-input',
    `The digest given for ${what} is not a sha256 hex string or an SRI hash: “${value.slice(0, 80)}”.`,
  );
}

/** Hex digest of `data`. */
export async function hexDigest(algorithm: Algorithm, data: ArrayBuffer): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest(algorithm, data));
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** True when `data` has the expected digest. */
export async function matches(data: ArrayBuffer, digest: Digest): Promise<boolean> {
  return (await hexDigest(digest.algorithm, data)) === digest.hex;
}

/** What is wrong with a fetched file (`is 12 bytes, not 14`), or undefined when it checks out. */
export async function checkFile(
  file: Pick<PlannedFile, 'name' | 'size' | 'digest'>,
  data: ArrayBuffer,
): Promise<string | undefined> {
  if (file.size !== undefined && data.byteLength !== file.size) {
    return `is ${data.byteLength} bytes, not ${file.size}`;
  }
  if (file.digest === undefined) return undefined;
  const digest = parseDigest(file.digest, file.name);
  if (!(await matches(data, digest))) return `does not match its ${digest.algorithm} digest`;
  return undefined;
}
