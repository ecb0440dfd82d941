// Promise wrappers over raw IndexedDB: one cached connection per database, reset when it closes.
// Failures reject with the DOMException the browser raised (QuotaExceededError, VersionError, …).

/** Creates the object stores a database needs; runs only on first open or upgrade. */
export type Upgrade = (db: IDBDatabase, oldVersion: number) => void;

const connections = new Map<string, Promise<IDBDatabase>>();

/** Opens `name` at `version` once per page; a closed or superseded connection is reopened. */
export function openDatabase(
  name: string,
  version: number,
  upgrade: Upgrade,
): Promise<IDBDatabase> {
  const cached = connections.get(name);
  if (cached) return cached;
  const opening = new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(name, version);
    request.onupgradeneeded = (event) => {
      upgrade(request.result, event.oldVersion);
    };
    request.onsuccess = () => {
      const db = request.result;
      const forget = () => {
        if (connections.get(name) === opening) connections.delete(name);
      };
      db.onclose = forget;
      // Another page (or web-llm) wants a newer version or deletes the database: let it.
      db.onversionchange = () => {
        forget();
        db.close();
      };
      resolve(db);
    };
    request.onerror = () => {
      reject(request.error ?? new DOMException('IndexedDB open failed', 'UnknownError'));
    };
    request.onblocked = () => {
      // Resolves once the other connection closes; nothing to do but wait.
    };
  });
  connections.set(name, opening);
  opening.catch(() => {
    if (connections.get(name) === opening) connections.delete(name);
  });
  return opening;
}

/** Closes and forgets a cached connection (before deleting the database, in tests and benches). */
export async function closeDatabase(name: string): Promise<void> {
  const cached = connections.get(name);
  connections.delete(name);
  if (cached) (await cached.catch(() => undefined))?.close();
}

/**
 * Closes this page's connection to `name` and deletes the database. Connections of other pages
 * that will not close (`blocked`) make it reject with what `blocked` returns, rather than wait.
 */
export async function deleteDatabase(name: string, blocked: () => Error): Promise<void> {
  await closeDatabase(name);
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => {
      resolve();
    };
    request.onerror = () => {
      reject(request.error ?? new DOMException(`Could not delete ${name}`, 'UnknownError'));
    };
    request.onblocked = () => {
      reject(blocked());
    };
  });
}

/** Resolves with a request's result. */
export function requestResult<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new DOMException('IndexedDB request failed', 'UnknownError'));
    };
  });
}

/** Resolves when a transaction commits; rejects with its error (a failed put aborts it). */
export function transactionDone(tx: IDBTransaction): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => {
      resolve();
    };
    const fail = () => {
      reject(tx.error ?? new DOMException('IndexedDB transaction aborted', 'AbortError'));
    };
    tx.onerror = fail;
    tx.onabort = fail;
  });
}

/** Runs `work` in one transaction over `stores` and resolves with its value once committed. */
export async function inTransaction<T>(
  db: IDBDatabase,
  stores: string | string[],
  mode: IDBTransactionMode,
  work: (tx: IDBTransaction) => Promise<T> | T,
): Promise<T> {
  const tx = db.transaction(stores, mode, { durability: 'relaxed' });
  const done = transactionDone(tx);
  try {
    const value = await work(tx);
    await done;
    return value;
  } catch (error) {
    done.catch(() => undefined);
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    throw error;
  }
}
