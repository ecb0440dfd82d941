// The catalog against web-llm's own prebuilt records: a web-llm bump that moves a URL fails here.
import { prebuiltAppConfig } from '@mlc-ai/web-llm';
import { describe, expect, test } from 'vitest';
import { EngineError } from '../engine/errors';
import { catalog, customModel, defaultModelKey, findModel, pickBuild } from './catalog';

const records = new Map(prebuiltAppConfig.model_list.map((r) => [r.model_id, r]));

describe('catalog', () => {
  test.each(catalog.flatMap((m) => m.builds.map((b) => [b.model_id, b] as const)))(
    '%s matches web-llm 0.2.86',
    (id, build) => {
      const record = records.get(id);
      expect(record, `web-llm has no record ${id}`).toBeDefined();
      expect(build.model).toBe(record?.model);
      expect(build.model_lib).toBe(record?.model_lib);
      expect(build.vram_required_MB).toBe(record?.vram_required_MB);
      expect(build.context_window_size).toBe(record?.overrides?.context_window_size);
      for (const feature of record?.required_features ?? []) {
        expect(build.required_features).toContain(feature);
      }
    },
  );

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
