// The browser host's sandbox: a dedicated module worker started by browser-runner.ts. Pyodide's
// files come from Tally's own origin (pyodide-assets.ts puts them at /pyodide/<version>/), fetched
// before the sandbox removes fetch; its loader is imported only then (see sandbox.ts, loadPython).
import { version } from 'pyodide/package.json';
import type { FromSandbox } from './protocol';
import { serveSandbox, type PyodideSource } from './sandbox';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// taken before startSandbox removes postMessage from the global scope
const post = scope.postMessage.bind(scope);
const folder = new URL(`${import.meta.env.BASE_URL}pyodide/${version}/`, scope.location.origin);

async function fetched(name: string): Promise<Response> {
  const response = await fetch(new URL(name, folder));
  if (!response.ok) throw new Error(`${name}: HTTP ${String(response.status)}`);
  return response;
}

const source: PyodideSource = {
  async files() {
    const bytes = async (name: string) => new Uint8Array(await (await fetched(name)).arrayBuffer());
    const [wasm, stdlib, lock] = await Promise.all([
      bytes('pyodide.asm.wasm'),
      bytes('python_stdlib.zip'),
      fetched('pyodide-lock.json').then((response) => response.json() as Promise<object>),
    ]);
    return { wasm, stdlib, lock };
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
  handle(event.data);
});
