// The Engine for an OpenAI-compatible server (Ollama, vLLM, llama.cpp server), over fetch and SSE,
// in pages, workers and Node alike. Every failure is an EngineError a person can act on; none
// carries the API key.
import type {
  ChatMessage,
  CompleteOptions,
  Completion,
  Engine,
  LoadProgress,
  Usage,
} from './engine';
import { abortError, EngineError, isAbort } from './errors';
import { readChoiceLogprobs, type TokenLogprob } from './logprobs';
import { SseParser, type SseEvent } from './sse';

export interface OpenAIConfig {
  /** e.g. http://localhost:11434/v1; normalized by `parseServerUrl` */
  baseUrl: string;
  /** the model id the server knows, e.g. qwen2-math:7b */
  model: string;
  /** kept only in this browser, sent only to `baseUrl` as `Authorization: Bearer` */
  apiKey?: string;
  /**
   * ms of silence before giving up: both before the first byte of a reply (a server may spend it
   * loading the model) and between two pieces of a stream. Default `DEFAULT_TIMEOUT_MS`.
   */
  timeoutMs?: number;
  /** completions sent at once; more wait their turn in this engine. Default 4 */
  concurrency?: number;
}

/** ms of silence allowed before the first byte and between chunks */
export const DEFAULT_TIMEOUT_MS = 60_000;
/** completions in flight at once */
export const DEFAULT_CONCURRENCY = 4;
/**
 * ms to wait for the body to end after `data: [DONE]`: reading to the end keeps the connection
 * reusable (and does not look like a cancel to the server); a server that holds it open is cut.
 */
const DRAIN_MS = 250;

/**
 * ms of reading a stream before the engine lets its thread do other work. A body that arrives at
 * once (a fast server, a busy page) holds thousands of events: 20,000 took 150 ms to parse on a
 * 2-core machine, one long task on the page's thread (`npm run bench:hostile`).
 */
const SLICE_MS = 10;

/**
 * Resolves in a later task, not a microtask, so the page can draw and answer input in between.
 * A message rather than a timer: hidden tabs throttle timers to one a second, not messages.
 */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

const example = 'http://localhost:11434/v1';

function badInput(message: string): EngineError {
  return new EngineError('bad-input', message);
}

/** Cuts text for a message: one line, at most `max` characters. */
function clip(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Reads the server URL a person typed into the API's base URL.
 *
 * - http:// and https:// only; anything else (ftp:, javascript:, file:) is refused.
 * - No scheme, as in `localhost:11434` or `192.168.1.5:8000/v1`: http:// is assumed, since local
 *   servers speak plain http.
 * - A bare origin gets `/v1` (Ollama, vLLM and llama.cpp all serve the OpenAI API there); any
 *   other path is kept as given, for proxies. A pasted endpoint (`…/chat/completions`,
 *   `…/models`) is cut back to its base. Trailing slashes go.
 * - Credentials, a query or a fragment are refused: the key has its own field.
 *
 * @throws EngineError 'bad-input' with a message saying what to type instead
 */
export function parseServerUrl(input: string): URL {
  const text = input.trim();
  if (text === '') throw badInput(`Enter the server's URL, for example ${example}.`);
  let candidate = text;
  if (!/^[a-z][a-z\d+.-]*:\/\//i.test(text)) {
    // `name:` followed by something other than a port is a scheme (javascript:, mailto:, data:).
    const scheme = /^([a-z][a-z\d+.-]*):(?!\d)/i.exec(text)?.[1];
    if (scheme !== undefined) {
      throw badInput(
        `Tally talks to servers over http:// or https://, not ${scheme.toLowerCase()}:. Use a URL like ${example}.`,
      );
    }
    candidate = `http://${text}`;
  }
  const notUrl = badInput(`"${clip(text, 80)}" is not a URL. Use one like ${example}.`);
  // Chromium takes spaces in a host and escapes them (http://not%20a%20url); no server has one.
  if (/\s/.test(text)) throw notUrl;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw notUrl;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw badInput(
      `Tally talks to servers over http:// or https://, not ${url.protocol}//. Use a URL like ${example}.`,
    );
  }
  if (url.hostname === '' || url.hostname.includes('%')) throw notUrl;
  if (url.username !== '' || url.password !== '') {
    throw badInput('Leave the user name and password out of the URL; put an API key in its field.');
  }
  if (url.search !== '' || url.hash !== '') {
    throw badInput(`Give the server's base URL without "?…" or "#…", for example ${example}.`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/(chat\/completions|completions|models)$/, '');
  url.pathname = path === '' ? '/v1' : path;
  return url;
}

/** How long, for people: '60 s', '0.2 s'. */
function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The error text in a server's reply body: OpenAI, vLLM, Ollama, llama.cpp and FastAPI shapes. */
function serverMessage(body: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Plain text is worth showing; an HTML error page is not.
    return /^\s*</.test(body) ? '' : clip(body);
  }
  if (!isRecord(parsed)) return '';
  const { error, message, detail } = parsed;
  if (isRecord(error) && typeof error.message === 'string') return clip(error.message);
  for (const text of [error, message, detail]) if (typeof text === 'string') return clip(text);
  return '';
}

