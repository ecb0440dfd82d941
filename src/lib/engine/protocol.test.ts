import { describe, expect, test } from 'vitest';
import { parseFromWorker, parseToWorker } from './protocol';

const request = {
  messages: [{ role: 'user', content: 'What is 2 + 2?' }],
  temperature: 0,
  top_p: 1,
  max_tokens: 64,
  repetition_penalty: 1,
  frequency_penalty: 0,
  presence_penalty: 0,
};

describe('parseToWorker', () => {
  test('accepts every request the page sends', () => {
    const record = { model: 'https://x/m', model_id: 'm', model_lib: 'https://x/m.wasm' };
    expect(parseToWorker({ type: 'load', id: 1, record })).toEqual({ type: 'load', id: 1, record });
    expect(parseToWorker({ type: 'complete', id: 2, request })).toEqual({
      type: 'complete',
      id: 2,
      request,
    });
    const asking = { ...request, top_logprobs: 5 };
    expect(parseToWorker({ type: 'complete', id: 2, request: asking })).toEqual({
      type: 'complete',
      id: 2,
      request: asking,
    });
    expect(parseToWorker({ type: 'ack', id: 2 })).toEqual({ type: 'ack', id: 2 });
    expect(parseToWorker({ type: 'abort', id: 2 })).toEqual({ type: 'abort', id: 2 });
    expect(parseToWorker({ type: 'unload', id: 3 })).toEqual({ type: 'unload', id: 3 });
  });

  test.each([
    null,
    { type: 'abort' },
    { type: 'abort', id: -1 },
    { type: 'load', id: 1, record: { model_id: 'm' } },
    { type: 'complete', id: 1, request: { ...request, messages: [] } },
    {
      type: 'complete',
      id: 1,
      request: { ...request, messages: [{ role: 'tool', content: 'x' }] },
    },
    { type: 'complete', id: 1, request: { ...request, repetition_penalty: undefined } },
    { type: 'complete', id: 1, request: { ...request, max_tokens: Number.NaN } },
    { type: 'complete', id: 1, request: { ...request, top_logprobs: 0 } },
    { type: 'complete', id: 1, request: { ...request, top_logprobs: 6 } },
    { type: 'complete', id: 1, request: { ...request, top_logprobs: '5' } },
    { type: 'interruptGenerate', id: 1 },
  ])('refuses %j', (data) => {
    expect(parseToWorker(data)).toBeUndefined();
  });
});

describe('parseFromWorker', () => {
  test('accepts every message the worker sends', () => {
    for (const message of [
      { type: 'progress', id: 1, progress: 0.5, text: 'Loading GPU shader modules[1/2]' },
      { type: 'delta', id: 2, text: '4' },
      {
        type: 'delta',
        id: 2,
        text: '4',
        logprobs: [
          {
            token: '4',
            logprob: -0.1,
            top_logprobs: [
              { token: '4', logprob: -0.1 },
              { token: '5', logprob: -2.5 },
            ],
          },
        ],
      },
      { type: 'done', id: 2, finishReason: 'length', promptTokens: 9, completionTokens: 64 },
      { type: 'ok', id: 1 },
      { type: 'error', id: 2, error: { code: 'aborted', message: 'Stopped.' } },
      { type: 'device-lost', error: { code: 'device-lost', message: 'The GPU stopped.' } },
    ]) {
      expect(parseFromWorker(message)).toEqual(message);
    }
  });

  test.each([
    null,
    { type: 'delta', id: 1 },
    { type: 'delta', id: 1, text: '4', logprobs: [{ token: '4', logprob: 0.5, top_logprobs: [] }] },
    { type: 'delta', id: 1, text: '4', logprobs: [{ token: '4', logprob: -1, top_logprobs: 'x' }] },
    { type: 'delta', id: 1, text: '4', logprobs: { content: [] } },
    { type: 'done', id: 1, finishReason: 'abort', promptTokens: 1, completionTokens: 1 },
    { type: 'error', id: 1, error: { code: 'nope', message: 'x' } },
    { type: 'device-lost' },
    { kind: 'return', uuid: 'a', content: null },
  ])('refuses %j', (data) => {
    expect(parseFromWorker(data)).toBeUndefined();
  });
});
