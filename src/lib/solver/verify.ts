// The self-verifier: the same model asked, once per distinct answer, whether that answer's best
// sample is correct; one token, scored by the model's probability of "yes" at it (Cobbe et al. 2021
// train a verifier; Tally has only the generator, so it asks it). A failure never loses the
// samples.
import { neutralPenalties, type ChatMessage, type Engine } from '../engine/engine';
import { EngineError } from '../engine/errors';
import { topLogprobs, type TokenLogprob } from '../engine/logprobs';

/** The prompt that asks whether `solution` solves `question`. */
export function verificationPrompt(question: string, solution: string): ChatMessage[] {
  return [
    {
      role: 'user',
      content:
        `Here is a math problem and a proposed solution.\n\nProblem:\n${question}\n\n` +
        `Proposed solution:\n${solution}\n\n` +
        'Is the proposed solution correct? Answer with one word: Yes or No.',
    },
  ];
}

const word = (token: string): string => token.trim().toLowerCase();

/**
 * P("yes") from the first token's top log-probabilities: the mass on "yes" over the mass on
 * "yes" and "no" (any case, spaces around), so probability spent on other tokens ("The", "**")
 * does not count against the answer. Null when neither is among the top tokens.
 */
export function yesProbability(token: TokenLogprob | undefined): number | null {
  if (!token) return null;
  let yes = 0;
  let no = 0;
  for (const t of token.top_logprobs) {
    if (word(t.token) === 'yes') yes += Math.exp(t.logprob);
    else if (word(t.token) === 'no') no += Math.exp(t.logprob);
  }
  return yes + no > 0 ? yes / (yes + no) : null;
}

/** What a sample needs for verification. */
export interface Candidate {
  index: number;
  text: string;
  answer: string | null;
  confidence: number | null;
}

/** One verified answer. */
export interface Verdict {
  answer: string;
  /** the sample verified for it: the answer's most confident (ties: earliest) */
  sample: number;
  /** P(yes), or null when the reply had no "yes"/"no" among its top tokens */
  score: number | null;
}

export interface Verification {
  verdicts: Verdict[];
  /** tokens the verification prompts held, summed */
  promptTokens: number;
  /** tokens the verifier generated (one per answer) */
  completionTokens: number;
  /** why verification stopped short (an engine failure or the person's stop), or null */
  error: string | null;
}

/**
 * Each distinct answer's most confident sample (ties: the one earlier in the run, whatever order
 * they finished in), in run order.
 */
export function bestPerAnswer(samples: readonly Candidate[]): Candidate[] {
  const best = new Map<string, Candidate>();
  for (const s of [...samples].sort((a, b) => a.index - b.index)) {
    if (s.answer === null) continue;
    const held = best.get(s.answer);
    if (!held || (s.confidence ?? -Infinity) > (held.confidence ?? -Infinity))
      best.set(s.answer, s);
  }
  return [...best.values()].sort((a, b) => a.index - b.index);
}

/**
 * Verifies each distinct answer's best sample, one token each. Resolves whatever
 * happens: an engine failure or an abort leaves the answers not reached unscored and says why.
 */
export async function verifyAnswers(
  engine: Engine,
  question: string,
  samples: readonly Candidate[],
  signal?: AbortSignal,
): Promise<Verification> {
  const verification: Verification = {
    verdicts: [],
    promptTokens: 0,
    completionTokens: 0,
    error: null,
  };
  for (const candidate of bestPerAnswer(samples)) {
    if (candidate.answer === null) continue;
    try {
      const completion = await engine.complete(verificationPrompt(question, candidate.text), {
        // at temperature 1: web-llm reports the distribution it samples from, which at 0 is
        // one-hot (the top token certain, the rest impossible), so P(yes) would be 0, 1 or none;
        // the one token sampled is never read, only the probabilities at it
        temperature: 1,
        top_p: 1,
        ...neutralPenalties,
        max_tokens: 1,
        top_logprobs: topLogprobs,
        signal,
      });
      verification.promptTokens += completion.usage.promptTokens;
      verification.completionTokens += completion.usage.completionTokens;
      verification.verdicts.push({
        answer: candidate.answer,
        sample: candidate.index,
        score: yesProbability(completion.logprobs?.[0]),
      });
    } catch (error) {
      verification.error =
        error instanceof EngineError && error.code === 'aborted'
          ? 'Verification was stopped.'
          : `Verification failed: ${error instanceof Error ? error.message : String(error)}`;
      break;
    }
  }
  return verification;
}
