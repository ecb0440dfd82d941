// The engine worker's body: web-llm's MLCEngine through its public API only (reload, chatCompletion
// with stream: true, unload) behind Tally's protocol (protocol.ts). Requests run one at a time in
// arrival order; deltas are pushed as web-llm decodes them, one message in flight at a time (text
// decoded while the page has not yet taken the last one goes out with the next, so a busy page
// never holds decoding back nor builds a queue); a stop ends a stream by returning its
// iterator (web-llm's generator then stops and releases its model lock); a lost GPU device is
// reported the moment it happens. engine.worker.ts serves a real MLCEngine with it.
import type { ChatCompletionChunk, MLCEngine, ModelRecord } from '@mlc-ai/web-llm';
import { abortError, EngineError, fromWebLLM } from './errors';
import { readChoiceLogprobs, type TokenLogprob } from './logprobs';
import { parseToWorker, type CompletionRequest, type FromWorker } from './protocol';

/** Where requests come from and replies go: the worker's global scope. */
export interface Endpoint {
  postMessage(message: FromWorker): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A stream chunk with the fields read here (web-llm's ChatCompletionChunk). */
function isChunk(value: unknown): value is ChatCompletionChunk {
  return (
    isRecord(value) &&
    Array.isArray(value.choices) &&
    value.choices.every((choice: unknown) => isRecord(choice) && isRecord(choice.delta))
  );
}

/**
 * Calls `onDevice` with every GPU device created in this worker (web-llm creates its own, out of
 * reach of its public API, and unloads silently when it is lost).
 */
function watchDevices(gpu: GPU | undefined, onDevice: (device: GPUDevice) => void): void {
  if (!gpu) return;
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = async (options) => {
    const adapter = await requestAdapter(options);
    if (adapter) {
      const requestDevice = adapter.requestDevice.bind(adapter);
      adapter.requestDevice = async (descriptor) => {
        const device = await requestDevice(descriptor);
        onDevice(device);
        return device;
      };
    }
    return adapter;
  };
}

/** Serves `engine` to the page over `endpoint`. */
export function serveEngine(
  engine: MLCEngine,
  endpoint: Endpoint,
  gpu: GPU | undefined = navigator.gpu,
): void {
  const post = (message: FromWorker) => {
    endpoint.postMessage(message);
  };
  let queue = Promise.resolve();
  /** completions queued or running */
  const pending = new Set<number>();
  /** completions the page stopped */
  const stopped = new Set<number>();
  /**
   * per running completion: text (and, when asked for, its tokens' log-probabilities) not sent
   * yet, and whether the page has taken the last delta
   */
  const outbox = new Map<
    number,
    { text: string; logprobs: TokenLogprob[] | undefined; unacknowledged: boolean }
  >();

  /** Sends what `id` decoded so far unless the page has not taken the previous delta yet. */
  const send = (id: number, force: boolean) => {
    const box = outbox.get(id);
    if (!box || !box.text || (box.unacknowledged && !force)) return;
    post(
      box.logprobs
        ? { type: 'delta', id, text: box.text, logprobs: box.logprobs }
        : { type: 'delta', id, text: box.text },
    );
    box.text = '';
    if (box.logprobs) box.logprobs = [];
    box.unacknowledged = true;
  };
  let loaded = false;
  let loading = false;
  /**
   * the device of the model loaded or loading; a loss of any other (an old one web-llm disposed)
   * is expected
   */
  let device: GPUDevice | undefined;
  /** why the model is gone, once its device was lost */
  let lost: EngineError | undefined;

  watchDevices(gpu, (created) => {
    device = created;
    void created.lost.then((info) => {
      if (created !== device || !(loaded || loading)) return;
      device = undefined;
      const detail = info.message || info.reason;
      if (loading) {
        // web-llm's runtime disposes itself and its reload carries on to fail some other way
        lost = new EngineError(
          'device-lost',
          `The GPU stopped while the model was loading, most often because the model needs more GPU memory than this device has. Try a smaller model, or close other GPU-heavy tabs and load again. (${detail})`,
        );
        return;
      }
      loaded = false;
      lost = fromWebLLM(`DeviceLostError: ${detail}`);
      post({ type: 'device-lost', error: lost.toJSON() });
    });
  });

  const fail = (id: number, error: unknown) => {
    post({ type: 'error', id, error: fromWebLLM(error).toJSON() });
  };

  /** Unloads on purpose: the loss of the old device that follows is not news. */
  async function release(): Promise<void> {
    device = undefined;
    loaded = false;
    lost = undefined;
    await engine.unload();
  }

  async function load(id: number, record: ModelRecord): Promise<void> {
    try {
      await release();
      loading = true;
      engine.setAppConfig({ model_list: [record], cacheBackend: 'indexeddb' });
      engine.setInitProgressCallback((report) => {
        post({ type: 'progress', id, progress: report.progress, text: report.text });
      });
      await engine.reload(record.model_id);
      if (lost) throw lost;
      loaded = true;
      post({ type: 'ok', id });
    } catch (error) {
      fail(id, lost ?? error);
    } finally {
      loading = false;
    }
  }

  async function complete(id: number, request: CompletionRequest): Promise<void> {
    let iterator: AsyncIterator<ChatCompletionChunk> | undefined;
    try {
      if (stopped.has(id)) throw abortError();
      if (lost) throw lost;
      if (!loaded) throw new EngineError('unknown', 'Load a model before asking it a question.');
      const asked = request.top_logprobs !== undefined;
      const stream = await engine.chatCompletion({
        ...request,
        ...(asked ? { logprobs: true } : {}),
        stream: true,
        stream_options: { include_usage: true },
      });
      iterator = stream[Symbol.asyncIterator]();
      const box = {
        text: '',
        logprobs: asked ? ([] as TokenLogprob[]) : undefined,
        unacknowledged: false,
      };
      outbox.set(id, box);
      let finish: string | null | undefined;
      let promptTokens = 0;
      let completionTokens = 0;
      for (;;) {
        if (stopped.has(id)) throw abortError();
        const step = await iterator.next();
        if (step.done) break;
        const chunk: unknown = step.value;
        if (!isChunk(chunk)) {
          throw new EngineError('bad-response', 'web-llm sent a malformed stream chunk.');
        }
        for (const choice of chunk.choices) {
          const text = choice.delta.content;
          if (text) box.text += text;
          if (choice.finish_reason) finish = choice.finish_reason;
          // web-llm puts the token just decoded in each chunk; a chunk it holds back (a token
          // ending mid-character) drops that token's entry, so a reply may miss a few. A chunk
          // with no text (the end-of-reply token, a stop string's last token) carries no token of
          // the reply: its entry is not kept, as OpenAI-compatible servers send none for it.
          if (box.logprobs && text) {
            const tokens = readChoiceLogprobs(choice.logprobs, request.temperature);
            if (!tokens) {
              throw new EngineError('bad-response', 'web-llm sent malformed log-probabilities.');
            }
            box.logprobs.push(...tokens);
          }
        }
        send(id, false);
        if (chunk.usage) {
          promptTokens = chunk.usage.prompt_tokens;
          completionTokens = chunk.usage.completion_tokens;
        }
      }
      if (finish === 'abort' || stopped.has(id)) throw abortError();
      if (finish !== 'stop' && finish !== 'length') {
        throw new EngineError('bad-response', `web-llm ended a reply with “${String(finish)}”.`);
      }
      send(id, true);
      post({ type: 'done', id, finishReason: finish, promptTokens, completionTokens });
    } catch (error) {
      fail(id, lost ?? error);
    } finally {
      pending.delete(id);
      stopped.delete(id);
      outbox.delete(id);
      // Ends web-llm's generator where it stands: it stops the pipeline and releases the lock.
      await iterator?.return?.().catch(() => undefined);
    }
  }

  async function unload(id: number): Promise<void> {
    try {
      await release();
      post({ type: 'ok', id });
    } catch (error) {
      fail(id, error);
    }
  }

  const enqueue = (job: () => Promise<void>) => {
    queue = queue.then(job);
  };

  endpoint.addEventListener('message', (event: MessageEvent) => {
    const message = parseToWorker(event.data);
    if (!message) {
      const id: unknown = isRecord(event.data) ? event.data.id : undefined;
      if (Number.isSafeInteger(id)) {
        fail(
          id as number,
          new EngineError('bad-input', 'The engine got a request it cannot read.'),
        );
      }
      return;
    }
    switch (message.type) {
      case 'load':
        enqueue(() => load(message.id, message.record));
        break;
      case 'complete':
        pending.add(message.id);
        enqueue(() => complete(message.id, message.request));
        break;
      case 'ack': {
        const box = outbox.get(message.id);
        if (box) box.unacknowledged = false;
        send(message.id, false);
        break;
      }
      case 'abort':
        if (pending.has(message.id)) stopped.add(message.id);
        break;
      case 'unload':
        enqueue(() => unload(message.id));
        break;
    }
  });
}
