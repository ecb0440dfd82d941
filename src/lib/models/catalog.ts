// The models Tally offers, as web-llm records (ids, weight and library URLs, VRAM), plus custom ones.
// Kept in step with web-llm's prebuiltAppConfig by catalog.test.ts; a bad custom URL throws 'bad-input'.
import type { ModelRecord } from '@mlc-ai/web-llm';
import { EngineError } from '../engine/errors';
import { halfPrecision } from '../engine/gpu-words';

const HF = 'https://huggingface.co/mlc-ai/';
const LIBS =
  'https://raw.githubusercontent.com/mlc-ai/binary-mlc-llm-libs/main/web-llm-models/v0_2_86/base/';

export type Quantization = 'q4f16_1' | 'q4f32_1';

/** How a model wants to be prompted: see solver/prompt.ts. */
export type ModelFamily = 'qwen-math' | 'deepseek-r1' | 'generic';

/** One compiled build of a model, in web-llm's ModelRecord shape (appConfig.model_list entry). */
export interface ModelBuild {
  quantization: Quantization;
  /** web-llm's model_id */
  model_id: string;
  /** folder URL of the weights; files live under `${model}/resolve/main/` */
  model: string;
  /** URL of the compiled WebGPU library (.wasm) */
  model_lib: string;
  /** GPU memory the build needs, megabytes */
  vram_required_MB: number;
  /** web-llm's flag for builds that fit small GPUs */
  low_resource_required: boolean;
  /** WebGPU features the build needs */
  required_features: string[];
  /** mlc-chat-config.json fields web-llm's record overrides, exactly as its record does */
  overrides: ModelOverrides;
}

/**
 * The KV cache settings web-llm's records override. A Mistral build's own config has a sliding
 * window; web-llm refuses a positive context window beside it, so its record sets the window -1.
 */
export interface ModelOverrides {
  /** tokens */
  context_window_size: number;
  /** -1: no sliding window */
  sliding_window_size?: number;
}

export interface CatalogModel {
  /** stable key, e.g. 'qwen2-math-7b' */
  key: string;
  name: string;
  /** one line for the picker */
  blurb: string;
  /** parameters, billions */
  params: number;
  family: ModelFamily;
  /** builds in order of preference; the first whose features the GPU has is used */
  builds: ModelBuild[];
}

function build(
  quantization: Quantization,
  repo: string,
  lib: string,
  vram: number,
  options: { low?: boolean; sliding?: boolean } = {},
): ModelBuild {
  const name = `${repo}-${quantization}-MLC`;
  return {
    quantization,
    model_id: name,
    model: HF + name,
    model_lib: `${LIBS}${lib}-${quantization}_cs1k-webgpu.wasm`,
    vram_required_MB: vram,
    low_resource_required: options.low ?? false,
    // Every f16 build needs shader-f16, whether or not web-llm's record lists it.
    required_features: quantization === 'q4f16_1' ? ['shader-f16'] : [],
    overrides: options.sliding
      ? { context_window_size: 4096, sliding_window_size: -1 }
      : { context_window_size: 4096 },
  };
}

/** web-llm's ModelRecord for a build: the build without Tally's own field. */
export function recordOf(build: ModelBuild): ModelRecord {
  return {
    model: build.model,
    model_id: build.model_id,
    model_lib: build.model_lib,
    vram_required_MB: build.vram_required_MB,
    low_resource_required: build.low_resource_required,
    required_features: build.required_features,
    overrides: build.overrides,
  };
}