/** Tokens, roughly, when the server does not say: about four characters each for English. */
function estimateTokens(messages: ChatMessage[]): number {
  return Math.ceil(messages.reduce((sum, m) => sum + m.content.length, 0) / 4);
}

/** The page's origin where there is one (pages and workers; not Node). */
function pageOrigin(): { origin: string; protocol: string } | undefined {
  if (!('location' in globalThis)) return undefined;
  const { origin, protocol } = globalThis.location;
  return { origin, protocol };
}

/** Chromium's Local Network Access option: this request is for the person's own network. */
const localNetwork = { targetAddressSpace: 'local' } as RequestInit;

function isLoopback(url: URL): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(url.hostname);
}

/**
 * One HTTP exchange: the caller's signal, a silence watchdog and `unload` folded into one
 * AbortController, and the first reason it stopped, so a failed read can be explained.
 */
class Exchange {
  readonly controller = new AbortController();
  /** before the reply's headers, silence means the server did not answer; after, it stalled */
  answered = false;
  #failure: EngineError | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** when silence ends the exchange, and when the armed timer fires (Date.now()) */
  #deadline = 0;
  #firesAt = 0;
  readonly #signal: AbortSignal | undefined;
  readonly #timeoutMs: number;
  readonly #silence: (answered: boolean) => EngineError;
  readonly #onAbort = () => {
    this.stop(abortError());
  };

  constructor(
    signal: AbortSignal | undefined,
    timeoutMs: number,
    silence: (answered: boolean) => EngineError,
  ) {
    this.#signal = signal;
    this.#timeoutMs = timeoutMs;
    this.#silence = silence;
    if (signal?.aborted) this.stop(abortError());
    else signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.kick();
  }

  /** Why it stopped, if it did. */
  get failure(): EngineError | undefined {
    return this.#failure;
  }

  /** Ends the exchange (the request, or the body being read) with `error`; the first reason wins. */
  stop(error: EngineError): void {
    if (this.#failure) return;
    this.#failure = error;
    clearTimeout(this.#timer);
    this.controller.abort(error);
  }

  /**
   * Something arrived: restart the silence watchdog, for `ms` (default the timeout). A stream kicks
   * it for every piece, so this only moves the deadline: the armed timer, when it fires early,
   * waits out the rest (a timer per timeout, not one per token).
   */
  kick(ms = this.#timeoutMs): void {
    if (this.#failure) return;
    this.#deadline = Date.now() + ms;
    if (this.#timer === undefined || this.#firesAt > this.#deadline) this.#arm(ms);
  }

  #arm(ms: number): void {
    clearTimeout(this.#timer);
    this.#firesAt = Date.now() + ms;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const left = this.#deadline - Date.now();
      if (left > 0) this.#arm(left);
      else this.stop(this.#silence(this.answered));
    }, ms);
  }

  /** Throws the reason it stopped, if it did. */
  check(): void {
    if (this.#failure) throw this.#failure;
  }

  /** The reason it stopped if it did (a fetch rejected because of it), else `otherwise`. */
  explain(error: unknown, otherwise: (error: unknown) => EngineError): EngineError {
    if (this.#failure) return this.#failure;
    return error instanceof EngineError ? error : otherwise(error);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#signal?.removeEventListener('abort', this.#onAbort);
  }
}

/** A counting semaphore; an aborted waiter leaves the queue and rejects with 'aborted'. */
class Slots {
  #free: number;
  readonly #queue: (() => void)[] = [];

  constructor(size: number) {
    this.#free = size;
  }

  async take(signal: AbortSignal | undefined): Promise<void> {
    if (this.#free > 0) {
      this.#free -= 1;
      return;
    }
    await new Promise<void>((resolve, reject) => {
      const start = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        const at = this.#queue.indexOf(start);
        if (at !== -1) this.#queue.splice(at, 1);
        reject(abortError());
      };
      this.#queue.push(start);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Hands the slot to the next waiter, or frees it. */
  give(): void {
    const next = this.#queue.shift();
    if (next) next();
    else this.#free += 1;
  }
}

/** What a stream has said so far. */
interface Reading {
  text: string;
  /** content pieces received: the token count when the server sends no usage */
  pieces: number;
  finish: Completion['finishReason'] | undefined;
  usage: Pick<Usage, 'promptTokens' | 'completionTokens'> | undefined;
  /** `data: [DONE]` seen */
  done: boolean;
  /** tokens' log-probabilities received; null until one choice carried any */
  logprobs: TokenLogprob[] | null;
  /** performance.now() at the last piece or finish, ms */
  lastAt: number;
}

/** A model on an OpenAI-compatible server. */
export class OpenAIEngine implements Engine {
  readonly kind = 'openai';
  readonly concurrency: number;
  readonly #base: URL;
  readonly #model: string;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #slots: Slots;
  readonly #live = new Set<Exchange>();
  #loaded = false;

  /** @throws EngineError 'bad-input' for a bad URL, an empty model name, or bad numbers */
  constructor(config: OpenAIConfig) {
    this.#base = parseServerUrl(config.baseUrl);
    this.#model = config.model.trim();
    if (this.#model === '') {
      throw badInput('Name the model the server should run, for example qwen2-math:7b.');
    }
    const apiKey = config.apiKey?.trim();
    // Header values cannot hold spaces, line breaks or non-ASCII; fetch would throw a TypeError.
    if (apiKey && !/^[\x21-\x7e]+$/.test(apiKey)) {
      throw badInput(
        'The API key has characters a request header cannot carry (spaces, line breaks or non-ASCII). Paste it again.',
      );
    }
    this.#apiKey = apiKey || undefined;
    const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw badInput(`The timeout must be a positive number of ms, not ${timeoutMs}.`);
    }
    this.#timeoutMs = timeoutMs;
    const concurrency = config.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw badInput(`Concurrency must be a whole number from 1, not ${concurrency}.`);
    }
    this.concurrency = concurrency;
    this.#slots = new Slots(concurrency);
  }

  /** The normalized base URL requests go to, e.g. http://localhost:11434/v1. */
  get baseUrl(): string {
    return this.#base.href;
  }

  /** The model id the server is asked for. */
  get model(): string {
    return this.#model;
  }

  /** Checks the server answers and lists the model; resolves once a completion can start. */
  async load(onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError();
    this.#loaded = false;
    const host = this.#base.host;
    onProgress?.({ phase: 'fetch', fraction: 0, text: `Asking ${host} for its models…` });
    const exchange = this.#exchange(signal);
    try {
      const response = await this.#send('models', exchange);
      let list: unknown;
      try {
        list = JSON.parse(await response.text());
      } catch (error) {
        throw exchange.explain(error, () => this.#notAnApi('its model list is not JSON'));
      }
      exchange.check();
      const models = isRecord(list) && Array.isArray(list.data) ? list.data : undefined;
      const ids = models?.flatMap((m) => (isRecord(m) && typeof m.id === 'string' ? [m.id] : []));
      if (!models || !ids) throw this.#notAnApi('its model list has no "data"');
      if (!this.#serves(ids, models)) throw this.#missing(ids);
    } finally {
      this.#done(exchange);
    }
    this.#loaded = true;
    onProgress?.({ phase: 'ready', fraction: 1, text: `Connected: ${this.#model} on ${host}.` });
  }

  async complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const { signal } = options;
    if (signal?.aborted) throw abortError();
    this.#checkLoaded();
    await this.#slots.take(signal);
    try {
      this.#checkLoaded();
      return await this.#complete(messages, options);
    } finally {
      this.#slots.give();
    }
  }

  /** Stops every request in flight (they reject with 'aborted'); `load` makes it usable again. */
  unload(): Promise<void> {
    this.#loaded = false;
    for (const exchange of this.#live) {
      exchange.stop(new EngineError('aborted', 'The model was unloaded.'));
    }
    return Promise.resolve();
  }

  async #complete(messages: ChatMessage[], options: CompleteOptions): Promise<Completion> {
    const started = performance.now();
    const asked = options.top_logprobs !== undefined;
    const exchange = this.#exchange(options.signal);
    try {
      const response = await this.#send('chat/completions', exchange, {
        model: this.#model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        temperature: options.temperature,
        top_p: options.top_p,
        max_tokens: options.max_tokens,
        ...(options.seed === undefined ? {} : { seed: options.seed }),
        ...(asked ? { logprobs: true, top_logprobs: options.top_logprobs } : {}),
      });
      const type = response.headers.get('content-type') ?? '';
      const reading: Reading = {
        text: '',
        pieces: 0,
        finish: undefined,
        usage: undefined,
        done: false,
        logprobs: null,
        lastAt: started,
      };
      if (/json/i.test(type)) {
        await this.#whole(response, exchange, reading, options.onDelta);
      } else if (/html|xml/i.test(type)) {
        throw this.#notAnApi(`it answered with ${clip(type, 60)}`);
      } else {
        await this.#stream(response, exchange, reading, options.onDelta);
      }
      // Aborted after the last piece still rejects; a watchdog that cut a drain does not.
      if (isAbort(exchange.failure)) exchange.check();
      return {
        text: reading.text,
        finishReason: reading.finish ?? 'stop',
        usage: {
          promptTokens: reading.usage?.promptTokens ?? estimateTokens(messages),
          completionTokens: reading.usage?.completionTokens ?? reading.pieces,
          ms: reading.lastAt - started,
        },
        ...(asked ? { logprobs: reading.logprobs } : {}),
      };
    } finally {
      this.#done(exchange);
    }
  }

  /**
   * Reads an SSE body to its end, or to `[DONE]`; cancels it on any failure or abort. Gives the
   * thread back every `SLICE_MS` of work, however much of the body has already arrived.
   */
  async #stream(
    response: Response,
    exchange: Exchange,
    reading: Reading,
    onDelta: CompleteOptions['onDelta'],
  ): Promise<void> {
    const body = response.body;
    if (!body) throw this.#notAnApi('it answered with an empty body');
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    let ended = false;
    let slice = performance.now();
    try {
      while (!ended) {
        let result: ReadableStreamReadResult<Uint8Array>;
        try {
          result = await reader.read();
        } catch (error) {
          // After [DONE] the answer is whole: only the caller's abort still counts.
          if (reading.done && !isAbort(exchange.failure)) break;
          throw exchange.explain(error, (cause) => this.#dropped(cause));
        }
        exchange.check();
        exchange.kick();
        ended = result.done;
        const events = result.done
          ? [...parser.push(decoder.decode()), ...parser.end()]
          : parser.push(decoder.decode(result.value, { stream: true }));
        for (const event of events) {
          if (reading.done) break;
          this.#take(event, exchange, reading, onDelta);
          if (performance.now() - slice > SLICE_MS) {
            await nextTask();
            exchange.check();
            slice = performance.now();
          }
        }
        if (reading.done) exchange.kick(Math.min(DRAIN_MS, this.#timeoutMs));
      }
    } finally {
      if (!ended) {
        // Stop the server generating: cancelling the body closes the connection.
        reader.cancel().catch(() => undefined);
        this.#abortQuietly(exchange);
      }
    }
    if (!reading.done && reading.finish === undefined) {
      throw new EngineError(
        'network',
        `The connection to ${this.#base.host} closed before the answer was complete. Try again.`,
      );
    }
  }

  /** One SSE event: a chunk, `[DONE]`, or garbage. */
  #take(
    event: SseEvent,
    exchange: Exchange,
    reading: Reading,
    onDelta: CompleteOptions['onDelta'],
  ): void {
    if (event.data === '[DONE]') {
      reading.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(event.data);
    } catch {
      throw new EngineError(
        'bad-response',
        `The server at ${this.#base.host} sent a stream line that is not JSON: "${this.#redact(clip(event.data, 80))}".`,
      );
    }
    if (!isRecord(chunk)) throw this.#garbled('a stream chunk that is not an object');
    if (chunk.error !== undefined || event.type === 'error') {
      const said = this.#redact(serverMessage(JSON.stringify(chunk)));
      throw new EngineError(
        'server',
        `The server at ${this.#base.host} failed in the middle of the answer${said ? `: ${said}` : '.'}`,
      );
    }
    const { choices, usage } = chunk;
    if (isRecord(usage)) this.#readUsage(usage, reading);
    if (!Array.isArray(choices)) {
      if (isRecord(usage)) return;
      throw this.#garbled('a stream chunk without "choices"');
    }
    for (const choice of choices) {
      if (!isRecord(choice)) throw this.#garbled('a choice that is not an object');
      if (choice.index !== undefined && choice.index !== 0) continue;
      const { delta, finish_reason: finish } = choice;
      const content = isRecord(delta) && typeof delta.content === 'string' ? delta.content : '';
      const tokens = this.#readLogprobs(choice.logprobs, reading);
      if (content !== '') {
        // The caller may have aborted in its previous onDelta: not one more piece after that.
        exchange.check();
        reading.text += content;
        reading.pieces += 1;
        reading.lastAt = performance.now();
        onDelta?.(content, tokens);
      }
      if (typeof finish === 'string') {
        reading.finish = finish === 'length' ? 'length' : 'stop';
        reading.lastAt = performance.now();
      }
    }
  }

  /** A server that ignored `stream: true` and sent one chat.completion. */
  async #whole(
    response: Response,
    exchange: Exchange,
    reading: Reading,
    onDelta: CompleteOptions['onDelta'],
  ): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      throw exchange.explain(error, () => this.#garbled('a reply that is not JSON'));
    }
    exchange.check();
    if (!isRecord(body)) throw this.#garbled('a reply that is not an object');
    if (body.error !== undefined) {
      throw new EngineError(
        'server',
        `The server at ${this.#base.host} failed: ${this.#redact(serverMessage(JSON.stringify(body)))}`,
      );
    }
    const choice: unknown = Array.isArray(body.choices) ? body.choices[0] : undefined;
    const message = isRecord(choice) ? choice.message : undefined;
    if (!isRecord(choice) || !isRecord(message) || typeof message.content !== 'string') {
      throw this.#garbled('a reply without choices[0].message.content');
    }
    reading.text = message.content;
    reading.pieces = message.content === '' ? 0 : 1;
    reading.finish = choice.finish_reason === 'length' ? 'length' : 'stop';
    reading.lastAt = performance.now();
    if (isRecord(body.usage)) this.#readUsage(body.usage, reading);
    const tokens = this.#readLogprobs(choice.logprobs, reading);
    if (message.content !== '') onDelta?.(message.content, tokens);
  }

  /** A choice's log-probabilities, added to `reading`; a malformed list fails the reply. */
  #readLogprobs(value: unknown, reading: Reading): TokenLogprob[] {
    const tokens = readChoiceLogprobs(value);
    if (!tokens) throw this.#garbled('log-probabilities that are not a list of tokens');
    if (tokens.length > 0) (reading.logprobs ??= []).push(...tokens);
    return tokens;
  }

  #readUsage(usage: Record<string, unknown>, reading: Reading): void {
    const { prompt_tokens: prompt, completion_tokens: completion } = usage;
    if (typeof prompt === 'number' && typeof completion === 'number') {
      reading.usage = { promptTokens: prompt, completionTokens: completion };
    }
  }

  /** Sends a request under `exchange`; resolves with a 2xx response, else rejects with why. */
  async #send(
    path: 'models' | 'chat/completions',
    exchange: Exchange,
    body?: unknown,
  ): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'text/event-stream, application/json' };
    if (this.#apiKey) headers.Authorization = `Bearer ${this.#apiKey}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(this.#endpoint(path), {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        ...(this.#localNetwork() ? localNetwork : {}),
        signal: exchange.controller.signal,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (error) {
      throw exchange.explain(error, (cause) => this.#unreachable(cause));
    }
    exchange.answered = true;
    exchange.kick();
    if (!response.ok) throw await this.#refused(response, path, exchange);
    return response;
  }

  /**
   * An https page calling a plain-http server that is not loopback: only a server on the person's
   * own network can answer, and Chromium lets the request through mixed-content blocking when it
   * says so (`targetAddressSpace`), once the person allows local network access.
   */
  #localNetwork(): boolean {
    return (
      pageOrigin()?.protocol === 'https:' &&
      this.#base.protocol === 'http:' &&
      !isLoopback(this.#base)
    );
  }

  #endpoint(path: string): string {
    return `${this.#base.href}/${path}`;
  }

  #exchange(signal: AbortSignal | undefined): Exchange {
    const exchange = new Exchange(signal, this.#timeoutMs, (answered) =>
      answered
        ? new EngineError(
            'timeout',
            `The server at ${this.#base.host} stopped sending: no reply for ${seconds(this.#timeoutMs)} in the middle of the answer. Try again.`,
          )
        : new EngineError(
            'timeout',
            `The server at ${this.#base.host} did not answer within ${seconds(this.#timeoutMs)}. It may be busy or still loading the model: try again in a moment.`,
          ),
    );
    this.#live.add(exchange);
    return exchange;
  }

  #done(exchange: Exchange): void {
    exchange.dispose();
    this.#live.delete(exchange);
  }

  #abortQuietly(exchange: Exchange): void {
    if (!exchange.controller.signal.aborted) exchange.controller.abort();
  }

  #checkLoaded(): void {
    if (!this.#loaded) {
      throw new EngineError('unknown', 'Connect to the server before asking it a question.');
    }
  }

  /** Ollama resolves a name without a tag to `:latest`; llama.cpp's server runs its one model whatever the name. */
  #serves(ids: string[], models: unknown[]): boolean {
    if (ids.includes(this.#model) || ids.includes(`${this.#model}:latest`)) return true;
    return models.length === 1 && isRecord(models[0]) && models[0].owned_by === 'llamacpp';
  }

  #missing(ids: string[]): EngineError {
    const shown = ids.slice(0, 20).join(', ');
    const more = ids.length > 20 ? ` and ${ids.length - 20} more` : '';
    const has = ids.length === 0 ? 'It lists no models.' : `It has: ${shown}${more}.`;
    return new EngineError(
      'model-not-found',
      `The server at ${this.#base.host} has no model "${this.#model}". ${has} Use one of its names, or load the model on the server first (Ollama: ollama pull ${this.#model}).`,
    );
  }

  #notAnApi(why: string): EngineError {
    return new EngineError(
      'bad-response',
      `${this.#base.href} does not look like an OpenAI-compatible API: ${why}. Check the server URL (usually it ends in /v1, like ${example}).`,
    );
  }

  #garbled(what: string): EngineError {
    return new EngineError(
      'bad-response',
      `The server at ${this.#base.host} sent ${what}; it may not be OpenAI-compatible.`,
    );
  }

  #unreachable(cause: unknown): EngineError {
    const page = pageOrigin();
    const code = isRecord(cause) && isRecord(cause.cause) ? cause.cause.code : undefined;
    const parts = [
      `Could not reach the server at ${this.#base.origin}${typeof code === 'string' ? ` (${code})` : ''}. Check that it is running and that the URL is right.`,
    ];
    if (page) {
      parts.push(
        `The server must also allow requests from this page's origin, ${page.origin} (CORS): for Ollama, start it with OLLAMA_ORIGINS=${page.origin}.`,
      );
      if (this.#localNetwork()) {
        parts.push(
          'This page is served over https and the server over plain http, which a browser allows only for a server on your own network, and only once you allow local network access when it asks (Chrome and Edge 142+). Otherwise serve the API over https, or forward it to this computer (ssh -L 11434:HOST:11434) and use http://localhost:11434/v1.',
        );
      }
    }
    return new EngineError('network', parts.join(' '), { cause });
  }

  #dropped(cause: unknown): EngineError {
    return new EngineError(
      'network',
      `The connection to ${this.#base.host} broke in the middle of the answer. Try again.`,
      { cause },
    );
  }

  /** An error for a non-2xx reply, with the server's own message when it sent one. */
  async #refused(response: Response, path: string, exchange: Exchange): Promise<EngineError> {
    let body = '';
    try {
      body = await response.text();
    } catch {
      if (exchange.failure) return exchange.failure;
    }
    const detail = this.#redact(serverMessage(body));
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const said = detail ? `: ${detail}` : '';
    const host = this.#base.host;
    switch (response.status) {
      case 401:
      case 403:
        return new EngineError(
          'unauthorized',
          this.#apiKey
            ? `The server at ${host} refused the API key (${status}${said}). Check the key in the settings.`
            : `The server at ${host} needs an API key (${status}${said}). Enter it in the settings.`,
        );
      case 404:
        if (path === 'chat/completions' && /model/i.test(detail)) {
          return new EngineError(
            'model-not-found',
            `The server at ${host} has no model "${this.#model}" (${status}${said}). Check the model name.`,
          );
        }
        return new EngineError(
          'bad-input',
          `Nothing answers at ${this.#endpoint(path)} (${status}${said}). Check the server URL: it usually ends in /v1, like ${example}.`,
        );
      case 429:
        return new EngineError(
          'server',
          `The server at ${host} is busy (${status}${said}). Wait a moment and try again.`,
        );
      default:
        return new EngineError(
          'server',
          response.status >= 500
            ? `The server at ${host} failed (${status}${said}).`
            : `The server at ${host} refused the request (${status}${said}).`,
        );
    }
  }

  /** Removes the API key from text a server sent back, in case it echoes it. */
  #redact(text: string): string {
    const key = this.#apiKey;
    return key && key.length >= 4 ? text.replaceAll(key, '[API key]') : text;
  }
}
