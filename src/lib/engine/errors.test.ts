import { describe, expect, test } from 'vitest';
import { EngineError, fromWebLLM, isAbort } from './errors';

describe('fromWebLLM', () => {
  test.each([
    [
      'WebGPUNotAvailableError: WebGPU is not supported in your current environment',
      'webgpu-unavailable',
    ],
    [
      'ShaderF16SupportError: This model requires WebGPU extension shader-f16',
      'shader-f16-missing',
    ],
    ['DeviceLostError: The WebGPU device was lost while loading the model.', 'device-lost'],
    ['RangeError: Array buffer allocation failed', 'out-of-memory'],
    ['RangeError: WebAssembly.Memory.grow(): Maximum memory size exceeded', 'out-of-memory'],
    [
      'ContextWindowSizeExceededError: Prompt tokens exceed context window size: number of prompt tokens: 5000; context window size: 4096',
      'bad-input',
    ],
    ['QuotaExceededError: The quota has been exceeded.', 'quota'],
    [
      'CompileError: WebAssembly.instantiate(): expected magic word 00 61 73 6d',
      'model-lib-invalid',
    ],
    ['ModelNotFoundError: Cannot find model record in appConfig for x', 'model-not-found'],
    ['TypeError: Failed to fetch', 'network'],
    [
      'Failed to store https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/Qwen2-7B-Instruct-q4f32_1_cs1k-webgpu.wasm with error: TypeError: Failed to fetch',
      'network',
    ],
    ['Error: something odd', 'unknown'],
  ])('%s -> %s', (text, code) => {
    const error = fromWebLLM(text);
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
  });

  test('reads Error objects as well as strings', () => {
    expect(fromWebLLM(new WebAssembly.CompileError('bad magic')).code).toBe('model-lib-invalid');
  });

  test('an EngineError passes through', () => {
    const original = new EngineError('quota', 'full');
    expect(fromWebLLM(original)).toBe(original);
  });
});

describe('EngineError', () => {
  test('crosses a boundary as plain data and comes back the same', () => {
    const copy = EngineError.from(structuredClone(new EngineError('network', 'offline').toJSON()));
    expect(copy).toBeInstanceOf(EngineError);
    expect([copy.code, copy.message]).toEqual(['network', 'offline']);
  });

  test('cancellation is an AbortError, like fetch', () => {
    const aborted = new EngineError('aborted', 'Stopped.');
    expect(aborted.name).toBe('AbortError');
    expect(isAbort(aborted)).toBe(true);
    expect(isAbort(new DOMException('x', 'AbortError'))).toBe(true);
    expect(isAbort(new EngineError('network', 'x'))).toBe(false);
  });
});
