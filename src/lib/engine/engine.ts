// The one interface the solver, the benchmark and the UI use to run a model, whatever runs it.
// Implementations reject with EngineError (code 'aborted' when the caller's signal fired).
import type { TokenLogprob } from './logprobs';

/** One chat turn; chat templates are applied by the engine, never by Tally. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Sampling settings for one completion. */
export interface Sampling {
  /** 0 means greedy */
  temperature: number;
  /** nucleus sampling mass, 0..1 */
  top_p: number;
  /** tokens the completion may generate at most */
  max_tokens: number;
  /**
   * Penalties, sent explicitly so that a model's own defaults (Qwen's mlc-chat-config.json has
   * repetition_penalty 1.05) never apply unseen. 1, 0 and 0 are neutral. web-llm gets all three;
   * the OpenAI engine sends none, and servers default to neutral.
   */
  repetition_penalty: number;
  frequency_penalty: number;
  presence_penalty: number;
  /** a seed where the engine supports one */
  seed?: number;
}

/** Penalties that change nothing: what greedy decoding and Tally's ensemble send. */
export const neutralPenalties = {
  repetition_penalty: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
} as const;

export interface CompleteOptions extends Sampling {
  /**
   * ask for the top log-probabilities of each generated token, this many (1..`topLogprobs`);
   * none are asked for when left out
   */
  top_logprobs?: number;
  /**
   * called with each piece of text as it streams in, in order, and the log-probabilities of the
   * tokens it holds (when asked for and sent)
   */
  onDelta?: (delta: string, logprobs?: readonly TokenLogprob[]) => void;
  /** aborting stops generation within one token and rejects with code 'aborted' */
  signal?: AbortSignal;
}

/** What one completion cost. */
export interface Usage {
  /** tokens in the prompt */
  promptTokens: number;
  /** tokens generated */
  completionTokens: number;
  /** wall time from request to last token, milliseconds */
  ms: number;
}

export interface Completion {
  text: string;
  /** 'length' when max_tokens cut the text short */
  finishReason: 'stop' | 'length';
  usage: Usage;
  /**
   * each generated token's log-probabilities, when `top_logprobs` was asked for; null when it was
   * and the engine sent none (a server that ignores the request); absent when it was not
   */
  logprobs?: TokenLogprob[] | null;
}

/** Load progress, one monotonic fraction across named phases. */
export interface LoadProgress {
  /**
   * waiting for another tab or widget to free the GPU, weights fetched, weights read onto the GPU,
   * GPU shaders compiled, done
   */
  phase: 'waiting' | 'fetch' | 'gpu-upload' | 'shaders' | 'ready';
  /** 0..1 over the whole load, never decreasing */
  fraction: number;
  /** a human-readable line from the engine */
  text: string;
}

export interface Engine {
  /** 'webllm' runs in this browser; 'openai' talks to a server */
  readonly kind: 'webllm' | 'openai';
  /** completions this engine runs at once usefully (web-llm runs one sequence at a time) */
  readonly concurrency: number;
  /** makes the model ready; resolves when a completion can start */
  load(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void>;
  /** one streamed chat completion */
  complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion>;
  /** frees the model (GPU memory, worker); the engine can be loaded again */
  unload(): Promise<void>;
}
