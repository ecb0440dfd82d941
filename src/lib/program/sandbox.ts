// The inside of a sandbox, the same in both hosts (program.worker.ts, node-sandbox.ts): loads
// Pyodide under a memory cap, installs the harness, strips the realm's ways out, and runs programs.
// It runs in a thread or process of its own: the host's timer stops it from outside.
import type { loadPyodide as LoadPyodide, PyodideInterface } from 'pyodide';
import { harness } from './harness';
import { parseToSandbox, type FromSandbox } from './protocol';
import type { RunLimits, RunOutcome } from './runner';
import { limitMessage } from './runner';

type PyCallable = (code: string) => unknown;

/**
 * Globals a program could use to reach storage, the network, other contexts or new code, in any
 * host. Each is deleted from the global object and its prototypes; the sandbox refuses to start
 * if one is still reachable afterwards.
 */
export const removedGlobals = [
  // network
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  // storage
  'indexedDB',
  'caches',
  'cookieStore',
  'navigator',
  'localStorage',
  'sessionStorage',
  // other contexts
  'postMessage',
  'BroadcastChannel',
  'MessageChannel',
  'Worker',
  'SharedWorker',
  'close',
  'onmessage',
  // new code from strings
  'eval',
  'Function',
];

/** Deletes `names` from `scope` and every object on its prototype chain; returns those still there. */
export function removeGlobals(scope: object, names: readonly string[]): string[] {
  for (let o: object | null = scope; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of names) {
      if (Object.prototype.hasOwnProperty.call(o, name)) Reflect.deleteProperty(o, name);
    }
  }
  return names.filter((name) => name in scope);
}

/**
 * Makes every function constructor unreachable: `f.constructor` of an ordinary, async, generator
 * or async generator function is how code reaches `Function` once the global is gone, and a
 * string timer handler is eval by another name.
 */
function blockCodeFromStrings(): void {
  const kinds = [function () {}, async function () {}, function* () {}, async function* () {}].map(
    (f) => Object.getPrototypeOf(f) as object,
  );
  for (const proto of kinds) {
    Object.defineProperty(proto, 'constructor', { value: undefined, configurable: false });
  }
  for (const name of ['setTimeout', 'setInterval'] as const) {
    const timer = globalThis[name] as (handler: unknown, ...rest: unknown[]) => unknown;
    Object.defineProperty(globalThis, name, {
      value: (handler: unknown, ...rest: unknown[]) => {
        if (typeof handler !== 'function') throw new TypeError(`${name} takes a function only`);
        return timer.call(globalThis, handler, ...rest);
      },
      configurable: false,
      writable: false,
    });
  }
}

/** A memory cap no program can lift: WebAssembly memory grows only through this check. */
function capMemory(limitBytes: number, onRefused: () => void): void {
  const proto = WebAssembly.Memory.prototype;
  const grow = Object.getOwnPropertyDescriptor(proto, 'grow')?.value as (
    this: WebAssembly.Memory,
    delta: number,
  ) => number;
  Object.defineProperty(proto, 'grow', {
    value: function (this: WebAssembly.Memory, delta: number): number {
      if (this.buffer.byteLength + delta * 65536 > limitBytes) {
        onRefused();
        throw new RangeError('memory limit');
      }
      return grow.call(this, delta);
    },
    configurable: false,
    writable: false,
  });
}

/**
 * Deletes every own property of Pyodide's API object (loadPackage, runPythonAsync, FS, _api,
 * _module, …): Python can still reach that object through proxies Pyodide keeps internally,
 * and its functions load scripts and packages. The sandbox keeps only the harness function.
 */
function emptyObject(api: object): void {
  for (const key of Reflect.ownKeys(api)) Reflect.deleteProperty(api, key);
  const left = Reflect.ownKeys(api).filter(
    (key) => key !== 'prototype' && key !== 'length' && key !== 'name',
  );
  if (left.length > 0)
    throw new Error(`the sandbox could not empty Pyodide's API: ${left.map(String).join(', ')}`);
}

