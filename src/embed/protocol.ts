// The widget's postMessage protocol, the one file both the widget (embed.html) and the host script
// (embed.js) import. Every message is checked on arrival; anything malformed parses to undefined.

/** Every message carries this tag and version, so a page's other messages are never mistaken. */
export const PROTOCOL = 'tally-embed';
export const PROTOCOL_VERSION = 1;

export type SolveMode = 'single' | 'ensemble';

/** Samples an embedder may ask for in ensemble mode, at most. */
export const maxEmbedSamples = 16;
/** Samples when an embedder asks for an ensemble without saying how many. */
export const defaultEmbedSamples = 5;
/** characters of a question the protocol carries (the solver's own limit is lower) */
const maxText = 20_000;

/** An OpenAI-compatible server the embedder runs for its readers (Ollama, vLLM, llama.cpp). */
export interface ServerOption {
  /** base URL, e.g. https://math.example.edu/v1 */
  baseUrl: string;
  /** model name on that server */
  model: string;
  /** sent only to `baseUrl`; anyone who can read the host page can read it */
  apiKey?: string;
}

/** A self-hosted MLC model folder and its WebGPU library, when the catalog's are not wanted. */
export interface CustomModelOption {
  modelUrl: string;
  libUrl: string;
  /** default 'q4f32_1', which every WebGPU adapter runs */
  quantization?: 'q4f16_1' | 'q4f32_1';
}

/** What the host page may set; every field is optional. */
export interface WidgetOptions {
  /** the problem to show (and to solve, with `autorun`) */
  question?: string;
  mode?: SolveMode;
  /** ensemble samples at most, 1..maxEmbedSamples */
  k?: number;
  /** a catalog key, e.g. 'qwen2.5-math-1.5b' (default: the catalog's default) */
  model?: string;
  customModel?: CustomModelOption;
  /** run on this server instead of the reader's GPU */
  server?: ServerOption;
  /** solve `question` as soon as an engine is ready, without a click */
  autorun?: boolean;
}

interface Envelope {
  protocol: typeof PROTOCOL;
  v: typeof PROTOCOL_VERSION;
}

/** Host page -> widget. */
export type HostBody =
  | { type: 'configure'; options: WidgetOptions }
  | { type: 'solve'; id: string; question: string; mode?: SolveMode; k?: number }
  | { type: 'stop'; id: string };
export type HostMessage = Envelope & HostBody;

/** Where the widget's model would run. */
export type EngineKind = 'webllm' | 'openai';

/**
 * The storage the widget has (storage-access.ts): Tally's own, a separate one for the embedding
 * site, none at all (the browser blocks third-party storage), or not known.
 */
export type StorageKind = 'first-party' | 'partitioned' | 'blocked' | 'unknown';

/** What the widget can run with now (model-source.svelte.ts). */
export type AvailabilityKind =
  'checking' | 'server' | 'no-webgpu' | 'no-build' | 'found' | 'missing' | 'copying';

const availabilityKinds: readonly string[] = [
  'checking',
  'server',
  'no-webgpu',
  'no-build',
  'found',
  'missing',
  'copying',
] satisfies AvailabilityKind[];
const isAvailability = (v: unknown): v is AvailabilityKind =>
  typeof v === 'string' && availabilityKinds.includes(v);

/** Widget -> host page. */
export type WidgetBody =
  /** the widget listens: send `configure` now */
  | { type: 'ready'; version: string }
  /** sent whenever what the widget can run with changes */
  | { type: 'status'; engine: EngineKind; storage: StorageKind; availability: AvailabilityKind }
  | {
      type: 'progress';
      /** the solve it belongs to; null while loading a model or copying one */
      id: string | null;
      stage: 'load' | 'copy' | 'solve';
      /** 0..1, or null when unknown */
      fraction: number | null;
      text: string;
    }
  | {
      type: 'result';
      id: string;
      question: string;
      mode: SolveMode;
      /** the final answer (the majority in ensemble mode), or null when none was found */
      answer: string | null;
      /** answer -> number of samples that gave it */
      votes: Record<string, number>;
      /** the answer's share of the samples that gave an answer, 0..1 */
      agreement: number;
      /** samples run and counted */
      samples: number;
    }
  | { type: 'error'; id: string | null; code: string; message: string }
  | {
      type: 'resize';
      /** the widget's content height, CSS pixels */
      height: number;
    };
export type WidgetMessage = Envelope & WidgetBody;

/** Adds the envelope. */
export function envelope<B extends HostBody | WidgetBody>(body: B): Envelope & B {
  return { protocol: PROTOCOL, v: PROTOCOL_VERSION, ...body };
}

type Data = Record<string, unknown>;

const isRecord = (v: unknown): v is Data =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown, max = maxText): v is string => typeof v === 'string' && v.length <= max;
const isId = (v: unknown): v is string => isText(v, 100) && v.length > 0;
const isMode = (v: unknown): v is SolveMode => v === 'single' || v === 'ensemble';
const isK = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= maxEmbedSamples;
const isHttpUrl = (v: unknown): v is string => {
  if (!isText(v, 2048)) return false;
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};
const optional = (d: Data, key: string, check: (v: unknown) => boolean) =>
  d[key] === undefined || check(d[key]);
/** Only the listed keys (plus the envelope) may be present: nothing unexpected rides along. */
const onlyKeys = (d: Data, keys: readonly string[]) =>
  Object.keys(d).every((k) => k === 'protocol' || k === 'v' || k === 'type' || keys.includes(k));

