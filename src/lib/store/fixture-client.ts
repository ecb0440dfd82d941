// Test-side helpers for the store's browser tests: the fixture model server's admin API, and
// reading back what the store wrote. Throws with the server's message when an admin call fails.
import { inject } from 'vitest';
import type { StoreModel } from './types';

/** One file of a fixture model, as the server describes it. */
export interface FixtureFile {
  name: string;
  /** bytes */
  size: number;
  /** hex */
  sha256: string;
}

export interface FixtureModel {
  id: string;
  modelUrl: string;
  libUrl: string;
  files: FixtureFile[];
  shards: FixtureFile[];
  /** bytes */
  bytes: number;
}

export interface RequestLog {
  method: string;
  path: string;
  range?: string;
  status: number;
  bytes: number;
}

export const origin = (): string => inject('modelServer');

async function admin(path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${origin()}/__admin/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const value: unknown = await response.json();
  if (!response.ok) throw new Error(`admin ${path}: ${JSON.stringify(value)}`);
  return value;
}

let counter = 0;

/** A fresh fixture model (unique id per call, so tests never share server or cache state). */
export async function fixtureModel(
  name: string,
  options: { shards?: number; shardBytes?: number } = {},
): Promise<FixtureModel> {
  const id = `${name}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
  return (await admin('model', { id, ...options })) as FixtureModel;
}

export type FaultSpec =
  | { kind: 'drop'; file: string; at: number; times?: number }
  | { kind: 'corrupt'; file: string; at: number; times?: number }
  | { kind: 'status'; file: string; status: number; times?: number }
  | { kind: 'stall'; file: string; at: number; ms: number; times?: number }
  | { kind: 'throttle'; file: string; bytesPerSecond: number; times?: number };

export async function fault(model: FixtureModel, spec: FaultSpec): Promise<void> {
  await admin('fault', { modelId: model.id, ...spec });
}

/** Requests the server saw for this model's folder and library (other tests' are left out). */
export async function requestsFor(model: FixtureModel): Promise<RequestLog[]> {
  const all = (await admin('requests')) as RequestLog[];
  return all.filter(
    (r) => r.path.startsWith(`/models/${model.id}/`) || r.path === `/libs/${model.id}.wasm`,
  );
}

/** The store's input for a fixture model; `digests` from the server's list when asked. */
export function storeModel(model: FixtureModel, withDigests = true): StoreModel {
  return {
    id: model.id,
    model: model.modelUrl,
    model_lib: model.libUrl,
    ...(withDigests
      ? { digests: Object.fromEntries(model.files.map((f) => [f.name, f.sha256])) }
      : {}),
  };
}

/** web-llm's AppConfig for one fixture model, with the IndexedDB backend Tally uses. */
export function appConfig(model: FixtureModel) {
  return {
    model_list: [{ model: model.modelUrl, model_id: model.id, model_lib: model.libUrl }],
    cacheBackend: 'indexeddb' as const,
  };
}

/** Reads a raw value from one of web-llm's databases, as web-llm would. */
export async function readWebLLM(db: string, url: string): Promise<unknown> {
  const conn = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(db);
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('open failed'));
    };
  });
  try {
    return await new Promise<unknown>((resolve, reject) => {
      const request = conn.transaction('urls', 'readonly').objectStore('urls').get(url);
      request.onsuccess = () => {
        resolve(request.result);
      };
      request.onerror = () => {
        reject(request.error ?? new Error('get failed'));
      };
    });
  } finally {
    conn.close();
  }
}

/** sha256 hex of a stored shard's bytes. */
export async function sha256(data: ArrayBuffer): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest('SHA-256', data));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Asserts-by-returning: the sha256 of every stored shard, by name (missing ones omitted). */
export async function storedShardHashes(model: FixtureModel): Promise<Record<string, string>> {
  const base = `${model.modelUrl}/resolve/main/`;
  const out: Record<string, string> = {};
  for (const shard of model.shards) {
    const value = await readWebLLM('webllm/model', base + shard.name);
    if (typeof value === 'object' && value !== null && 'data' in value) {
      const data = value.data;
      if (data instanceof ArrayBuffer) out[shard.name] = await sha256(data);
    }
  }
  return out;
}

/** What the server says every shard's sha256 is. */
export function sourceShardHashes(model: FixtureModel): Record<string, string> {
  return Object.fromEntries(model.shards.map((s) => [s.name, s.sha256]));
}
