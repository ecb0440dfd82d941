// Every failure a person can meet while loading or running a model, as one class with a code.
// web-llm reports errors as strings; this is the only place that reads their text.

export type EngineErrorCode =
  | 'webgpu-unavailable'
  | 'shader-f16-missing'
  | 'device-lost'
  | 'out-of-memory'
  | 'model-lib-invalid'
  | 'model-not-found'
  | 'network'
  | 'quota'
  | 'aborted'
  | 'timeout'
  | 'unauthorized'
  | 'server'
  | 'bad-response'
  | 'worker-crashed'
  | 'bad-input'
  | 'unknown';

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
