// The CLI's copy of a published data set: read from the cache directory when it is there and
// still checks out, else downloaded (with progress), checked, and written there for next time.
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import {
  checkData,
  downloadData,
  type DataProgress,
  type DataSource,
} from '../lib/bench/published';

/** Where `source` is kept under `cacheDir`: one file per name and digest (or count, unpinned). */
export function cachePath(cacheDir: string, source: DataSource): string {
  const slug = source.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const version = source.sha256?.slice(0, 16) ?? `${source.records}-records`;
  const extension = extname(new URL(source.url).pathname) || '.jsonl';
  return join(cacheDir, 'data', `${slug}-${version}${extension}`);
}

export interface Loaded {
  text: string;
  /** the cache file it was read from or written to */
  path: string;
  /** true when it came from the cache, with no network */
  cached: boolean;
  /** why a download could not be kept (the run goes on; the next one downloads again) */
  notKept?: string;
}

/**
 * The data set's text. A cached copy that no longer checks out is deleted and downloaded again;
 * a download that fails or does not check out throws DataError and leaves no file behind.
 */
export async function loadPublished(
  source: DataSource,
  cacheDir: string,
  onProgress: (progress: DataProgress) => void,
  signal?: AbortSignal,
): Promise<Loaded> {
  const path = cachePath(cacheDir, source);
  const kept = await readFile(path).catch(() => undefined);
  if (kept !== undefined) {
    const bytes = new Uint8Array(kept);
    if ((await checkData(bytes, source)) === undefined) {
      return { text: new TextDecoder().decode(bytes), path, cached: true };
    }
    await rm(path, { force: true });
  }
  const bytes = await downloadData(source, onProgress, signal);
  try {
    await mkdir(join(cacheDir, 'data'), { recursive: true });
    const partial = `${path}.${process.pid}.part`;
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (error) {
    const notKept = `${source.name} cannot be kept in ${cacheDir}: ${error instanceof Error ? error.message : String(error)}.`;
    return { text: new TextDecoder().decode(bytes), path, cached: false, notKept };
  }
  return { text: new TextDecoder().decode(bytes), path, cached: false };
}
