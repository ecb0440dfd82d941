// The store's vocabulary: what it is given (StoreModel), what it reports (progress, disk usage).
// Types only; the runtime checks of stored and fetched data live in plan.ts and entries.ts.
import type { SerializedError } from '../engine/errors';

/** What the store needs to know of a model. */
export interface StoreModel {
  /** web-llm's model_id */
  id: string;
  /** web-llm's ModelRecord.model: the folder URL; files resolve against `cleanModelUrl(model)` */
  model: string;
  /** web-llm's ModelRecord.model_lib: the compiled library (.wasm) URL */
  model_lib: string;
  /** web-llm's ModelRecord.model_manifest, when the record names one (relative to the folder) */
  model_manifest?: string;
  /** known digests: file name (or 'lib') -> sha256 hex, or SRI (`sha256-…`, `sha384-…`, `sha512-…`) */
  digests?: Record<string, string>;
}

/** Which of web-llm's databases a file lives in (each has object store `urls`, keyPath `url`). */
export type WebLLMDatabase = 'webllm/config' | 'webllm/wasm' | 'webllm/model';

/** One file of a model, as the store plans to fetch and place it. */
export interface PlannedFile {
  /** name in the model folder (`params_shard_3.bin`), or 'lib' for the model library */
  name: string;
  /** absolute URL: the key web-llm looks it up by */
  url: string;
  db: WebLLMDatabase;
  /** how web-llm stores it: raw bytes, or the parsed JSON object (tensor-cache.json only) */
  kind: 'arraybuffer' | 'json';
  /** bytes; undefined until a response tells (Content-Length / Content-Range) */
  size?: number;
  /** expected digest (hex sha256 or SRI), when known */
  digest?: string;
  /** a weight shard (listed in tensor-cache.json) */
  shard: boolean;
}

export type DownloadPhase = 'planning' | 'downloading' | 'committing' | 'complete' | 'paused';

/** A progress report: bytes only ever grow, speed is smoothed, ETA counts down. */
export interface DownloadProgress {
  id: string;
  phase: DownloadPhase;
  /** bytes on disk or in hand, never decreasing within one download */
  bytesDone: number;
  /** bytes of the whole model (grows while small files of unknown size are first seen) */
  bytesTotal: number;
  /** bytes per second, smoothed; 0 until measured */
  bytesPerSecond: number;
  /** seconds left; undefined until a speed is known */
  etaSeconds?: number;
  filesDone: number;
  filesTotal: number;
}

/** A model as it sits in this browser's storage. */
export interface ModelOnDisk {
  /**
   * web-llm's model_id when Tally downloaded it (or its damaged record names one); otherwise the
   * folder URL. The storage list names the model by it.
   */
  key: string;
  /** the StoreModel Tally was given, when Tally downloaded it */
  model?: StoreModel;
  /** the resolved folder URL (`…/resolve/main/`) */
  base: string;
  /** bytes stored: complete files plus partial ranges */
  bytes: number;
  /** bytes of the whole model, when known */
  bytesTotal?: number;
  /** complete: web-llm would load it without the network */
  status: 'complete' | 'partial' | 'damaged';
  /** set when a download stopped: paused by a person, or an error it hit */
  hold?: { reason: 'paused' | 'error'; error?: SerializedError };
  /** found in web-llm's cache but not downloaded by Tally (web-llm fetched it itself) */
  foreign: boolean;
  /**
   * How its files were checked: 'digest' when each file of the folder had a published sha256
   * (catalog digests or the folder's tally-manifest.json), 'size' when some had only a size (a
   * shifted body of the right length would pass), 'none' for what web-llm fetched itself.
   */
  checked: 'digest' | 'size' | 'none';
  /** why the entry is damaged, in words a person can act on */
  problem?: string;
}

/** Usage of the site's storage, from navigator.storage.estimate(). */
export interface StorageEstimate {
  /** bytes used by this origin */
  usage: number;
  /** bytes this origin may use */
  quota: number;
}
