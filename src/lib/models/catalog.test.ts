// The catalog against web-llm's own prebuilt records: a web-llm bump that moves a URL fails here.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { catalog, customModel, defaultModelKey, findModel, pickBuild, recordOf } from './catalog';

const records = new Map(prebuiltAppConfig.model_list.map((r) => [r.model_id, r]));

describe('catalog', () => {
  test.each(catalog.flatMap((m) => m.builds.map((b) => [b.model_id, b] as const)))(
    '%s is web-llm 0.2.86’s record, field by field',
    (id, build) => {
      const record = records.get(id);
      if (!record) throw new Error(`web-llm has no record ${id}`);
      // Tally may require shader-f16 where web-llm's record leaves it out; nothing else differs.
      const features = build.quantization === 'q4f16_1' ? ['shader-f16'] : [];
      expect(build.required_features).toEqual(features);
      for (const feature of record.required_features ?? []) expect(features).toContain(feature);
      expect({ ...recordOf(build), required_features: record.required_features }).toEqual(record);
    },
  );

  test.each(
    catalog.flatMap((m) =>
      m.builds.filter(
        (b) => b.model_id.includes('Mistral-7B') || b.model_lib.includes('Mistral-7B'),
      ),
    ),
  )('$model_id turns off the sliding window its config has, as web-llm requires', (build) => {
    // Mistral's mlc-chat-config.json has sliding_window_size 4096; with a positive context window
    // beside it web-llm throws WindowSizeConfigurationError (web-llm issue #478).
    const merged = { sliding_window_size: 4096, ...recordOf(build).overrides };
    expect(merged.sliding_window_size).toBe(-1);
    expect(merged.context_window_size).toBe(4096);
  });

  test('offers the models the product promises, default first', () => {
    expect(catalog.map((m) => m.name)).toEqual([
      'Qwen2-Math-7B-Instruct',
      'Qwen2.5-Math-1.5B-Instruct',
      'Qwen2-Math-1.5B-Instruct',
      'WizardMath-7B-V1.1',
      'Phi-3.5-mini-instruct',
      'Llama-3.1-8B-Instruct',
      'Mistral-7B-Instruct-v0.3',
      'DeepSeek-R1-Distill-Qwen-7B',
    ]);
    expect(catalog[0]?.key).toBe(defaultModelKey);
  });

  test('the default picks q4f16_1 with shader-f16 and q4f32_1 without', () => {
    const qwen = findModel(defaultModelKey);
    if (!qwen) throw new Error('default missing');
    expect(pickBuild(qwen, new Set(['shader-f16']))?.model_id).toBe(
      'Qwen2-Math-7B-Instruct-q4f16_1-MLC',
    );
    expect(pickBuild(qwen, new Set())?.model_id).toBe('Qwen2-Math-7B-Instruct-q4f32_1-MLC');
  });

  test('a model with only an f16 build has none without shader-f16', () => {
    const wizard = findModel('wizardmath-7b');
    if (!wizard) throw new Error('WizardMath missing');
    expect(pickBuild(wizard, new Set())).toBeUndefined();
  });
});

describe('customModel', () => {
  test('builds a record from self-hosted URLs', () => {
    const model = customModel({
      modelUrl: ' https://models.example.com/Qwen2-Math-7B-Instruct-q4f32_1-MLC/ ',
      libUrl: 'https://models.example.com/libs/qwen.wasm',
      quantization: 'q4f32_1',
    });
    expect(model.family).toBe('qwen-math');
    expect(model.builds[0]?.model).toBe(
      'https://models.example.com/Qwen2-Math-7B-Instruct-q4f32_1-MLC',
    );
    expect(model.builds[0]?.required_features).toEqual([]);
  });

  test.each([
    ['not a url', 'https://x/lib.wasm', /“not a url” is not a URL/],
    ['javascript:alert(1)', 'https://x/lib.wasm', /must start with https:\/\//],
    ['https://x/model', 'ftp://x/lib.wasm', /must start with https:\/\//],
    ['https://x/model', 'https://x/lib.js', /\.wasm/],
    ['', 'https://x/lib.wasm', /is not a URL/],
  ])('rejects %s / %s', (modelUrl, libUrl, message) => {
    const attempt = () => customModel({ modelUrl, libUrl, quantization: 'q4f32_1' });
    expect(attempt).toThrow(EngineError);
    expect(attempt).toThrow(message);
  });
});
