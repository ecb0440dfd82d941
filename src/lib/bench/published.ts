// The published data sets, fetched at run time from where their authors publish them (Tally
// ships no copy): where each lives, its licence, what its file must be (records and sha256), the
// download with progress, and the check. Shared by the benchmark page and `npm run bench -- --data
// gsm8k|gsm-hard|svamp`; nothing here caches.
import { knownOffline } from '../offline';
import { grouped } from '../format';
import { hexDigest } from '../store/integrity';
import { parseDataset, recordCount } from './data';

/** What a download must be. */
export interface DataSource {
  /** for people: "GSM8K test" */
  name: string;
  url: string;
  /** problems the file holds: non-empty lines of JSON Lines, or elements of a JSON array */
  records: number;
  /**
   * lowercase hex, or null where no digest is pinned: then the count and every record's shape
   * are checked instead (a changed problem text would pass)
   */
  sha256: string | null;
}

/** The published data sets Tally can download, by the name `--data` and the page use. */
export type PublishedId = 'gsm8k' | 'gsm-hard' | 'svamp';

/** A published data set: where it is published, under what licence, and what its file must be. */
export interface PublishedSet {
  id: PublishedId;
  /** "GSM8K", as field labels use it */
  short: string;
  /** one line for people: what the set is and who made it */
  about: string;
  /** the repository it is published in, and its owner/name */
  home: string;
  homeName: string;
  licence: { name: string; url: string };
  /** the environment variable that points the CLI elsewhere (a mirror, a test server) */
  env: string;
  source: DataSource;
}

/**
 * Every published set, in the order the page offers them. GSM8K's test split is pinned to the
 * archived repository's last commit (3101c7d, 2021-11-19: `grade_school_math/data/test.jsonl`,
 * 749,738 bytes). SVAMP is pinned to commit 78e7276 of arkilpatel/SVAMP, whose `SVAMP.json` (a
 * JSON array of 1,000 problems) has the sha256 below, as several projects that pin it record.
 * GSM-Hard (PAL, Gao et al. 2022: GSM8K's test problems with larger numbers) is read from the
 * pal repository's `datasets/gsmhardv2.jsonl`, 1,319 lines of {"input", "code", "target"}; its
 * digest could not be established here, so it is not pinned: the count and shape are checked.
 */
export const published: Readonly<Record<PublishedId, PublishedSet>> = {
  gsm8k: {
    id: 'gsm8k',
    short: 'GSM8K',
    about: "GSM8K's test split (Cobbe et al. 2021), © 2021 OpenAI",
    home: 'https://github.com/openai/grade-school-math',
    homeName: 'openai/grade-school-math',
    licence: {
      name: 'MIT',
      url: 'https://github.com/openai/grade-school-math/blob/master/LICENSE',
    },
    env: 'TALLY_GSM8K_URL',
    source: {
      name: 'GSM8K test',
      url: 'https://raw.githubusercontent.com/openai/grade-school-math/master/grade_school_math/data/test.jsonl',
      records: 1319,
      sha256: '3730d312f6e3440559ace48831e51066acaca737f6eabec99bccb9e4b3c39d14',
    },
  },
  'gsm-hard': {
    id: 'gsm-hard',
    short: 'GSM-Hard',
    about: "GSM-Hard (Gao et al. 2022, PAL): GSM8K's test problems with larger numbers",
    home: 'https://github.com/reasoning-machines/pal',
    homeName: 'reasoning-machines/pal',
    licence: {
      name: 'Apache-2.0',
      url: 'https://github.com/reasoning-machines/pal/blob/main/LICENSE',
    },
    env: 'TALLY_GSM_HARD_URL',
    source: {
      name: 'GSM-Hard',
      url: 'https://raw.githubusercontent.com/reasoning-machines/pal/main/datasets/gsmhardv2.jsonl',
      records: 1319,
      sha256: null,
    },
  },
  svamp: {
    id: 'svamp',
    short: 'SVAMP',
    about: 'SVAMP (Patel et al. 2021): simple word problems with varied structure',
    home: 'https://github.com/arkilpatel/SVAMP',
    homeName: 'arkilpatel/SVAMP',
    licence: { name: 'MIT', url: 'https://github.com/arkilpatel/SVAMP/blob/main/LICENSE' },
    env: 'TALLY_SVAMP_URL',
    source: {
      name: 'SVAMP',
      url: 'https://raw.githubusercontent.com/arkilpatel/SVAMP/78e727689e1c1bebfc4be39c446898e8e10b0518/SVAMP.json',
      records: 1000,
      sha256: '5be77703a6d891ae476d7c082787ad361392aa02453b132516cdd5f4e7934e3e',
    },
  },
};

