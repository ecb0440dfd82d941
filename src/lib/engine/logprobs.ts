// Token log-probabilities as every engine reports them: OpenAI's `choices[0].logprobs.content[]`,
// which web-llm 0.2.86 streams in the same shape (one entry per chunk) and Tally's worker
// protocol carries in it too (without `bytes`). One reader for all three, so each side checks the
// same thing; anything malformed is refused whole, never partly used.
//
// What the figures mean differs by engine, so the reader makes them mean one thing. web-llm
// reports the distribution it samples from, after temperature (softmax(logits / T)); OpenAI-
// compatible servers usually report the model's own (T = 1). Both carry the same information
// about the top tokens' logits, so each entry is read as the model's own distribution (T = 1)
// over the top tokens at its position, renormalised over them: log p_i = l_i − log Σ_top e^{l_j}.
// From web-llm's tempered figures that is T·log q_i − log Σ_top e^{T·log q_j}; from a server's,
// log p_i − log Σ_top e^{log p_j}. `readChoiceLogprobs` does this where the figures enter Tally
// (the worker host, the OpenAI engine); confidence (solver/confidence.ts) and the verifier's
// P(yes) read only these.

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

/**
 * How far above 0 a log-probability may be and still be read (as 0): web-llm takes `Math.log` of
 * a float32 probability from the GPU's approximate exp, which can round just above 1.
 */
const logprobSlack = 1e-3;

/** A log-probability as servers send it: a number <= 0 (llama.cpp and vLLM send -9999 or so for ~0). */
const isLogprob = (v: unknown): v is number =>
  typeof v === 'number' && !Number.isNaN(v) && v <= logprobSlack;

function readTop(value: unknown): TopLogprob | undefined {
  if (!isRecord(value) || typeof value.token !== 'string' || !isLogprob(value.logprob)) {
    return undefined;
  }
  return { token: value.token, logprob: Math.min(0, value.logprob) };
}

/**
 * web-llm divides logits by max(T, 1e-6) before its softmax (LLMChatPipeline's sampling), so its
 * log-probabilities at T = 0 are those at 1e-6: the top token 0, the others −∞.
 */
const smallestTemperature = 1e-6;

/**
 * `token` as the model's own distribution over its top tokens (see the top of this file), from
 * figures reported at `temperature`. −∞ stays −∞; without top tokens only the scale changes.
 */
function atModelScale(token: TokenLogprob, temperature: number): TokenLogprob {
  const t = Math.max(temperature, smallestTemperature);
  const scaled = token.top_logprobs.map((top) => top.logprob * t);
  const high = Math.max(...scaled);
  const norm =
    scaled.length === 0 || high === -Infinity
      ? 0
      : high + Math.log(scaled.reduce((n, v) => n + Math.exp(v - high), 0));
  return {
    token: token.token,
    logprob: Math.min(0, token.logprob * t - norm),
    top_logprobs: token.top_logprobs.map((top, i) => ({
      token: top.token,
      logprob: Math.min(0, (scaled[i] ?? 0) - norm),
    })),
  };
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
  return top && { token: value.token, logprob: Math.min(0, value.logprob), top_logprobs: top };
}

/** A list of entries (`logprobs.content`, or the protocol's list), or undefined when any is bad. */
export function readTokenLogprobs(value: unknown): TokenLogprob[] | undefined {
  return readList(value, readTokenLogprob);
}

/**
 * A choice's `logprobs` field as an engine reports it at `temperature` (1: the model's own), read
 * as the model's own distribution over the top tokens: its tokens; [] where it is absent or null
 * (a server that ignores the request, or a chunk without a token); undefined when it is there and
 * malformed.
 */
export function readChoiceLogprobs(value: unknown, temperature = 1): TokenLogprob[] | undefined {
  if (value === undefined || value === null) return [];
  if (!isRecord(value)) return undefined;
  if (value.content === undefined || value.content === null) return [];
  return readTokenLogprobs(value.content)?.map((token) => atModelScale(token, temperature));
}