export const catalog: CatalogModel[] = [
  {
    key: 'qwen2-math-7b',
    name: 'Qwen2-Math-7B-Instruct',
    blurb: 'Default. Strong on grade-school math; about 5 GB of GPU memory.',
    params: 7,
    family: 'qwen-math',
    builds: [
      build('q4f16_1', 'Qwen2-Math-7B-Instruct', 'Qwen2-7B-Instruct', 5106.67),
      build('q4f32_1', 'Qwen2-Math-7B-Instruct', 'Qwen2-7B-Instruct', 5900.09),
    ],
  },
  {
    key: 'qwen2.5-math-1.5b',
    name: 'Qwen2.5-Math-1.5B-Instruct',
    blurb: 'Lite. Small and quick; about 2 GB of GPU memory.',
    params: 1.5,
    family: 'qwen-math',
    builds: [
      build('q4f16_1', 'Qwen2.5-Math-1.5B-Instruct', 'Qwen2-1.5B-Instruct', 1629.75, { low: true }),
      build('q4f32_1', 'Qwen2.5-Math-1.5B-Instruct', 'Qwen2-1.5B-Instruct', 1888.97, { low: true }),
    ],
  },
  {
    key: 'qwen2-math-1.5b',
    name: 'Qwen2-Math-1.5B-Instruct',
    blurb: 'The previous small Qwen math model.',
    params: 1.5,
    family: 'qwen-math',
    builds: [
      build('q4f16_1', 'Qwen2-Math-1.5B-Instruct', 'Qwen2-1.5B-Instruct', 1629.75, { low: true }),
      build('q4f32_1', 'Qwen2-Math-1.5B-Instruct', 'Qwen2-1.5B-Instruct', 1888.97, { low: true }),
    ],
  },
  {
    key: 'wizardmath-7b',
    name: 'WizardMath-7B-V1.1',
    blurb: `Mistral-based math model; needs ${halfPrecision}.`,
    params: 7,
    family: 'generic',
    builds: [
      build('q4f16_1', 'WizardMath-7B-V1.1', 'Mistral-7B-Instruct-v0.3', 4573.39, {
        sliding: true,
      }),
    ],
  },
  {
    key: 'phi-3.5-mini',
    name: 'Phi-3.5-mini-instruct',
    blurb: 'General 3.8B model, good at reasoning for its size.',
    params: 3.8,
    family: 'generic',
    builds: [
      build('q4f16_1', 'Phi-3.5-mini-instruct', 'Phi-3.5-mini-instruct', 3672.07),
      build('q4f32_1', 'Phi-3.5-mini-instruct', 'Phi-3.5-mini-instruct', 5483.12),
    ],
  },
  {
    key: 'llama-3.1-8b',
    name: 'Llama-3.1-8B-Instruct',
    blurb: 'General 8B model.',
    params: 8,
    family: 'generic',
    builds: [
      build('q4f16_1', 'Llama-3.1-8B-Instruct', 'Llama-3_1-8B-Instruct', 5001),
      build('q4f32_1', 'Llama-3.1-8B-Instruct', 'Llama-3_1-8B-Instruct', 6101.01),
    ],
  },
  {
    key: 'mistral-7b',
    name: 'Mistral-7B-Instruct-v0.3',
    blurb: 'General 7B model.',
    params: 7,
    family: 'generic',
    builds: [
      build('q4f16_1', 'Mistral-7B-Instruct-v0.3', 'Mistral-7B-Instruct-v0.3', 4573.39, {
        sliding: true,
      }),
      build('q4f32_1', 'Mistral-7B-Instruct-v0.3', 'Mistral-7B-Instruct-v0.3', 5619.27, {
        sliding: true,
      }),
    ],
  },
  {
    key: 'deepseek-r1-qwen-7b',
    name: 'DeepSeek-R1-Distill-Qwen-7B',
    blurb: 'Thinks at length before answering: slow, often right.',
    params: 7,
    family: 'deepseek-r1',
    builds: [
      build('q4f16_1', 'DeepSeek-R1-Distill-Qwen-7B', 'Qwen2-7B-Instruct', 5106.67),
      build('q4f32_1', 'DeepSeek-R1-Distill-Qwen-7B', 'Qwen2-7B-Instruct', 5900.09),
    ],
  },
];

/** The model a first visit gets. */
export const defaultModelKey = 'qwen2-math-7b';

export function findModel(key: string): CatalogModel | undefined {
  return catalog.find((model) => model.key === key);
}

/** The first build whose features this GPU has, or undefined when none runs here. */
export function pickBuild(
  model: CatalogModel,
  features: ReadonlySet<string>,
): ModelBuild | undefined {
  return model.builds.find((b) => b.required_features.every((f) => features.has(f)));
}

/** What a person types to use self-hosted weights. */
export interface CustomModelInput {
  /** folder URL of an MLC build (the one web-llm fetches `resolve/main/...` under) */
  modelUrl: string;
  /** URL of its compiled .wasm library */
  libUrl: string;
  quantization: Quantization;
}

function parseHttpUrl(input: string, what: string): URL {
  const text = input.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new EngineError(
      'bad-input',
      `The ${what} “${text}” is not a URL. It should look like https://example.com/path.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EngineError(
      'bad-input',
      `The ${what} must start with https:// or http://, not ${url.protocol}`,
    );
  }
  return url;
}

/** A catalog entry for self-hosted weights; throws 'bad-input' with a clear message for bad URLs. */
export function customModel(input: CustomModelInput): CatalogModel {
  const folder = parseHttpUrl(input.modelUrl, 'model URL');
  const lib = parseHttpUrl(input.libUrl, 'model library URL');
  if (!lib.pathname.endsWith('.wasm')) {
    throw new EngineError(
      'bad-input',
      'The model library URL should point at a compiled .wasm file.',
    );
  }
  const model = folder.href.replace(/\/+$/, '');
  const name = model.split('/').pop() ?? model;
  return {
    key: `custom:${model}`,
    name,
    blurb: `Self-hosted from ${folder.host}`,
    params: 0,
    family: /qwen.*math/i.test(name) ? 'qwen-math' : 'generic',
    builds: [
      {
        quantization: input.quantization,
        model_id: `${name}@${folder.host}`,
        model,
        model_lib: lib.href,
        vram_required_MB: 0,
        low_resource_required: false,
        required_features: input.quantization === 'q4f16_1' ? ['shader-f16'] : [],
        // No sliding window whatever the folder's config says (web-llm refuses both at once).
        overrides: { context_window_size: 4096, sliding_window_size: -1 },
      },
    ],
  };
}
