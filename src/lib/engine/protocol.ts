// Tally's own messages between the page (webllm-client.ts) and the engine worker (worker-host.ts).
// Both sides check what they receive; anything unexpected is refused, never guessed at.
import type { ModelRecord } from '@mlc-ai/web-llm';
import type { ChatMessage, Sampling } from './engine';
import { isEngineErrorCode, type SerializedError } from './errors';
import { readTokenLogprobs, topLogprobs, type TokenLogprob } from './logprobs';

/** One completion as the worker runs it: the messages and every sampling field Tally sets. */
export interface CompletionRequest extends Sampling {
  messages: ChatMessage[];
  /** top log-probabilities per token, 1..`topLogprobs`; none when absent */
  top_logprobs?: number;
}

/** Page → worker. `id` pairs a request with its replies; the page never reuses one. */
export type ToWorker =
  | { type: 'load'; id: number; record: ModelRecord }
  | { type: 'complete'; id: number; request: CompletionRequest }
  /** the page has taken the last delta of completion `id`: the next may go */
  | { type: 'ack'; id: number }
  /** stop the completion `id`: queued, it never starts; running, it ends within one token */
  | { type: 'abort'; id: number }
  | { type: 'unload'; id: number };

/**
 * Worker → page. Deltas are pushed as they are decoded, unasked; each carries all text decoded
 * since the previous one, and the next waits for the page's 'ack' (decoding never does).
 */
export type FromWorker =
  | { type: 'progress'; id: number; progress: number; text: string }
  /** `logprobs`: the tokens of `text`, when the request asked for them */
  | { type: 'delta'; id: number; text: string; logprobs?: TokenLogprob[] }
  | {
      type: 'done';
      id: number;
      finishReason: 'stop' | 'length';
      promptTokens: number;
      completionTokens: number;
    }
  /** a load or an unload finished */
  | { type: 'ok'; id: number }
  | { type: 'error'; id: number; error: SerializedError }
  /** the GPU device went away while a model was loaded; it is unloaded */
  | { type: 'device-lost'; error: SerializedError };

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseError(value: unknown): SerializedError | undefined {
  if (!isRecord(value) || typeof value.code !== 'string' || typeof value.message !== 'string') {
    return undefined;
  }
  if (!isEngineErrorCode(value.code)) return undefined;
  return { code: value.code, message: value.message };
}

/** A worker message, or undefined when it is not one. */
export function parseFromWorker(data: unknown): FromWorker | undefined {
  if (!isRecord(data)) return undefined;
  if (data.type === 'device-lost') {
    const error = parseError(data.error);
    return error ? { type: 'device-lost', error } : undefined;
  }
  const id = data.id;
  if (!isId(id)) return undefined;
  switch (data.type) {
    case 'progress':
      return isNumber(data.progress) && typeof data.text === 'string'
        ? { type: 'progress', id, progress: data.progress, text: data.text }
        : undefined;
    case 'delta': {
      if (typeof data.text !== 'string') return undefined;
      if (data.logprobs === undefined) return { type: 'delta', id, text: data.text };
      const logprobs = readTokenLogprobs(data.logprobs);
      return logprobs ? { type: 'delta', id, text: data.text, logprobs } : undefined;
    }
    case 'done': {
      const { finishReason, promptTokens, completionTokens } = data;
      if (finishReason !== 'stop' && finishReason !== 'length') return undefined;
      if (!isId(promptTokens) || !isId(completionTokens)) return undefined;
      return { type: 'done', id, finishReason, promptTokens, completionTokens };
    }
    case 'ok':
      return { type: 'ok', id };
    case 'error': {
      const error = parseError(data.error);
      return error ? { type: 'error', id, error } : undefined;
    }
    default:
      return undefined;
  }
}

function parseMessages(value: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  const messages: ChatMessage[] = [];
  for (const m of value) {
    if (!isRecord(m) || typeof m.content !== 'string') return undefined;
    if (m.role !== 'system' && m.role !== 'user' && m.role !== 'assistant') return undefined;
    messages.push({ role: m.role, content: m.content });
  }
  return messages;
}

function parseRequest(value: unknown): CompletionRequest | undefined {
  if (!isRecord(value)) return undefined;
  const messages = parseMessages(value.messages);
  const numbers = [
    'temperature',
    'top_p',
    'max_tokens',
    'repetition_penalty',
    'frequency_penalty',
    'presence_penalty',
  ] as const;
  if (!messages || !numbers.every((key) => isNumber(value[key]))) return undefined;
  if (value.seed !== undefined && !isNumber(value.seed)) return undefined;
  const top = value.top_logprobs;
  if (top !== undefined && !(isId(top) && top >= 1 && top <= topLogprobs)) return undefined;
  const request: CompletionRequest = {
    messages,
    temperature: value.temperature as number,
    top_p: value.top_p as number,
    max_tokens: value.max_tokens as number,
    repetition_penalty: value.repetition_penalty as number,
    frequency_penalty: value.frequency_penalty as number,
    presence_penalty: value.presence_penalty as number,
  };
  if (value.seed !== undefined) request.seed = value.seed;
  if (top !== undefined) request.top_logprobs = top;
  return request;
}

function parseRecord(value: unknown): ModelRecord | undefined {
  if (!isRecord(value)) return undefined;
  const { model, model_id, model_lib } = value;
  if (typeof model !== 'string' || typeof model_id !== 'string' || typeof model_lib !== 'string') {
    return undefined;
  }
  // The rest (overrides, features, VRAM) is web-llm's to check, as for any record it is given.
  return value as unknown as ModelRecord;
}

/** A page message, or undefined when it is not one. */
export function parseToWorker(data: unknown): ToWorker | undefined {
  if (!isRecord(data) || !isId(data.id)) return undefined;
  const id = data.id;
  switch (data.type) {
    case 'load': {
      const record = parseRecord(data.record);
      return record ? { type: 'load', id, record } : undefined;
    }
    case 'complete': {
      const request = parseRequest(data.request);
      return request ? { type: 'complete', id, request } : undefined;
    }
    case 'ack':
    case 'abort':
    case 'unload':
      return { type: data.type, id };
    default:
      return undefined;
  }
}
