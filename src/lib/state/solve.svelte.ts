// One problem at a time: the question, the streamed single answer, stop, and what went wrong.
// Validation and engine failures become `error` text; a stop keeps what streamed so far.
import type { Engine } from '../engine/engine';
import { EngineError, isAbort } from '../engine/errors';
import type { ModelFamily } from '../models/catalog';
import { extractAnswer, promptFor } from '../solver';
import { questionProblem } from '../solver/question';

export type SolveStatus = 'idle' | 'running' | 'done' | 'stopped' | 'error';

export class SolveState {
  question = $state('');
  text = $state('');
  status = $state<SolveStatus>('idle');
  error = $state('');
  answer = $derived(extractAnswer(this.text));
  #abort: AbortController | undefined;

  async solve(engine: Engine | undefined, family: ModelFamily): Promise<void> {
    const problem = questionProblem(this.question);
    if (problem) {
      this.error = problem;
      return;
    }
    if (!engine) {
      this.error = 'Load a model or connect to a server first.';
      return;
    }
    this.#abort?.abort();
    const abort = new AbortController();
    this.#abort = abort;
    this.text = '';
    this.error = '';
    this.status = 'running';
    try {
      await engine.complete(promptFor(family, this.question.trim()), {
        temperature: 0,
        top_p: 1,
        max_tokens: 1024,
        signal: abort.signal,
        onDelta: (delta) => {
          this.text += delta;
        },
      });
      this.status = 'done';
    } catch (error) {
      if (isAbort(error)) {
        this.status = 'stopped';
      } else {
        this.status = 'error';
        this.error = error instanceof EngineError ? error.message : String(error);
      }
    }
  }

  stop(): void {
    this.#abort?.abort();
  }
}
