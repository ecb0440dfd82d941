// The inside of a sandbox, the same in both hosts (program.worker.ts, node-sandbox.ts): strips the
// realm's ways out, starts Python under a memory cap with Pyodide's loader cut off from the host,
// installs the harness, and runs one program. It runs in a thread or process of its own, which the
// host ends after that program (or past its time limit). See docs/ARCHITECTURE.md, "Program sandbox".
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

/** Pyodide's files, read or fetched by the host before anything of Pyodide's runs. */
export interface PyodideFiles {
  wasm: Uint8Array;
  stdlib: Uint8Array;
  /** pyodide-lock.json, parsed */
  lock: object;
}

/**
 * How a host brings Pyodide into its sandbox: the files, then its two scripts. Each is called
 * once, before the lockdown (so a host may use `fetch` or Node's file system here).
 */
export interface PyodideSource {
  files(): Promise<PyodideFiles>;
  /** evaluates pyodide.asm.js, which defines `globalThis._createPyodideModule` */
  runtime(): Promise<unknown>;
  /** evaluates Pyodide's loader (pyodide.mjs) and returns its `loadPyodide` */
  loader(): Promise<typeof LoadPyodide>;
}

export interface SandboxOptions {
  source: PyodideSource;
  limits: Pick<RunLimits, 'memoryBytes' | 'outputBytes'>;
  /** Python's memory right after start-up, from an earlier sandbox; null: start Python and make one */
  snapshot: Uint8Array | null;
  /** the host's own globals to remove, before Pyodide's loader is evaluated */
  hostGlobals?: readonly string[];
}

/** A started sandbox: runs one program to its end (the host enforces the time limit). */
export type RunInSandbox = (code: string) => RunOutcome;

/** Where Pyodide believes its files are: names the sandbox serves from memory, no host path or URL. */
const shellIndex = '/pyodide/';

/** Modules most programs use, imported once into the snapshot rather than by every program. */
const preloaded =
  'import builtins, collections, datetime, decimal, fractions, functools, itertools, json, math, re, statistics, sys, traceback';

/**
 * Pyodide's loader picks, once, when it is evaluated, how it loads files and scripts: with
 * `fetch` and `import()` in a browser, with Node's `fs`, `child_process` and `ws` in Node.
 * Evaluated here it sees neither a worker nor Node but a bare JavaScript shell, and calls only
 * the three functions set here: `readbuffer` serves the two files in memory, `load` and `read`
 * refuse (the runtime script is evaluated already and the lock file is passed in). Emscripten
 * decides later, when Python starts: as a worker, so it draws random numbers from
 * `crypto.getRandomValues` and has no host to reach (no NODEFS, `system()` returns -1, sockets
 * have no WebSocket to open).
 */
async function loadPython(
  source: PyodideSource,
  files: PyodideFiles,
  snapshot: Uint8Array | null,
): Promise<PyodideInterface> {
  const served = new Map([
    [`${shellIndex}pyodide.asm.wasm`, files.wasm],
    [`${shellIndex}python_stdlib.zip`, files.stdlib],
  ]);
  const scope = globalThis as Record<string, unknown>;
  const worker = Object.getOwnPropertyDescriptor(globalThis, 'WorkerGlobalScope');
  Reflect.deleteProperty(globalThis, 'WorkerGlobalScope');
  Object.assign(scope, {
    readbuffer: (path: string): ArrayBuffer => {
      const bytes = served.get(path);
      if (bytes === undefined) throw new Error(`the sandbox has no file ${path}`);
      return bytes.slice().buffer;
    },
    read: (path: string): never => {
      throw new Error(`the sandbox reads no ${path}`);
    },
    load: (path: string): never => {
      throw new Error(`the sandbox loads no script ${path}`);
    },
  });
  const loadPyodide = await source.loader();
  if (worker) Object.defineProperty(globalThis, 'WorkerGlobalScope', worker);
  else {
    // Node: a worker's two names, all Emscripten reads of one
    scope.WorkerGlobalScope = function WorkerGlobalScope() {};
    scope.self = { location: { href: `${shellIndex}pyodide.asm.js` } };
  }
  const pyodide = await loadPyodide({
    indexURL: shellIndex,
    lockFileContents: files.lock as never,
    env: {},
    // `import js` sees an empty object, not the global scope
    jsglobals: Object.create(null) as object,
    packages: [],
    ...(snapshot === null ? { _makeSnapshot: true } : { _loadSnapshot: snapshot }),
  });
  for (const name of ['readbuffer', 'read', 'load']) Reflect.deleteProperty(globalThis, name);
  if (!worker)
    for (const name of ['WorkerGlobalScope', 'self']) Reflect.deleteProperty(globalThis, name);
  return pyodide;
}

/** A started sandbox, and the snapshot it made when it was given none. */
export interface StartedSandbox {
  run: RunInSandbox;
  snapshot: Uint8Array | null;
}

/**
 * Takes Pyodide's files and scripts from the host, removes the host's own globals, starts Python
 * (from `snapshot` when there is one, else making one), removes the realm's ways out (see
 * removedGlobals), and installs the harness. Callers must take what they need from the
 * global scope (their `postMessage`) before this. Rejects when Python cannot start or a global
 * cannot be removed: the sandbox fails closed.
 */
export async function startSandbox(options: SandboxOptions): Promise<StartedSandbox> {
  const { limits, source } = options;
  /** what the run in progress printed, and whether it passed a limit */
  const state = { printed: 0, output: '', overflow: false, memoryRefused: false };
  const files = await source.files();
  await source.runtime();
  const remove = (names: readonly string[]) => {
    const left = removeGlobals(globalThis, names);
    if (left.length > 0) throw new Error(`the sandbox could not remove ${left.join(', ')}`);
  };
  // the host's own ways out go before Pyodide's loader is evaluated: it must not see Node
  remove(options.hostGlobals ?? []);
  capMemory(limits.memoryBytes, () => {
    state.memoryRefused = true;
  });
  const pyodide = await loadPython(source, files, options.snapshot);
  let snapshot: Uint8Array | null = null;
  if (options.snapshot === null) {
    pyodide.runPython(preloaded);
    snapshot = pyodide.makeMemorySnapshot();
  }
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
  // the rest once Python is up (its start-up and snapshot call Function and read its error
  // classes' constructors): what Pyodide calls by these names from now on, it finds gone
  remove(removedGlobals);
  blockCodeFromStrings();

  const runOnce: RunInSandbox = (code) => {
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
  return { run: runOnce, snapshot };
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
 * removes it from the global scope. A sandbox starts once and runs one program; the host ends it
 * then, so anything a program changes or leaves behind ends with it.
 */
export function serveSandbox(
  post: (message: FromSandbox, transfer?: Transferable[]) => void,
  options: Omit<SandboxOptions, 'limits' | 'snapshot'>,
): (data: unknown) => void {
  let sandbox: Promise<StartedSandbox> | null = null;
  let ran = false;
  return (data) => {
    const message = parseToSandbox(data);
    if (message === null) return;
    if (message.type === 'start') {
      if (sandbox !== null) return;
      sandbox = startSandbox({ ...options, limits: message.limits, snapshot: message.snapshot });
      sandbox.then(
        ({ snapshot }) => {
          post({ type: 'ready', snapshot }, snapshot === null ? [] : [snapshot.buffer]);
        },
        (error: unknown) => {
          post({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        },
      );
      return;
    }
    if (ran) return;
    ran = true;
    void sandbox?.then(({ run }) => {
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
