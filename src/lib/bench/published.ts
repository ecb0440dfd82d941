// A published data set fetched at run time from where its authors publish it (Tally ships no
// copy): where it lives, what it must be (lines and sha256), the download with progress, and the
// check. Shared by the benchmark page and `npm run bench -- --data gsm8k`; nothing here caches.
import { hexDigest } from '../store/integrity';

/** What a download must be. */
export interface DataSource {
  /** for people: "GSM8K test" */
  name: string;
  url: string;
  /** non-empty lines (one problem each) */
  lines: number;
  /** lowercase hex */
  sha256: string;
}

/** Where the GSM8K data set is published, and its licence (MIT, © 2021 OpenAI). */
export const gsm8kHome = 'https://github.com/openai/grade-school-math';
export const gsm8kLicenceUrl = `${gsm8kHome}/blob/master/LICENSE`;

/**
 * GSM8K's test split (Cobbe et al. 2021) as published in openai/grade-school-math (archived; last
 * commit 3101c7d, 2021-11-19): `grade_school_math/data/test.jsonl`, 749,738 bytes.
 */
export const gsm8kTest: DataSource = {
  name: 'GSM8K test',
  url: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
  lines: 1319,
  sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
};

/** A download that failed or is not the published file; the message says which and what to do. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/**
 * The data source a setting names. Empty: the published file. A URL alone is a mirror of it,
 * checked against the recorded lines and digest; a URL serving another file states what it is
 * in its fragment, `#sha256=HEX&lines=N` (never sent to the server).
 */
export function dataSource(setting: string | undefined, published: DataSource): DataSource {
  const text = setting?.trim() ?? '';
  if (text === '') return published;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new DataError(`“${text.slice(0, 200)}” is not a URL for ${published.name}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DataError(`${published.name} must come from an http(s) URL, not ${url.protocol}.`);
  }
  const fragment = new URLSearchParams(url.hash.slice(1));
  url.hash = '';
  const sha256 = fragment.get('sha256');
  const lines = fragment.get('lines');
  if (sha256 === null && lines === null) return { ...published, url: url.href };
  if (sha256 === null || !/^[0-9a-f]{64}$/i.test(sha256) || !/^[1-9]\d*$/.test(lines ?? '')) {
    throw new DataError(
      `A URL for another file than ${published.name} states it as #sha256=<64 hex digits>&lines=<N>.`,
    );
  }
  return { ...published, url: url.href, sha256: sha256.toLowerCase(), lines: Number(lines) };
}

/** Bytes so far, and the whole when the server said (Content-Length). */
export interface DataProgress {
  received: number;
  total: number | undefined;
}

const host = (url: string) => new URL(url).host;

/** "612 KB of 732 KB (84%)", or "612 KB" when the size is unknown. */
export function progressText({ received, total }: DataProgress): string {
  const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en-US')} KB`;
  if (total === undefined || total <= 0) return kb(received);
  return `${kb(received)} of ${kb(total)} (${Math.min(100, Math.floor((received / total) * 100))}%)`;
}

/**
 * Downloads `source.url`, reporting progress as bytes arrive, and returns the bytes once they
 * check out. Throws DataError saying what went wrong (unreachable host, HTTP status, a download
 * cut short, or a file that is not the published one); an abort rejects with the signal's reason.
 */
export async function downloadData(
  source: DataSource,
  onProgress: (progress: DataProgress) => void,
  signal?: AbortSignal,
): Promise<Uint8Array<ArrayBuffer>> {
  let response: Response;
  try {
    response = await fetch(source.url, { signal, cache: 'no-store' });
  } catch (error) {
    signal?.throwIfAborted();
    throw new DataError(
      `Could not reach ${host(source.url)} to download ${source.name} (offline, or the host is down): ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  if (!response.ok || !response.body) {
    throw new DataError(
      `Could not download ${source.name}: ${host(source.url)} answered ${response.status} for ${source.url}.`,
    );
  }
  const length = Number(response.headers.get('content-length') ?? '');
  const total = Number.isInteger(length) && length > 0 ? length : undefined;
  const chunks: Uint8Array[] = [];
  let received = 0;
  onProgress({ received, total });
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ received, total });
    }
  } catch (error) {
    signal?.throwIfAborted();
    throw new DataError(
      `The download of ${source.name} from ${host(source.url)} broke off after ${progressText({ received, total })}: try again. Nothing of it was kept.`,
      { cause: error },
    );
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  const problem = await checkData(bytes, source);
  if (problem) throw new DataError(problem);
  return bytes;
}

/**
 * Why `bytes` are not `source`'s file, or undefined when they are: fewer lines than published is
 * a truncated file, any other difference an altered one.
 */
export async function checkData(
  bytes: Uint8Array<ArrayBuffer>,
  source: DataSource,
): Promise<string | undefined> {
  // the bytes themselves, not a larger buffer they may sit in (Node's file reads share a pool)
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const digest = await hexDigest('SHA-256', whole ? bytes.buffer : bytes.slice().buffer);
  if (digest === source.sha256) return undefined;
  const lines = new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line.trim() !== '').length;
  if (lines < source.lines) {
    return `${source.name} from ${source.url} is cut short: ${lines.toLocaleString('en-US')} of ${source.lines.toLocaleString('en-US')} problems. Nothing of it was kept; try again later.`;
  }
  return `${source.name} from ${source.url} is not the published file: its sha256 is ${digest.slice(0, 12)}…, not ${source.sha256.slice(0, 12)}… (${lines.toLocaleString('en-US')} lines, ${source.lines.toLocaleString('en-US')} expected). Nothing of it was kept.`;
}
