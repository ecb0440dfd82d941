// The browser's storage budget for this site: estimate(), persist(), and whether a download fits.
// Where the Storage API is missing, estimates are undefined and the download is simply tried.
import { EngineError } from '../engine/errors';
import type { StorageEstimate } from './types';

/** navigator.storage.estimate(), or undefined where the browser has no Storage API. */
export async function estimateStorage(): Promise<StorageEstimate | undefined> {
  if (typeof navigator === 'undefined' || !('storage' in navigator)) return undefined;
  try {
    const { usage, quota } = await navigator.storage.estimate();
    if (usage === undefined || quota === undefined) return undefined;
    return { usage, quota };
  } catch {
    return undefined;
  }
}

/**
 * Asks the browser not to evict this site's data under storage pressure. Resolves with its
 * answer: true (granted), false (refused: data may be evicted), undefined (no Storage API).
 */
export async function requestPersistence(): Promise<boolean | undefined> {
  if (typeof navigator === 'undefined' || !('storage' in navigator)) return undefined;
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return undefined;
  }
}

/** Whether the site's data is already persistent, without asking. */
export async function isPersisted(): Promise<boolean | undefined> {
  if (typeof navigator === 'undefined' || !('storage' in navigator)) return undefined;
  try {
    return await navigator.storage.persisted();
  } catch {
    return undefined;
  }
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;

/** “4.3 GB”, “512 MB”, “12 KB”, “0 B”: for people. */
export function formatBytes(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(bytes >= 10 * GB ? 0 : 1)} GB`;
  if (bytes >= MB) return `${(bytes / MB).toFixed(bytes >= 100 * MB ? 0 : 1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${Math.max(0, Math.round(bytes))} B`;
}

/**
 * Throws a 'quota' EngineError when `needed` bytes (plus `headroom`) do not fit in what the
 * browser still allows this site. Does nothing when the browser gives no estimate.
 */
export function checkFits(
  name: string,
  needed: number,
  headroom: number,
  estimate: StorageEstimate | undefined,
): void {
  if (!estimate || needed <= 0) return;
  const free = Math.max(0, estimate.quota - estimate.usage);
  if (needed + headroom <= free) return;
  throw new EngineError(
    'quota',
    `${name} needs ${formatBytes(needed + headroom)} more storage, but this browser lets the ` +
      `site use only ${formatBytes(free)} more (${formatBytes(estimate.usage)} of ` +
      `${formatBytes(estimate.quota)} used). Free disk space or delete models in the storage ` +
      'panel, then try again. Nothing was saved.',
  );
}

/**
 * Maps what IndexedDB threw to an EngineError: 'quota' when full, 'storage' otherwise, saying
 * what was being done (a download saves the model; the storage list reads what is stored).
 */
export function storageError(error: unknown, doing = 'saving the model'): EngineError {
  if (error instanceof EngineError) return error;
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'QuotaExceededError') {
    return new EngineError(
      'quota',
      'The browser ran out of storage for this site during the download. Free some disk space ' +
        'or delete models in the storage panel, then resume: no incomplete file was kept as done.',
      { cause: error },
    );
  }
  return new EngineError(
    'storage',
    `The browser's storage failed while ${doing} (${name || String(error)}).`,
    { cause: error },
  );
}
