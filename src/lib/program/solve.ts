// The program path's one call: a greedy completion asking for a program, then the program run in
// the sandbox. Engine failures reject as the engine does; a stop rejects with AbortError, during
// the call or the run (which ends the sandbox); any other end of the program is a result.
import type { Completion, Engine, Usage } from '../engine/engine';
import { greedyOptions, type SingleOptions } from '../solver/solve';
import { runReply, type ProgramResult } from './answer';
import { programPromptFor } from './prompt';
import type { ProgramRunner } from './runner';

export interface ProgramSolveResult extends ProgramResult {
  /** the model's whole reply */
  text: string;
  finishReason: Completion['finishReason'];
  /** what the completion cost; the run's own time is in `outcome.ms` */
  usage: Usage;
}

export interface ProgramOptions extends SingleOptions {
  /** the reply is in; its program runs next */
  onReply?: () => void;
}

/**
 * Asks the model for a program (greedy, the family's program prompt), runs it and reads its answer.
 * Python starts warming as the call starts, so the run does not wait for it once the reply is in.
 */
export async function solveProgram(
  engine: Engine,
  runner: ProgramRunner,
  question: string,
  options: ProgramOptions,
): Promise<ProgramSolveResult> {
  // a sandbox that cannot start is reported by the run itself, as `crashed`
  runner.warm().catch(() => undefined);
  const completion = await engine.complete(
    programPromptFor(options.family, question),
    greedyOptions(options),
  );
  options.onReply?.();
  const result = await runReply(completion.text, runner, { signal: options.signal, question });
  return {
    ...result,
    text: completion.text,
    finishReason: completion.finishReason,
    usage: completion.usage,
  };
}
