// The browser host's sandbox: a dedicated module worker started by browser-runner.ts. Pyodide's
// files come from Tally's own origin (pyodide-assets.ts puts them at /pyodide/<version>/).
import { loadPyodide, version } from 'pyodide';
import type { FromSandbox } from './protocol';
import { serveSandbox } from './sandbox';

const scope = self as unknown as DedicatedWorkerGlobalScope;
// taken before startSandbox removes postMessage from the global scope
const post = scope.postMessage.bind(scope);
const indexURL = new URL(`${import.meta.env.BASE_URL}pyodide/${version}/`, scope.location.origin);
// Pyodide fetches its files side by side; when one fails (offline before Python was first kept),
// loadPyodide rejects and the host is told (protocol 'failed'), while the other fetches' rejections
// have no handler. They are that same failure, already reported, not errors of their own.
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
});
const handle = serveSandbox(
  (message: FromSandbox) => {
    post(message);
  },
  { loadPyodide, indexURL: indexURL.href },
);
scope.addEventListener('message', (event: MessageEvent) => {
  handle(event.data);
});
