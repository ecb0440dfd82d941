// The person's choices (engine, model, server), kept in this browser with idb-keyval.
// Stored data is validated on read: anything malformed falls back to defaults with a notice.
import { get, set } from 'idb-keyval';
import { EngineError } from '../engine/errors';
import type { OpenAIConfig } from '../engine/openai-engine';
import {
  customModel,
  defaultModelKey,
  findModel,
  type CatalogModel,
  type Quantization,
} from '../models/catalog';
import {
  defaultSampling,
  defaultStopRule,
  fieldProblem,
  fields,
  sampleKindNames,
  stopRuleOf,
  type SampleKinds,
  type StopRule,
} from '../solver';

export type EngineChoice = 'webllm' | 'openai';

/** What is saved; every field is checked when read back. */
export interface SavedSettings {
  engine: EngineChoice;
  /** catalog key, or 'custom' */
  modelKey: string;
  customModelUrl: string;
  customLibUrl: string;
  customQuantization: Quantization;
  serverUrl: string;
  serverModel: string;
  /** sent only to the configured server; never leaves this browser otherwise */
  apiKey: string;
  /** the server answered the last Connect: the page connects to it again on the next visit */
  serverConnected: boolean;
  /** also sample an ensemble and vote */
  ensemble: boolean;
  /** samples at most, 1..40 */
  k: number;
  /** sampling temperature for the ensemble, 0..2 */
  temperature: number;
  /** nucleus mass for the ensemble, (0, 1] */
  topP: number;
  stopKind: StopRule['kind'];
  /** ESC window, samples */
  escWindow: number;
  /** Beta rule threshold, (0.5, 1) */
  betaThreshold: number;
  /** solutions whose arithmetic checks out weigh more in the vote */
  weigh: boolean;
  /** ask the model whether each distinct answer is right (one more call each); off by default */
  verify: boolean;
  /** also ask for a program and run it (the Program column) */
  program: boolean;
  /** what the ensemble samples: prose, programs, or both in turn */
  sampleKinds: SampleKinds;
  /** seconds a program may run, 1..60 */
  programTimeLimit: number;
}

const KEY = 'tally:settings';

export const defaults: SavedSettings = {
  engine: 'webllm',
  modelKey: defaultModelKey,
  customModelUrl: '',
  customLibUrl: '',
  customQuantization: 'q4f32_1',
  serverUrl: 'http://localhost:11434/v1',
  serverModel: 'qwen2-math:7b',
  apiKey: '',
  serverConnected: false,
  ensemble: false,
  k: fields.k.default,
  temperature: defaultSampling.temperature,
  topP: defaultSampling.top_p,
  stopKind: defaultStopRule.kind,
  escWindow: fields.escWindow.default,
  betaThreshold: fields.betaThreshold.default,
  weigh: false,
  verify: false,
  program: false,
  sampleKinds: 'prose',
  programTimeLimit: fields.programTimeLimit.default,
};

/** The stop rule the settings describe. */
export function stopRule(s: SavedSettings): StopRule {
  return stopRuleOf(s.stopKind, s.betaThreshold, s.escWindow);
}

/** What connecting to the server in the settings takes. */
export function serverConfig(s: SavedSettings): OpenAIConfig {
  return { baseUrl: s.serverUrl, model: s.serverModel, ...(s.apiKey ? { apiKey: s.apiKey } : {}) };
}

/** Keeps what is valid in `raw`, defaults for the rest; `problems` names what was dropped. */
export function validateSettings(raw: unknown): { settings: SavedSettings; problems: string[] } {
  const settings = { ...defaults };
  const problems: string[] = [];
  if (raw === undefined) return { settings, problems };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { settings, problems: ['saved settings were unreadable'] };
  }
  const r = raw as Record<string, unknown>;
  const text = (key: keyof SavedSettings) => {
    const value = r[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.length <= 2048) return value;
    problems.push(key);
    return undefined;
  };
  const engine = text('engine');
  if (engine === 'webllm' || engine === 'openai') settings.engine = engine;
  else if (engine !== undefined) problems.push('engine');
  const modelKey = text('modelKey');
  if (modelKey === 'custom' || (modelKey !== undefined && findModel(modelKey))) {
    settings.modelKey = modelKey;
  } else if (modelKey !== undefined) problems.push('modelKey');
  const quant = text('customQuantization');
  if (quant === 'q4f16_1' || quant === 'q4f32_1') settings.customQuantization = quant;
  else if (quant !== undefined) problems.push('customQuantization');
  for (const key of [
    'customModelUrl',
    'customLibUrl',
    'serverUrl',
    'serverModel',
    'apiKey',
  ] as const) {
    const value = text(key);
    if (value !== undefined) settings[key] = value;
  }
  for (const key of [
    'k',
    'temperature',
    'topP',
    'escWindow',
    'betaThreshold',
    'programTimeLimit',
  ] as const) {
    const value = r[key];
    if (value === undefined) continue;
    if (typeof value === 'number' && fieldProblem(fields[key], value) === undefined) {
      settings[key] = value;
    } else problems.push(key);
  }
  for (const key of ['serverConnected', 'ensemble', 'weigh', 'verify', 'program'] as const) {
    const value = r[key];
    if (typeof value === 'boolean') settings[key] = value;
    else if (value !== undefined) problems.push(key);
  }
  const stopKind = r.stopKind;
  if (stopKind === 'fixed' || stopKind === 'esc' || stopKind === 'beta')
    settings.stopKind = stopKind;
  else if (stopKind !== undefined) problems.push('stopKind');
  const kinds = r.sampleKinds;
  if (typeof kinds === 'string' && Object.hasOwn(sampleKindNames, kinds)) {
    settings.sampleKinds = kinds as SampleKinds;
  } else if (kinds !== undefined) problems.push('sampleKinds');
  return { settings, problems };
}

/** The model the settings name; throws 'bad-input' with a clear message for a bad custom URL. */
export function selectedModel(s: SavedSettings): CatalogModel {
  if (s.modelKey === 'custom') {
    return customModel({
      modelUrl: s.customModelUrl,
      libUrl: s.customLibUrl,
      quantization: s.customQuantization,
    });
  }
  const model = findModel(s.modelKey);
  if (!model) throw new EngineError('bad-input', 'Pick a model first.');
  return model;
}

export class Settings {
  current = $state<SavedSettings>({ ...defaults });
  /** set when saved settings could not all be read back */
  notice = $state('');
  #ready: Promise<void> | undefined;

  /** Reads saved settings once; safe to call repeatedly. */
  restore(): Promise<void> {
    this.#ready ??= get<unknown>(KEY)
      .then((raw) => {
        const { settings, problems } = validateSettings(raw);
        this.current = settings;
        if (problems.length > 0) {
          this.notice = `Some saved settings could not be read and were reset: ${problems.join(', ')}.`;
        }
      })
      .catch(() => {
        this.notice = 'Saved settings are unavailable in this browser; choices will not be kept.';
      });
    return this.#ready;
  }

  update(patch: Partial<SavedSettings>): void {
    this.current = { ...this.current, ...patch };
    set(KEY, $state.snapshot(this.current)).catch(() => {
      this.notice = 'Settings could not be saved in this browser.';
    });
  }
}
