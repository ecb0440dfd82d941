// Messages between a host (SandboxRunner) and its sandbox (program.worker.ts, node-sandbox.ts).
// What comes back is checked field by field: the sandbox runs untrusted code.
import type { RunFailure, RunLimits, RunOutcome } from './runner';

export type ToSandbox =
  | {
      type: 'start';
      limits: Pick<RunLimits, 'memoryBytes' | 'outputBytes'>;
      /** Python's memory after start-up, made by an earlier sandbox before it ran anything */
      snapshot: Uint8Array | null;
    }
  | { type: 'run'; id: number; code: string };

export type FromSandbox =
  /** `snapshot`: the one it made, when it was started without one */
  | { type: 'ready'; snapshot: Uint8Array | null }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; outcome: RunOutcome };

const failures: readonly RunFailure[] = ['exception', 'timeout', 'memory', 'output', 'crashed'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseOutcome(value: unknown): RunOutcome | null {
  if (!isRecord(value)) return null;
  const { ok, stdout, ms } = value;
  if (typeof stdout !== 'string' || typeof ms !== 'number') return null;
  if (ok === true) {
    const { returned } = value;
    return typeof returned === 'string' || returned === null ? { ok, stdout, returned, ms } : null;
  }
  const { failure, message } = value;
  const known = failures.find((f) => f === failure);
  if (ok !== false || known === undefined || typeof message !== 'string') return null;
  return { ok, failure: known, message, stdout, ms };
}

/** A sandbox's message, or null when it is not one this protocol knows. */
export function parseFromSandbox(value: unknown): FromSandbox | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case 'ready':
      return value.snapshot instanceof Uint8Array || value.snapshot === null
        ? { type: 'ready', snapshot: value.snapshot }
        : null;
    case 'failed':
      return typeof value.message === 'string' ? { type: 'failed', message: value.message } : null;
    case 'result': {
      const outcome = parseOutcome(value.outcome);
      return typeof value.id === 'number' && outcome
        ? { type: 'result', id: value.id, outcome }
        : null;
    }
    default:
      return null;
  }
}

/** A host's message, or null (the sandbox ignores anything else). */
export function parseToSandbox(value: unknown): ToSandbox | null {
  if (!isRecord(value)) return null;
  if (value.type === 'run') {
    return typeof value.id === 'number' && typeof value.code === 'string'
      ? { type: 'run', id: value.id, code: value.code }
      : null;
  }
  if (value.type !== 'start' || !isRecord(value.limits)) return null;
  const { memoryBytes, outputBytes } = value.limits;
  const { snapshot } = value;
  if (typeof memoryBytes !== 'number' || typeof outputBytes !== 'number') return null;
  if (!(snapshot instanceof Uint8Array) && snapshot !== null) return null;
  // a copy: Node's channel may hand over a view at an offset Python's memory cannot start at
  return {
    type: 'start',
    limits: { memoryBytes, outputBytes },
    snapshot: snapshot === null ? null : snapshot.slice(),
  };
}
