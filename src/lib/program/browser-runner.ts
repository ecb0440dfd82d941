// The browser host: each sandbox is a dedicated worker (program.worker.ts), terminated when its
// program ends. Creating the runner loads nothing; Pyodide loads on the first warm() or run(). The
// page fetches Pyodide's files once, from Tally's own origin, and hands them to every sandbox.
import { version } from 'pyodide/package.json';
import { SandboxRunner, type SpawnSandbox } from './host';
import { defaultLimits, type RunLimits } from './runner';
import type { PyodideFiles } from './sandbox';

/** Where pyodide-assets.ts serves Pyodide's files. */
const folder = `${import.meta.env.BASE_URL}pyodide/${version}/`;

async function fetched(name: string): Promise<Response> {
  const response = await fetch(`${folder}${name}`);
  if (!response.ok) throw new Error(`${name}: HTTP ${String(response.status)}`);
  return response;
}

async function fetchFiles(): Promise<PyodideFiles> {
  const bytes = async (name: string) => new Uint8Array(await (await fetched(name)).arrayBuffer());
  const [wasm, stdlib, lock] = await Promise.all([
    bytes('pyodide.asm.wasm'),
    bytes('python_stdlib.zip'),
    fetched('pyodide-lock.json').then((response) => response.json() as Promise<object>),
  ]);
  return { wasm, stdlib, lock };
}

let files: Promise<PyodideFiles> | null = null;

/** Pyodide's files, fetched on first use; a fetch that failed is tried again the next time. */
function pyodideFiles(): Promise<PyodideFiles> {
  files ??= fetchFiles().catch((error: unknown) => {
    files = null;
    throw error;
  });
  return files;
}

const spawnWorker: SpawnSandbox = (onMessage, onExit) => {
  const worker = new Worker(new URL('./program.worker.ts', import.meta.url), {
    type: 'module',
    name: 'tally-program',
  });
  worker.addEventListener('message', (event) => {
    onMessage(event.data);
  });
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    onExit(event.message || 'the program worker failed to start');
  });
  worker.addEventListener('messageerror', () => {
    onExit('the program worker sent a message that could not be read');
  });
  return {
    send(message) {
      if (message.type !== 'start') {
        worker.postMessage(message);
        return;
      }
      pyodideFiles().then(
        (pyodide) => {
          worker.postMessage({ ...message, files: pyodide });
        },
        (error: unknown) => {
          onExit(error instanceof Error ? error.message : String(error));
        },
      );
    },
    kill() {
      worker.terminate();
    },
  };
};

/** A runner whose sandboxes are Web Workers running Pyodide. */
export function createBrowserRunner(limits: RunLimits = defaultLimits): SandboxRunner {
  return new SandboxRunner(spawnWorker, limits);
}
