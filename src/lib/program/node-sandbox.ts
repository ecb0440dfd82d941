// The Node host's sandbox: a child process started by node-runner.ts, with code generation from
// strings disabled. Speaks the protocol over Node's IPC channel.
import { loadPyodide } from 'pyodide';
import type { FromSandbox } from './protocol';
import { serveSandbox } from './sandbox';

const send = process.send?.bind(process);
if (send === undefined) {
  console.error('node-sandbox.ts runs as a child process of the program runner only.');
  process.exit(2);
}
const post = (message: FromSandbox): void => {
  send(message);
};
process.on(
  'message',
  serveSandbox(post, { loadPyodide, alsoRemove: ['process', 'global', 'require'] }),
);
// the parent going away ends the sandbox
process.on('disconnect', () => {
  process.exit(0);
});
