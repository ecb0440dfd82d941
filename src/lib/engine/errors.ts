// Every failure a person can meet while loading or running a model, as one class with a code.
// web-llm reports errors as strings; this is the only place that reads their text.
import { buildNames, lacksHalfPrecision } from './gpu-words';

export const engineErrorCodes = [
  'webgpu-unavailable',
  'shader-f16-missing',
  'device-lost',
  'out-of-memory',
  'model-lib-invalid',
  'model-not-found',
  'network',
  'quota',
  'aborted',
  'timeout',
  'unauthorized',
  'server',
  'bad-response',
  /** a downloaded file failed its size or digest check, after fetching it again */
  'integrity',
  /** the browser's storage failed, or holds data Tally cannot read */
  'storage',
  'worker-crashed',
  /** another tab or widget took the GPU (one in-browser model per browser) */
  'taken-over',
  'bad-input',
  'unknown',
] as const;

export type EngineErrorCode = (typeof engineErrorCodes)[number];

const codes: ReadonlySet<string> = new Set(engineErrorCodes);

export function isEngineErrorCode(value: unknown): value is EngineErrorCode {
  return typeof value === 'string' && codes.has(value);
}

/** How an error crosses a boundary (worker, iframe): plain data, rebuilt on the other side. */
export interface SerializedError {
  code: EngineErrorCode;
  message: string;
}

export class EngineError extends Error {
  readonly code: EngineErrorCode;

  constructor(code: EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // Cancellation surfaces as an AbortError, as fetch and DOM APIs do.
    this.name = code === 'aborted' ? 'AbortError' : 'EngineError';
  }

  toJSON(): SerializedError {
    return { code: this.code, message: this.message };
  }

  static from(serialized: SerializedError): EngineError {
    return new EngineError(serialized.code, serialized.message);
  }
}

export function abortError(): EngineError {
  return new EngineError('aborted', 'Stopped.');
}

export function isAbort(error: unknown): boolean {
  return error instanceof EngineError
    ? error.code === 'aborted'
    : error instanceof DOMException && error.name === 'AbortError';
}

/** web-llm's error strings (its class names and messages, as its worker sends them) to codes. */
const webllmPatterns: [RegExp, EngineErrorCode, string][] = [
  [
    /WebGPUNotAvailableError|WebGPUNotFoundError|Cannot find WebGPU|Unable to find a compatible GPU/i,
    'webgpu-unavailable',
    'WebGPU is not available here. Use a recent Chrome or Edge with hardware acceleration on, or a server engine.',
  ],
  [
    /ShaderF16SupportError|shader-f16/i,
    'shader-f16-missing',
    `${lacksHalfPrecision('This build')} Pick the ${buildNames.q4f32_1} or a smaller model.`,
  ],
  [
    /DeviceLostError|device was lost|Device is lost/i,
    'device-lost',
    'The GPU stopped responding, often because it ran out of memory. Try a smaller model, or close other GPU-heavy tabs and reload.',
  ],
  [
    /ContextWindowSizeExceededError|exceed context window/i,
    'bad-input',
    'The problem and its working do not fit in what this model can read at once (its context window). Shorten the problem or lower the token limit, or pick a model with a larger window.',
  ],
  // Before the library's pattern: the page's WebAssembly memory running out is memory, not a
  // damaged .wasm.
  [
    /Memory\.grow|Maximum memory size/i,
    'out-of-memory',
    'The browser ran out of memory for the model. Try a smaller model, or close other tabs.',
  ],
  [
    /out of memory|OutOfMemory|Failed to allocate|allocation failed/i,
    'out-of-memory',
    'The GPU ran out of memory. Try a smaller model or close other GPU-heavy tabs.',
  ],
  [
    /QuotaExceeded|quota/i,
    'quota',
    'The browser ran out of storage for the model. Free some disk space or delete models in the storage panel.',
  ],
  // Before the library's pattern: web-llm words a failed library download "Failed to store
  // …wasm with error: TypeError: Failed to fetch", which is the network's fault, not the file's.
  [
    /Failed to fetch|fetch failed|NetworkError|network|Load failed/i,
    'network',
    'The model files could not be downloaded. Check your connection and try again.',
  ],
  [
    /CompileError|WebAssembly|wasm|magic word|MissingModelWasmError|LinkError/i,
    'model-lib-invalid',
    'The model library could not be loaded: the .wasm file is missing, damaged, or built for another web-llm version.',
  ],
  [
    /ModelNotFoundError|SpecifiedModelNotFoundError/i,
    'model-not-found',
    'That model is not in the catalog the engine was given.',
  ],
];

/** Maps whatever web-llm threw or sent (usually `err.toString()`) to an EngineError. */
export function fromWebLLM(error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  for (const [pattern, code, message] of webllmPatterns) {
    if (pattern.test(text)) return new EngineError(code, `${message} (${text.slice(0, 300)})`);
  }
  return new EngineError('unknown', `The model engine failed: ${text.slice(0, 300)}`);
}
