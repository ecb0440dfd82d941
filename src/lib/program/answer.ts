// From a model's reply to an answer: extract the program, run it, read the number it returns or
// prints. Every way a program can fail is a result with an error; only a stop rejects (AbortError).
import { normalizeAnswer } from '../solver/equal';
import { extractAnswer } from '../solver/extract';
import { extractProgram } from './extract';
import { noPythonPrefix, type ProgramRunner, type RunFailure, type RunOutcome } from './runner';

/** Why a program gave no answer. */
export type ProgramError =
  | { kind: 'no-program'; message: string }
  | { kind: RunFailure; message: string }
  | { kind: 'no-number'; message: string };

/** Why a program gave no answer, as a sentence's tail: "it raised an error (NameError: …)". */
export function failureWords(error: ProgramError): string {
  const last = error.message.trim().split('\n').at(-1)?.trim() ?? '';
  const detail = last.length > 100 ? `${last.slice(0, 100)}…` : last;
  switch (error.kind) {
    case 'no-program':
      return 'the reply held no Python program';
    case 'exception':
      return `it raised an error (${detail})`;
    case 'timeout':
      return 'it ran past its time limit';
    case 'memory':
      return 'it ran out of memory';
    case 'output':
      return 'it printed more than the output limit';
    case 'crashed':
      return error.message.startsWith(noPythonPrefix)
        ? 'Python could not load. It is downloaded the first time a program runs, so connect to the internet once and solve again'
        : 'the Python sandbox stopped';
    case 'no-number':
      return 'it gave no number';
  }
}

export interface ProgramResult {
  /** the program Tally ran, or null when the reply held none */
  program: string | null;
  /** what the run did; null when there was no program */
  outcome: RunOutcome | null;
  /** canonical answer ("18", "0.5", "7/3"), or null with `error` */
  answer: string | null;
  error: ProgramError | null;
}

/** Python's form of a complex number: `(3+4j)`, `4j`, `(2-0j)`; the real and imaginary parts. */
const complexValue =
  /^\(?([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)?([-+](?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)j\)?$/i;

/** A returned complex number as the real number it is (no imaginary part), else null; other values as they are. */
function realValue(returned: string): string | null {
  const complex = complexValue.exec(returned.trim());
  if (complex === null) return returned;
  return Number(complex[2]) === 0 ? (complex[1] ?? '0') : null;
}

/**
 * The answer in a finished run: the value `solution()` returned when there is one, else the
 * last answer in what the program printed (read as the solver reads prose, with the `question`
 * where known: `\boxed{}`, "The answer is", else the last line's number).
 */
export function readAnswer(
  outcome: RunOutcome,
  question?: string,
): { answer: string } | { error: ProgramError } {
  if (!outcome.ok) return { error: { kind: outcome.failure, message: outcome.message } };
  if (outcome.returned !== null) {
    const real = realValue(outcome.returned);
    const answer = real === null ? null : (normalizeAnswer(real) ?? extractAnswer(real, question));
    if (answer !== null) return { answer };
    const shown =
      outcome.returned.length > 80 ? `${outcome.returned.slice(0, 80)}…` : outcome.returned;
    const kind = real === null ? 'a real number' : 'a number';
    return {
      error: { kind: 'no-number', message: `solution() returned ${shown}, which is not ${kind}.` },
    };
  }
  const answer = extractAnswer(outcome.stdout, question);
  if (answer !== null) return { answer };
  return {
    error: {
      kind: 'no-number',
      message:
        outcome.stdout.trim() === ''
          ? 'The program printed nothing and returned no value.'
          : 'The program printed no number.',
    },
  };
}

/**
 * Extracts the program from `reply`, runs it with `runner`, and reads its answer (with the
 * `question` where known). Aborting `signal` stops the program and rejects with AbortError.
 */
export async function runReply(
  reply: string,
  runner: ProgramRunner,
  { signal, question }: { signal?: AbortSignal; question?: string } = {},
): Promise<ProgramResult> {
  const program = extractProgram(reply);
  if (program === null) {
    return {
      program,
      outcome: null,
      answer: null,
      error: { kind: 'no-program', message: 'The reply holds no Python program.' },
    };
  }
  const outcome = await runner.run(program, signal);
  const read = readAnswer(outcome, question);
  return 'answer' in read
    ? { program, outcome, answer: read.answer, error: null }
    : { program, outcome, answer: null, error: read.error };
}
