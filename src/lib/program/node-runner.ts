// The Node host: each sandbox is a child process (node-sandbox.ts) without code generation from
// strings, killed past the time limit. For the CLIs; the page uses browser-runner.ts.
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SandboxRunner, type SpawnSandbox } from './host';
import { defaultLimits, type RunLimits } from './runner';

const entry = fileURLToPath(new URL('./node-sandbox.ts', import.meta.url));

/** The last bytes the child wrote to stderr, for the message when it dies. */
const stderrTail = 2000;

/** Sandboxes started, and their memory as Linux reports it (zero elsewhere). */
interface Stats {
  starts: number;
  /** the largest resident set any sandbox had (VmHWM), in bytes */
  peak: number;
  /** the live sandbox's resident set (VmRSS) at its last message, in bytes */
  current: number;
}

function sample(pid: number | undefined, stats: Stats): void {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid ?? 'none'}/status`, 'utf8');
  } catch {
    return;
  }
  const kib = (field: string): number =>
    Number(new RegExp(`${field}:\\s*(\\d+)`).exec(status)?.[1] ?? 0);
  stats.peak = Math.max(stats.peak, kib('VmHWM') * 1024);
  stats.current = kib('VmRSS') * 1024;
}

function spawnChild(
  stats: Stats,
  ...[onMessage, onExit]: Parameters<SpawnSandbox>
): ReturnType<SpawnSandbox> {
  stats.starts += 1;
  const child = fork(entry, [], {
    execArgv: ['--import', 'tsx', '--disallow-code-generation-from-strings'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTail);
  });
  child.on('message', (message) => {
    sample(child.pid, stats);
    onMessage(message);
  });
  child.on('error', (error) => {
    onExit(error.message);
  });
  child.on('exit', (code, signal) => {
    const how = signal ? `killed by ${signal}` : `exit code ${code ?? '?'}`;
    onExit(stderr.trim() === '' ? how : `${how}: ${stderr.trim()}`);
  });
  return {
    send(message) {
      if (child.connected) child.send(message);
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}

/** A runner whose sandboxes are Node child processes, with their memory for reports. */
export class NodeRunner extends SandboxRunner {
  readonly #stats: Stats;

  constructor(limits: RunLimits = defaultLimits) {
    const stats: Stats = { starts: 0, peak: 0, current: 0 };
    super((onMessage, onExit) => spawnChild(stats, onMessage, onExit), limits);
    this.#stats = stats;
  }

  /** how many sandboxes were started (one, plus one after each program stopped by a limit) */
  get starts(): number {
    return this.#stats.starts;
  }

  /** the sandboxes' peak and current resident memory in bytes, or null where Linux's /proc is not */
  memory(): { peak: number; current: number } | null {
    const { peak, current } = this.#stats;
    return peak > 0 ? { peak, current } : null;
  }
}

export function createNodeRunner(limits: RunLimits = defaultLimits): NodeRunner {
  return new NodeRunner(limits);
}
