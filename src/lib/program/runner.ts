// The one interface that runs an extracted program, whatever hosts the sandbox (a browser worker,
// a Node child process), and the limits every host enforces. See docs/ARCHITECTURE.md, "Program sandbox".
import { grouped } from '../format';

/** What a run may use before it is stopped. */
export interface RunLimits {
  /** wall-clock time for one program, from the moment it starts running */
  timeoutMs: number;
  /** the interpreter's WebAssembly memory, Python's heap included */
  memoryBytes: number;
  /** bytes the program may print (stdout and stderr together) */
  outputBytes: number;
}

/** Five seconds, 512 MiB, 1 MiB of output. */
export const defaultLimits: RunLimits = {
  timeoutMs: 5000,
  memoryBytes: 512 * 1024 * 1024,
  outputBytes: 1024 * 1024,
};

/** How a run's message begins when its sandbox's Python never loaded (host.ts). */
export const noPythonPrefix = 'Python could not start';

/** Why a run produced no value: the program raised, or the sandbox stopped it, or the sandbox died. */
export type RunFailure = 'exception' | 'timeout' | 'memory' | 'output' | 'crashed';

/** The end of one run. `stdout` is what the program printed before it ended (stderr included). */
export type RunOutcome =
  | {
      ok: true;
      stdout: string;
      /** `str()` of what `solution()` returned, when the program defines one and it returned a value */
      returned: string | null;
      /** time the program ran, in the sandbox */
      ms: number;
    }
  | {
      ok: false;
      failure: RunFailure;
      /** the Python error (the program's own frames only) or what stopped it, for people */
      message: string;
      stdout: string;
      ms: number;
    };

/**
 * Runs programs one at a time in a sandbox it starts on first use (or on `warm`). A program
 * past a limit is stopped and the sandbox restarted before the next run; `run` rejects only when
 * its caller stops it.
 */
export interface ProgramRunner {
  /** starts the sandbox now (loading Python) so the first run does not wait for it */
  warm(): Promise<void>;
  /**
   * Runs `code` once the runs before it are over. Aborting `signal` stops it (ending the sandbox
   * if it is running; the next run starts a new one) and rejects with AbortError; nothing else
   * rejects.
   */
  run(code: string, signal?: AbortSignal): Promise<RunOutcome>;
  /** stops the sandbox; a later run starts a new one */
  close(): void;
}

/** The message for a run stopped by a limit; `limit` is that limit's value (ms or bytes). */
export function limitMessage(failure: 'timeout' | 'memory' | 'output', limit: number): string {
  const mib = `${Math.round(limit / (1024 * 1024))} MiB`;
  switch (failure) {
    case 'timeout':
      return `The program was stopped after ${limit / 1000} s (the time limit).`;
    case 'memory':
      return `The program was stopped: it needed more than ${mib} of memory.`;
    case 'output':
      return `The program was stopped: it printed more than ${mib}.`;
  }
}

/** The most characters of a returned value or an error message a run passes on. */
export const shownChars = 4000;

/** `text` up to `max` characters (never half a surrogate pair), and where it was cut, said. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 1)) ? max - 1 : max;
  // on the same line, so a message's last line (what a sentence quotes of it) is still its own
  return `${text.slice(0, end)}… (cut here: ${grouped(text.length)} characters in all)`;
}

/**
 * What a host passes on of a sandbox's outcome, whatever the sandbox sent: printed output within
 * the output limit, a returned value and a message within `shownChars`, each cut said.
 */
export function boundedOutcome(outcome: RunOutcome, limits: RunLimits): RunOutcome {
  const stdout = cutText(outcome.stdout, limits.outputBytes);
  return outcome.ok
    ? {
        ...outcome,
        stdout,
        returned: outcome.returned === null ? null : cutText(outcome.returned, shownChars),
      }
    : { ...outcome, stdout, message: cutText(outcome.message, shownChars) };
}
