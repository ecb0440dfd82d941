// The Node host: each sandbox is a child process (node-sandbox.ts, bundled once into a file of its
// own) under Node's permission model, killed after its program or past the time limit. For the
// CLIs; the page uses browser-runner.ts. See docs/ARCHITECTURE.md, "Program sandbox".
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { SandboxRunner, type SpawnSandbox } from './host';
import { defaultLimits, type RunLimits } from './runner';

/** Pyodide's folder: the only files a sandbox reads besides its own. */
const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));

let bundled: string | null = null;

/**
 * node-sandbox.ts and what it imports, as one JavaScript file in a folder of its own: the child
 * runs without a TypeScript loader (tsx would need a child process of its own, which the
 * permission model refuses). Made once per process, removed when it exits.
 */
function sandboxFile(): string {
  if (bundled !== null) return bundled;
  const folder = mkdtempSync(join(tmpdir(), 'tally-sandbox-'));
  process.once('exit', () => {
    rmSync(folder, { recursive: true, force: true });
  });
  const file = join(folder, 'sandbox.mjs');
  const { outputFiles } = buildSync({
    entryPoints: [fileURLToPath(new URL('./node-sandbox.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['pyodide'],
    write: false,
    logLevel: 'silent',
  });
  writeFileSync(file, outputFiles[0]?.text ?? '');
  bundled = file;
  return file;
}

/** Node 20 calls the permission model experimental; Node 22.13 and later name it `--permission`. */
const permissionFlag = process.allowedNodeEnvironmentFlags.has('--permission')
  ? '--permission'
  : '--experimental-permission';

/**
 * What the child may do: read its own file and Pyodide's folder, nothing else (no writes, no
 * child processes, no workers, no native addons, no WASI: the permission model's defaults), no
 * code from strings, no environment, an empty folder to run in.
 */
export function childOptions(file: string) {
  return {
    execArgv: [
      permissionFlag,
      `--allow-fs-read=${file}`,
      `--allow-fs-read=${join(pyodideDir, '*')}`,
      '--disallow-code-generation-from-strings',
      '--no-warnings',
    ],
    env: {},
    cwd: dirname(file),
    serialization: 'advanced' as const,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'] as ('ignore' | 'pipe' | 'ipc')[],
  };
}

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
  const file = sandboxFile();
  const child = fork(file, [pyodideDir], childOptions(file));
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

  /** how many sandboxes were started (one a program, and the spare started ahead) */
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
