// The host side of a sandbox, the same for the browser worker and the Node child process. Every
// program gets a sandbox no program has run in, and the sandbox ends with its program: the next
// one is started then (from the snapshot the first one made), while the model writes the next
// program, so nothing a program changes, schedules or leaves behind reaches the next.
import { abortError } from '../engine/errors';
import { parseFromSandbox, type ToSandbox } from './protocol';
import {
  boundedOutcome,
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
  /** the id of its one run, once it was given a program */
  runId: number | null;
  /** started from the snapshot rather than making one */
  fromSnapshot: boolean;
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
  /** started and given no program yet */
  #spare: Live | null = null;
  /** Python's memory after start-up, as the first sandbox made it before it ran anything */
  #snapshot: Uint8Array | null = null;
  /** every sandbox not yet ended, for close() */
  readonly #alive = new Set<Live>();
  /** the pending start of the next program's sandbox (#startNext) */
  #next: ReturnType<typeof setTimeout> | undefined;
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
    this.#spare ??= this.#start();
    return this.#spare.ready;
  }

  run(code: string, signal?: AbortSignal): Promise<RunOutcome> {
    const outcome = this.#queue.then(() => this.#runNow(code, signal));
    this.#queue = outcome.catch(() => undefined);
    return outcome;
  }

  close(): void {
    clearTimeout(this.#next);
    this.#spare = null;
    for (const live of [...this.#alive]) this.#stop(live, crashed('The sandbox was closed.'));
  }

  #start(): Live {
    let ready!: { resolve: () => void; reject: (error: Error) => void };
    const live: Live = {
      channel: undefined as unknown as SandboxChannel,
      ready: new Promise<void>((resolve, reject) => {
        ready = { resolve, reject };
      }),
      settle: null,
      runId: null,
      fromSnapshot: this.#snapshot !== null,
    };
    live.ready.catch(() => undefined);
    let started = false;
    live.channel = this.#spawn(
      (data) => {
        const message = parseFromSandbox(data);
        if (message === null) return;
        if (message.type === 'ready') {
          // only the first ready, before its program was sent: a program cannot hand over a
          // snapshot of its own
          if (started || live.runId !== null) return;
          started = true;
          if (message.snapshot !== null && this.#snapshot === null) {
            this.#snapshot = message.snapshot;
          }
          ready.resolve();
        } else if (message.type === 'failed') {
          // a snapshot that does not start is not offered again
          this.#snapshot = null;
          ready.reject(new Error(`${noPythonPrefix}: ${message.message}`));
          this.#stop(live, crashed(`${noPythonPrefix}: ${message.message}`));
        } else if (live.runId !== null && message.id === live.runId) {
          this.#stop(live, boundedOutcome(message.outcome, this.#limits));
          this.#startNext();
        }
      },
      (reason) => {
        ready.reject(new Error(`${noPythonPrefix}: ${reason}`));
        this.#stop(live, crashed(`The sandbox stopped: ${reason}`));
      },
    );
    this.#alive.add(live);
    live.channel.send({
      type: 'start',
      limits: { memoryBytes: this.#limits.memoryBytes, outputBytes: this.#limits.outputBytes },
      snapshot: this.#snapshot,
    });
    return live;
  }

  /**
   * Starts the next program's sandbox, from the snapshot, once a program has ended: not while it
   * runs (the start would take the CPU from it), and in a task of its own, after whoever waited
   * for the answer has it (starting a process and copying the snapshot take tens of ms). A stop
   * or close leaves that to the next run.
   */
  #startNext(): void {
    clearTimeout(this.#next);
    this.#next = setTimeout(() => {
      this.#spare ??= this.#start();
    }, 0);
  }

  /** Ends `live` and resolves its run with `outcome`. */
  #stop(live: Live, outcome: RunOutcome): void {
    if (this.#spare === live) this.#spare = null;
    this.#alive.delete(live);
    live.channel.kill();
    live.settle?.(outcome);
    live.settle = null;
  }

  async #runNow(code: string, signal: AbortSignal | undefined): Promise<RunOutcome> {
    // a run stopped while it waited its turn (or for Python to start) never starts
    if (signal?.aborted) throw abortError();
    let live = this.#spare ?? this.#start();
    this.#spare = null;
    for (;;) {
      try {
        await untilAborted(live.ready, signal);
        break;
      } catch (error) {
        // a stop leaves the started sandbox for the next run
        if (signal?.aborted) {
          if (this.#alive.has(live)) this.#spare ??= live;
          throw abortError();
        }
        // a snapshot that did not start was dropped: once more, starting Python afresh
        if (live.fromSnapshot) {
          live = this.#start();
          continue;
        }
        return crashed(error instanceof Error ? error.message : String(error));
      }
    }
    return new Promise<RunOutcome>((resolve, reject) => {
      const started = performance.now();
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
        this.#startNext();
      }, this.#limits.timeoutMs);
      live.runId = this.#nextId++;
      live.settle = (outcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) reject(abortError());
        else resolve(outcome);
      };
      signal?.addEventListener('abort', onAbort);
      live.channel.send({ type: 'run', id: live.runId, code });
    });
  }
}
