// The host side of a sandbox, the same for the browser worker and the Node child process: starts
// it, sends one program at a time, stops it past the time limit or when it dies, and starts a new
// one for the next run.
import { abortError } from '../engine/errors';
import { parseFromSandbox, type ToSandbox } from './protocol';
import {
  defaultLimits,
  limitMessage,
  noPythonPrefix,
  type ProgramRunner,
  type RunLimits,
  type RunOutcome,
} from './runner';

/** A started sandbox process or worker, as a host sees it. */
export interface SandboxChannel {
  send(message: ToSandbox): void;
  /** ends it at once, whatever it is doing */
  kill(): void;
}

/** Starts a sandbox; `onMessage` gets what it posts, `onExit` is called once if it dies. */
export type SpawnSandbox = (
  onMessage: (data: unknown) => void,
  onExit: (reason: string) => void,
) => SandboxChannel;

interface Live {
  channel: SandboxChannel;
  ready: Promise<void>;
  /** resolves the run in flight */
  settle: ((outcome: RunOutcome) => void) | null;
  runId: number;
}

/** `promise`, or a rejection as soon as `signal` aborts (Python keeps starting for the next run). */
function untilAborted(promise: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return promise;
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      reject(abortError());
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}

function crashed(message: string): RunOutcome {
  return { ok: false, failure: 'crashed', message, stdout: '', ms: 0 };
}

export class SandboxRunner implements ProgramRunner {
  #limits: RunLimits;
  readonly #spawn: SpawnSandbox;
  #live: Live | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 0;

  constructor(spawn: SpawnSandbox, limits: RunLimits = defaultLimits) {
    this.#spawn = spawn;
    this.#limits = limits;
  }

  get limits(): RunLimits {
    return this.#limits;
  }

  /**
   * Sets the time limit from the next run on. It is the host's own timer, so the sandbox (and
   * Python's start-up, seconds on a slow machine) is kept.
   */
  setTimeLimit(ms: number): void {
    this.#limits = { ...this.#limits, timeoutMs: ms };
  }

  warm(): Promise<void> {
    return this.#start().ready;
  }

  run(code: string, signal?: AbortSignal): Promise<RunOutcome> {
    const outcome = this.#queue.then(() => this.#runNow(code, signal));
    this.#queue = outcome.catch(() => undefined);
    return outcome;
  }

  close(): void {
    if (this.#live) this.#stop(this.#live, crashed('The sandbox was closed.'));
  }

  #start(): Live {
    if (this.#live) return this.#live;
    let ready!: { resolve: () => void; reject: (error: Error) => void };
    const live: Live = {
      channel: undefined as unknown as SandboxChannel,
      ready: new Promise<void>((resolve, reject) => {
        ready = { resolve, reject };
      }),
      settle: null,
      runId: -1,
    };
    live.ready.catch(() => undefined);
    live.channel = this.#spawn(
      (data) => {
        const message = parseFromSandbox(data);
        if (message === null) return;
        if (message.type === 'ready') ready.resolve();
        else if (message.type === 'failed') {
          ready.reject(new Error(`${noPythonPrefix}: ${message.message}`));
          this.#stop(live, crashed(`${noPythonPrefix}: ${message.message}`));
        } else if (message.id === live.runId) {
          const { outcome } = message;
          // Past the output or memory limit, Python's buffers and heap hold what the program
          // left; after a failure inside Python's runtime, the runtime itself is suspect. The
          // next program gets a new sandbox.
          if (!outcome.ok && outcome.failure !== 'exception') this.#stop(live, outcome);
          else live.settle?.(outcome);
        }
      },
      (reason) => {
        ready.reject(new Error(`${noPythonPrefix}: ${reason}`));
        this.#stop(live, crashed(`The sandbox stopped: ${reason}`));
      },
    );
    this.#live = live;
    live.channel.send({
      type: 'start',
      limits: { memoryBytes: this.#limits.memoryBytes, outputBytes: this.#limits.outputBytes },
    });
    return live;
  }

  /** Ends `live` (if it is still the current sandbox) and resolves its run with `outcome`. */
  #stop(live: Live, outcome: RunOutcome): void {
    if (this.#live === live) this.#live = null;
    live.channel.kill();
    live.settle?.(outcome);
    live.settle = null;
  }

  async #runNow(code: string, signal: AbortSignal | undefined): Promise<RunOutcome> {
    // a run stopped while it waited its turn (or for Python to start) never starts
    if (signal?.aborted) throw abortError();
    const live = this.#start();
    try {
      await untilAborted(live.ready, signal);
    } catch (error) {
      if (signal?.aborted) throw abortError();
      return crashed(error instanceof Error ? error.message : String(error));
    }
    return new Promise<RunOutcome>((resolve, reject) => {
      const started = performance.now();
      // stopped mid-run: the sandbox is ended (Python cannot be interrupted) and the next run
      // starts a new one
      const onAbort = () => {
        this.#stop(live, crashed('The program was stopped.'));
      };
      const timer = setTimeout(() => {
        this.#stop(live, {
          ok: false,
          failure: 'timeout',
          message: limitMessage('timeout', this.#limits.timeoutMs),
          stdout: '',
          ms: performance.now() - started,
        });
      }, this.#limits.timeoutMs);
      live.runId = this.#nextId++;
      live.settle = (outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        live.settle = null;
        if (signal?.aborted) reject(abortError());
        else resolve(outcome);
      };
      signal?.addEventListener('abort', onAbort);
      live.channel.send({ type: 'run', id: live.runId, code });
    });
  }
}