export interface SandboxOptions {
  loadPyodide: typeof LoadPyodide;
  /** where Pyodide's files are (the browser); Node finds them next to its module */
  indexURL?: string;
  limits: Pick<RunLimits, 'memoryBytes' | 'outputBytes'>;
  /** host-specific globals to remove besides `removedGlobals` */
  alsoRemove?: readonly string[];
}

/** A started sandbox: runs one program to its end (the host enforces the time limit). */
export type RunInSandbox = (code: string) => RunOutcome;

/**
 * Loads Python, installs the harness, then removes the realm's ways out (see removedGlobals).
 * Callers must take what they need from the global scope (their `postMessage`) before this.
 * Rejects when Python cannot load or a global cannot be removed: the sandbox fails closed.
 */
export async function startSandbox(options: SandboxOptions): Promise<RunInSandbox> {
  const { limits } = options;
  /** what the run in progress printed, and whether it passed a limit */
  const state = { printed: 0, output: '', overflow: false, memoryRefused: false };
  capMemory(limits.memoryBytes, () => {
    state.memoryRefused = true;
  });
  const pyodide: PyodideInterface = await options.loadPyodide({
    ...(options.indexURL === undefined ? {} : { indexURL: options.indexURL }),
    // `import js` sees an empty object, not the global scope
    jsglobals: Object.create(null) as object,
    packages: [],
  });
  const decoder = new TextDecoder();
  const write = (bytes: Uint8Array): number => {
    state.printed += bytes.length;
    if (state.printed > limits.outputBytes) {
      state.overflow = true;
      throw new Error('output limit');
    }
    state.output += decoder.decode(bytes, { stream: true });
    return bytes.length;
  };
  pyodide.setStdout({ write });
  pyodide.setStderr({ write });
  pyodide.setStdin({ error: true });
  const run = pyodide.runPython(harness) as PyCallable;
  emptyObject(pyodide);
  const left = removeGlobals(globalThis, [...removedGlobals, ...(options.alsoRemove ?? [])]);
  if (left.length > 0) throw new Error(`the sandbox could not remove ${left.join(', ')}`);
  blockCodeFromStrings();

  return (code) => {
    Object.assign(state, { printed: 0, output: '', overflow: false, memoryRefused: false });
    const start = performance.now();
    const reply = JSON.parse(String(run(code))) as [string | null, string, string | null];
    const ms = performance.now() - start;
    const stdout = state.output + decoder.decode();
    const [failure, message, returned] = reply;
    if (state.overflow) {
      return {
        ok: false,
        failure: 'output',
        message: limitMessage('output', limits.outputBytes),
        stdout,
        ms,
      };
    }
    if (failure === 'memory' || state.memoryRefused) {
      return {
        ok: false,
        failure: 'memory',
        message: limitMessage('memory', limits.memoryBytes),
        stdout,
        ms,
      };
    }
    if (failure !== null) return { ok: false, failure: 'exception', message, stdout, ms };
    return { ok: true, stdout, returned, ms };
  };
}

/** What to tell a person when Python's runtime itself failed under a program. */
function crashMessage(error: unknown): string {
  if (error instanceof RangeError && /call stack/i.test(error.message)) {
    return 'The program recursed too deeply and was stopped.';
  }
  return `Python stopped: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * The sandbox's side of the protocol: `post` is the host's channel, taken before startSandbox
 * removes it from the global scope. Returns the handler for the host's messages.
 */
export function serveSandbox(
  post: (message: FromSandbox) => void,
  options: Omit<SandboxOptions, 'limits'>,
): (data: unknown) => void {
  let sandbox: Promise<RunInSandbox> | null = null;
  return (data) => {
    const message = parseToSandbox(data);
    if (message === null) return;
    if (message.type === 'start') {
      if (sandbox !== null) return;
      sandbox = startSandbox({ ...options, limits: message.limits });
      sandbox.then(
        () => {
          post({ type: 'ready' });
        },
        (error: unknown) => {
          post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        },
      );
      return;
    }
    void sandbox?.then((run) => {
      let outcome: RunOutcome;
      try {
        outcome = run(message.code);
      } catch (error) {
        outcome = {
          ok: false,
          failure: 'crashed',
          message: crashMessage(error),
          stdout: '',
          ms: 0,
        };
      }
      post({ type: 'result', id: message.id, outcome });
    });
  };
}