/** The published sets in the order the page and the help offer them. */
export const publishedSets: readonly PublishedSet[] = Object.values(published);

/** The published set called `id`, or undefined for any other text. */
export function publishedSet(id: string): PublishedSet | undefined {
  return publishedSets.find((set) => set.id === id);
}

/** A download that failed or is not the published file; the message says which and what to do. */
export class DataError extends Error {
  override readonly name = 'DataError';
}

/**
 * The data source a setting names. Empty: the published file. A URL alone is a mirror of it,
 * checked as the published file is; a URL serving another file states what it is in its
 * fragment, `#sha256=HEX&records=N` (never sent to the server; `lines=N` is the same as
 * `records=N`, and without sha256 only the count and shape are checked).
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
  const records = fragment.get('records') ?? fragment.get('lines');
  if (sha256 === null && records === null) return { ...published, url: url.href };
  if ((sha256 !== null && !/^[0-9a-f]{64}$/i.test(sha256)) || !/^[1-9]\d*$/.test(records ?? '')) {
    throw new DataError(
      `A URL for another file than ${published.name} states it as #sha256=<64 hex digits>&records=<N>.`,
    );
  }
  return {
    ...published,
    url: url.href,
    sha256: sha256?.toLowerCase() ?? null,
    records: Number(records),
  };
}

/** Bytes so far, and the whole when the server said (Content-Length). */
export interface DataProgress {
  received: number;
  total: number | undefined;
}

const host = (url: string) => new URL(url).host;

/** "612 KB of 732 KB (84%)", or "612 KB" when the size is unknown. */
export function progressText({ received, total }: DataProgress): string {
  const kb = (n: number) => `${grouped(n / 1024)} KB`;
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
    if (knownOffline()) {
      throw new DataError(
        `No connection: this device is offline, so ${source.name} cannot be downloaded.`,
      );
    }
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
 * Why `bytes` are not `source`'s file, or undefined when they are: fewer records than published
 * (or a JSON array that does not parse) is a truncated file, any other difference an altered one.
 * Without a pinned digest, the count must match and every record must read as a problem.
 */
export async function checkData(
  bytes: Uint8Array<ArrayBuffer>,
  source: DataSource,
): Promise<string | undefined> {
  // the bytes themselves, not a larger buffer they may sit in (Node's file reads share a pool)
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const digest = await hexDigest('SHA-256', whole ? bytes.buffer : bytes.slice().buffer);
  if (digest === source.sha256) return undefined;
  const what = `${source.name} from ${source.url}`;
  const text = new TextDecoder().decode(bytes);
  const records = recordCount(text);
  if (records === undefined) {
    return `${what} is cut short or damaged: it does not read as a JSON array. Nothing of it was kept; try again later.`;
  }
  if (records < source.records) {
    return `${what} is cut short: ${grouped(records)} of ${grouped(source.records)} problems. Nothing of it was kept; try again later.`;
  }
  if (source.sha256 !== null) {
    return `${what} is not the published file: its sha256 is ${digest.slice(0, 12)}…, not ${source.sha256.slice(0, 12)}… (${grouped(records)} records, ${grouped(source.records)} expected). Nothing of it was kept.`;
  }
  if (records !== source.records) {
    return `${what} is not the published file: it holds ${grouped(records)} records, not ${grouped(source.records)}. Nothing of it was kept.`;
  }
  const { skipped, unit } = parseDataset(text);
  const [first] = skipped;
  if (first) {
    return `${what} is not the published file: ${unit} ${first.line}: ${first.reason}${skipped.length > 1 ? ` (and ${grouped(skipped.length - 1)} more)` : ''}. Nothing of it was kept.`;
  }
  return undefined;
}
