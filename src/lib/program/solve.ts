// The program path's one call: a greedy completion asking for a program, then the program run in
// the sandbox. Engine failures reject as the engine does (AbortError when stopped); everything
// after the reply is a result, never a rejection.
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

/**
 * Asks the model for a program (greedy, the family's program prompt), runs it and reads its answer.
 * Python starts warming as the call starts, so the run does not wait for it once the reply is in.
 */
export async function solveProgram(
  engine: Engine,
  runner: ProgramRunner,
  question: string,
  options: SingleOptions,
): Promise<ProgramSolveResult> {
  // a sandbox that cannot start is reported by the run itself, as `crashed`
  runner.warm().catch(() => undefined);
  const completion = await engine.complete(
    programPromptFor(options.family, question),
    greedyOptions(options),
  );
  const result = await runReply(completion.text, runner);
  return {
    ...result,
    text: completion.text,
    finishReason: completion.finishReason,
    usage: completion.usage,
  };
}
