// The messages between the page and engine.worker.ts: web-llm's own worker protocol, typed.
// Replies are checked at runtime before use; anything unexpected becomes a 'bad-response' error.
import type {
  AppConfig,
  ChatCompletionChunk,
  ChatCompletionRequestStreaming,
  ChatOptions,
  InitProgressReport,
} from '@mlc-ai/web-llm';

/** Requests the page sends; each names the reply it expects in `Replies`. */
export type WorkerRequest =
  | { kind: 'setAppConfig'; uuid: string; content: AppConfig }
  | { kind: 'reload'; uuid: string; content: { modelId: string[]; chatOpts?: ChatOptions[] } }
  | {
      kind: 'chatCompletionStreamInit';
      uuid: string;
      content: {
        request: ChatCompletionRequestStreaming;
        selectedModelId: string;
        streamId: string;
        modelId: string[];
        chatOpts?: ChatOptions[];
      };
    }
  | { kind: 'completionStreamNextChunk'; uuid: string; content: { streamId: string } }
  | { kind: 'interruptGenerate'; uuid: string; content: null }
  | { kind: 'unload'; uuid: string; content: null };

export type RequestKind = WorkerRequest['kind'];

/** Messages the worker sends. web-llm sends progress with an empty uuid. */
export type WorkerResponse =
  | { kind: 'return'; uuid: string; content: unknown }
  | { kind: 'throw'; uuid: string; content: unknown }
  | { kind: 'initProgressCallback'; uuid: string; content: InitProgressReport }
  | { kind: 'heartbeat'; uuid: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Narrows a raw message event's data to a WorkerResponse, or undefined if it is not one. */
export function parseResponse(data: unknown): WorkerResponse | undefined {
  if (!isRecord(data) || typeof data.uuid !== 'string') return undefined;
  switch (data.kind) {
    case 'return':
    case 'throw':
      return { kind: data.kind, uuid: data.uuid, content: data.content };
    case 'heartbeat':
      return { kind: 'heartbeat', uuid: data.uuid };
    case 'initProgressCallback': {
      const c = data.content;
      if (!isRecord(c) || typeof c.progress !== 'number' || typeof c.text !== 'string') {
        return undefined;
      }
      const timeElapsed = typeof c.timeElapsed === 'number' ? c.timeElapsed : 0;
      return {
        kind: 'initProgressCallback',
        uuid: data.uuid,
        content: { progress: c.progress, text: c.text, timeElapsed },
      };
    }
    default:
      return undefined;
  }
}

/** A stream chunk as web-llm's worker returns it from 'completionStreamNextChunk'. */
export function isChunk(value: unknown): value is ChatCompletionChunk {
  return (
    isRecord(value) &&
    Array.isArray(value.choices) &&
    value.choices.every((choice: unknown) => isRecord(choice) && isRecord(choice.delta))
  );
}
