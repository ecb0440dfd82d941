// Token log-probabilities as every engine reports them: OpenAI's `choices[0].logprobs.content[]`,
// which web-llm 0.2.86 streams in the same shape (one entry per chunk) and Tally's worker
// protocol carries in it too (without `bytes`). One reader for all three, so each side checks the
// same thing; anything malformed is refused whole, never partly used.

/** One of the most likely tokens at a position. */
export interface TopLogprob {
  token: string;
  /** natural log of its probability, <= 0 */
  logprob: number;
}

/** One generated token, with the most likely tokens at its position (itself usually among them). */
export interface TokenLogprob {
  token: string;
  logprob: number;
  /** up to the number asked for, most likely first; empty where the engine sent none */
  top_logprobs: TopLogprob[];
}

/**
 * Top log-probabilities Tally asks for: web-llm allows at most 5 (its `top_logprobs` range is
 * 0..5), OpenAI-compatible servers up to 20. One figure for both, so a confidence means the same
 * thing whichever engine produced it.
 */
export const topLogprobs = 5;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A log-probability as servers send it: a number <= 0 (llama.cpp and vLLM send -9999 or so for ~0). */
const isLogprob = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v) && v <= 0;

function readTop(value: unknown): TopLogprob | undefined {
  if (!isRecord(value) || typeof value.token !== 'string' || !isLogprob(value.logprob)) {
    return undefined;
  }
  return { token: value.token, logprob: value.logprob };
}

/** Every item of a list read by `read`, or undefined when it is not a list or any item is bad. */
function readList<T>(value: unknown, read: (item: unknown) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items: T[] = [];
  for (const item of value) {
    const entry = read(item);
    if (entry === undefined) return undefined;
    items.push(entry);
  }
  return items;
}

/** One entry of `logprobs.content`, or undefined when it is not one. */
export function readTokenLogprob(value: unknown): TokenLogprob | undefined {
  if (!isRecord(value) || typeof value.token !== 'string' || !isLogprob(value.logprob)) {
    return undefined;
  }
  const top = readList(value.top_logprobs ?? [], readTop);
  return top && { token: value.token, logprob: value.logprob, top_logprobs: top };
}

/** A list of entries (`logprobs.content`, or the protocol's list), or undefined when any is bad. */
export function readTokenLogprobs(value: unknown): TokenLogprob[] | undefined {
  return readList(value, readTokenLogprob);
}

/**
 * A choice's `logprobs` field: its tokens; [] where it is absent or null (a server that ignores
 * the request, or a chunk without a token); undefined when it is there and malformed.
 */
export function readChoiceLogprobs(value: unknown): TokenLogprob[] | undefined {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return undefined;
  if (value.content === undefined || value.content === null) return [];
  return readTokenLogprobs(value.content);
}
