// The browser host's sandbox: a dedicated module worker started by browser-runner.ts, which hands
// it Pyodide's files with its start message. Pyodide's runtime script comes from Tally's own origin
// (pyodide-assets.ts puts it at /pyodide/<version>/); its loader is imported only once the sandbox
// has hidden what the loader must not see (see sandbox.ts, loadPython).
import { version } from 'pyodide/package.json';
import type { FromSandbox } from './protocol';
import { serveSandbox, type PyodideFiles, type PyodideSource } from './sandbox';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// taken before startSandbox removes postMessage from the global scope
const post = scope.postMessage.bind(scope);
const folder = new URL(`${import.meta.env.BASE_URL}pyodide/${version}/`, scope.location.origin);

/** The files the host handed over with its start message, if they have the right shape. */
function handedFiles(data: unknown): PyodideFiles | null {
  if (typeof data !== 'object' || data === null || !('files' in data)) return null;
  const { files } = data;
  if (typeof files !== 'object' || files === null) return null;
  const { wasm, stdlib, lock } = files as Record<string, unknown>;
  return wasm instanceof Uint8Array &&
    stdlib instanceof Uint8Array &&
    typeof lock === 'object' &&
    lock !== null
    ? { wasm, stdlib, lock }
    : null;
}

let files: PyodideFiles | null = null;

const source: PyodideSource = {
  files() {
    return files === null
      ? Promise.reject(new Error('the page handed over no Pyodide files'))
      : Promise.resolve(files);
  },
  runtime: () => import(/* @vite-ignore */ new URL('pyodide.asm.js', folder).href),
  async loader() {
    return (await import('pyodide')).loadPyodide;
  },
};

const handle = serveSandbox(
  (message: FromSandbox, transfer?: Transferable[]) => {
    post(message, transfer ?? []);
  },
  { source },
);
scope.addEventListener('message', (event: MessageEvent) => {
  files ??= handedFiles(event.data);
  handle(event.data);
});
