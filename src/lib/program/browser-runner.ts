// The browser host: each sandbox is a dedicated worker (program.worker.ts), terminated past the
// time limit. Creating the runner loads nothing; Pyodide loads on the first warm() or run().
import { SandboxRunner, type SpawnSandbox } from './host';
import { defaultLimits, type RunLimits } from './runner';

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
      worker.postMessage(message);
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