function isServer(v: unknown): v is ServerOption {
  return (
    isRecord(v) &&
    onlyKeys(v, ['baseUrl', 'model', 'apiKey']) &&
    isHttpUrl(v.baseUrl) &&
    isText(v.model, 200) &&
    v.model.length > 0 &&
    optional(v, 'apiKey', (k) => isText(k, 1000))
  );
}

function isCustomModel(v: unknown): v is CustomModelOption {
  return (
    isRecord(v) &&
    onlyKeys(v, ['modelUrl', 'libUrl', 'quantization']) &&
    isHttpUrl(v.modelUrl) &&
    isHttpUrl(v.libUrl) &&
    optional(v, 'quantization', (q) => q === 'q4f16_1' || q === 'q4f32_1')
  );
}

function isOptions(v: unknown): v is WidgetOptions {
  return (
    isRecord(v) &&
    onlyKeys(v, ['question', 'mode', 'k', 'model', 'customModel', 'server', 'autorun']) &&
    optional(v, 'question', (q) => isText(q)) &&
    optional(v, 'mode', isMode) &&
    optional(v, 'k', isK) &&
    optional(v, 'model', (m) => isText(m, 100)) &&
    optional(v, 'customModel', isCustomModel) &&
    optional(v, 'server', isServer) &&
    optional(v, 'autorun', (a) => typeof a === 'boolean')
  );
}

function hasEnvelope(d: unknown): d is Data & Envelope {
  return isRecord(d) && d.protocol === PROTOCOL && d.v === PROTOCOL_VERSION;
}

/** A host message, or undefined for anything malformed (wrong tag, type, field or extra key). */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (!hasEnvelope(data)) return undefined;
  const d = data;
  switch (d.type) {
    case 'configure':
      return onlyKeys(d, ['options']) && isOptions(d.options)
        ? envelope({ type: 'configure', options: d.options })
        : undefined;
    case 'solve':
      if (!onlyKeys(d, ['id', 'question', 'mode', 'k'])) return undefined;
      if (!isId(d.id) || !isText(d.question)) return undefined;
      if (!optional(d, 'mode', isMode) || !optional(d, 'k', isK)) return undefined;
      return envelope({
        type: 'solve',
        id: d.id,
        question: d.question,
        ...(isMode(d.mode) ? { mode: d.mode } : {}),
        ...(isK(d.k) ? { k: d.k } : {}),
      });
    case 'stop':
      return onlyKeys(d, ['id']) && isId(d.id) ? envelope({ type: 'stop', id: d.id }) : undefined;
    default:
      return undefined;
  }
}

const isFraction = (v: unknown): v is number => typeof v === 'number' && v >= 0 && v <= 1;
const isCount = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 0;
const isVotes = (v: unknown): v is Record<string, number> =>
  isRecord(v) && Object.values(v).every(isCount);

/** A widget message, or undefined for anything malformed. */
export function parseWidgetMessage(data: unknown): WidgetMessage | undefined {
  if (!hasEnvelope(data)) return undefined;
  const d = data;
  switch (d.type) {
    case 'ready':
      return onlyKeys(d, ['version']) && isText(d.version, 100)
        ? envelope({ type: 'ready', version: d.version })
        : undefined;
    case 'status':
      return onlyKeys(d, ['engine', 'storage', 'availability']) &&
        (d.engine === 'webllm' || d.engine === 'openai') &&
        (d.storage === 'first-party' ||
          d.storage === 'partitioned' ||
          d.storage === 'blocked' ||
          d.storage === 'unknown') &&
        isAvailability(d.availability)
        ? envelope({
            type: 'status',
            engine: d.engine,
            storage: d.storage,
            availability: d.availability,
          })
        : undefined;
    case 'progress':
      return onlyKeys(d, ['id', 'stage', 'fraction', 'text']) &&
        (d.id === null || isId(d.id)) &&
        (d.stage === 'load' || d.stage === 'copy' || d.stage === 'solve') &&
        (d.fraction === null || isFraction(d.fraction)) &&
        isText(d.text, 1000)
        ? envelope({
            type: 'progress',
            id: d.id,
            stage: d.stage,
            fraction: d.fraction,
            text: d.text,
          })
        : undefined;
    case 'result':
      return onlyKeys(d, ['id', 'question', 'mode', 'answer', 'votes', 'agreement', 'samples']) &&
        isId(d.id) &&
        isText(d.question) &&
        isMode(d.mode) &&
        (d.answer === null || isText(d.answer, 1000)) &&
        isVotes(d.votes) &&
        isFraction(d.agreement) &&
        isCount(d.samples)
        ? envelope({
            type: 'result',
            id: d.id,
            question: d.question,
            mode: d.mode,
            answer: d.answer,
            votes: d.votes,
            agreement: d.agreement,
            samples: d.samples,
          })
        : undefined;
    case 'error':
      return onlyKeys(d, ['id', 'code', 'message']) &&
        (d.id === null || isId(d.id)) &&
        isText(d.code, 40) &&
        isText(d.message, 2000)
        ? envelope({ type: 'error', id: d.id, code: d.code, message: d.message })
        : undefined;
    case 'resize':
      return onlyKeys(d, ['height']) &&
        typeof d.height === 'number' &&
        Number.isFinite(d.height) &&
        d.height >= 0 &&
        d.height <= 100_000
        ? envelope({ type: 'resize', height: d.height })
        : undefined;
    default:
      return undefined;
  }
}
