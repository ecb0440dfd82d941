// The Node host's sandbox: a child process started by node-runner.ts, bundled into one file and run
// under Node's permission model (no child processes, no workers, no writes, reads of this file and
// Pyodide's folder only) with code generation from strings disabled and an empty environment.
// Speaks the protocol over Node's IPC channel. argv[2] is Pyodide's folder.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { loadPyodide } from 'pyodide';
import type { FromSandbox } from './protocol';
import { serveSandbox, type PyodideSource } from './sandbox';

const proc = process;
const send = proc.send?.bind(proc);
const dir = proc.argv[2];
if (send === undefined || dir === undefined) {
  throw new Error('node-sandbox runs as a child process of the program runner only.');
}
const file = (name: string): string => join(dir, name);
const bytes = async (name: string): Promise<Uint8Array> =>
  new Uint8Array(await readFile(file(name)));

const source: PyodideSource = {
  async files() {
    const [wasm, stdlib, lock] = await Promise.all([
      bytes('pyodide.asm.wasm'),
      bytes('python_stdlib.zip'),
      readFile(file('pyodide-lock.json'), 'utf8'),
    ]);
    return { wasm, stdlib, lock: JSON.parse(lock) as object };
  },
  runtime: () => import(pathToFileURL(file('pyodide.asm.js')).href),
  async loader() {
    const module = (await import(pathToFileURL(file('pyodide.mjs')).href)) as {
      loadPyodide: typeof loadPyodide;
    };
    return module.loadPyodide;
  },
};

const handle = serveSandbox(
  (message: FromSandbox) => {
    send(message);
  },
  {
    source,
    // Node's own ways out: with these gone Pyodide's loader and Emscripten take no Node path
    hostGlobals: ['process', 'global', 'require', 'Buffer', 'setImmediate', 'clearImmediate'],
  },
);
proc.on('message', handle);
// the parent going away ends the sandbox
proc.on('disconnect', () => {
  proc.exit(0);
});
