// The `npm run bench` command line, read into checked options: flags, defaults and the help text.
// A bad flag throws UsageError with a message naming it; the CLI prints it and exits 2.
import { parseArgs } from 'node:util';
import { fieldProblem, fields, stopRuleNames, type NumberField } from '../solver/fields';
import { defaultStopRule, stopRuleOf } from '../solver/stop';
import { benchFields } from './form';
import { dataSource, DataError, publishedSet, publishedSets, type DataSource } from './published';
import type { BenchSampling, ModeSpec, RunConfig, Selection } from './types';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface CliOptions {
  engine: 'openai';
  baseUrl: string;
  model: string;
  /** from --api-key or the TALLY_API_KEY environment variable */
  apiKey: string | undefined;
  /** a file, or a published set's id (`gsm8k`, `gsm-hard`, `svamp`) */
  data: string;
  /** where a published set downloads from (its environment variable, else its published home) */
  source: DataSource | undefined;
  /** where downloaded data sets are kept (TALLY_CACHE_DIR, default .tally) */
  cacheDir: string;
  selection: Selection;
  modes: ModeSpec[];
  sampling: BenchSampling;
  family: RunConfig['family'];
  /** problems in flight at once */
  concurrency: number;
  /** ms of server silence before a call fails; undefined for the engine's default */
  timeoutMs: number | undefined;
  /** the export: .json or .csv */
  out: string;
  /** where finished results are appended as they land: `out` with `.progress.jsonl` */
  progress: string;
  resume: boolean;
  force: boolean;
}

/** Process exit codes of `npm run bench`. */
export const exitCodes = {
  /** every selected problem finished in every mode */
  ok: 0,
  /** the run could not start or stopped: server unreachable, unknown model, refused key, write failed */
  failed: 1,
  /** bad flags, unreadable data, no valid problems, or saved progress that does not match */
  usage: 2,
  /** the run went through, but some problems failed (their errors are listed); --resume retries them */
  incomplete: 3,
  /** stopped by Ctrl-C (SIGINT); finished results are saved and --resume continues */
  interrupted: 130,
} as const;

export const helpText = `Benchmark a model on a server against word problems with known answers.

usage: npm run bench -- --base-url URL --model NAME --data FILE [options]

  --engine openai          the engine, and the default (web-llm runs only in the browser: use the
                           app's benchmark page)
  --base-url URL           OpenAI-compatible API, e.g. http://localhost:11434/v1 (Ollama),
                           http://localhost:8000/v1 (vLLM)
  --model NAME             the model id the server knows, e.g. qwen2-math:7b
  --api-key KEY            if the server needs one (or set TALLY_API_KEY)
  --data FILE|SET          JSON Lines: {"question", "answer": "... #### N"} (GSM8K), {"input", "target"}
                           (GSM-Hard) or {"question", "gold"}; or a JSON array of SVAMP's {"Body", "Question",
                           "Answer"}. A SET is downloaded once from where it is published, checked, and kept
                           in .tally/data/ for offline use:
${publishedHelp()}
  --limit N                problems to run, ${range(benchFields.limit)} (default: all)
  --sample first|random    the first N, or a seeded random sample of N (default first)
  --seed S                 seed of the random sample, ${range(benchFields.seed)} (default ${benchFields.seed.default})
  --modes LIST             any of single, program and ensemble, comma-separated: each runs on the
                           same problems (default single; single,ensemble with --k); program asks for
                           a Python program (greedy) and runs it in a sandbox (Pyodide, in a child process)
  --k K                    ensemble samples at most, ${range(fields.k)} (default ${fields.k.default})
  --stop RULE              the ensemble's stop rule (default ${defaultStopRule.kind}):
${Object.entries(stopRuleNames)
  .map(([name, text]) => `                             ${name}: stop ${text.toLowerCase()}`)
  .join('\n')}
  --verify                 the ensemble asks the model whether each distinct answer is right (one more
                           call per answer; off by default); adds the verifier and best-of-n rows
  --beta-threshold T       ${range(fields.betaThreshold)} (default ${fields.betaThreshold.default})
  --esc-window W           ${range(fields.escWindow)} (default ${fields.escWindow.default})
  --temperature T          ensemble sampling temperature, ${range(fields.temperature)} (default ${fields.temperature.default}); single calls are greedy
  --top-p P                ensemble nucleus mass, ${range(fields.topP)} (default ${fields.topP.default})
  --max-tokens N           tokens per call at most, ${range(fields.maxTokens)} (default ${fields.maxTokens.default})
  --family F               prompt family: qwen-math, deepseek-r1 or generic (default qwen-math)
  --concurrency C          problems in flight at once, ${range(fields.concurrency)} (default ${fields.concurrency.default})
  --timeout-ms MS          server silence before a call fails (default 60000)
  --out FILE               results export, .json or .csv (default bench-results.json); finished
                           results are also appended to FILE's name with .progress.jsonl
  --resume                 continue the saved run in the .progress.jsonl file, skipping finished problems
  --force                  start over, discarding saved progress
  -h, --help               this text

environment: TALLY_API_KEY (--api-key), ${publishedSets.map((set) => set.env).join(', ')} (where
             each SET downloads from: a mirror, or another file as URL#sha256=HEX&records=N),
             TALLY_CACHE_DIR (default .tally)

exit codes: 0 all done; 1 the run failed (server, model, key, disk); 2 bad usage or data;
            3 some problems failed (--resume retries them); 130 interrupted (--resume continues)`;

/** One paragraph per published set for --help: its name, source, licence and what is checked. */
function publishedHelp(): string {
  const pad = ' '.repeat(29);
  return publishedSets
    .map(({ id, about, homeName, licence, source }) => {
      const check =
        source.sha256 === null
          ? `its ${source.records} records and their shape (no digest is pinned)`
          : `its ${source.records} records and sha256`;
      return [
        `${pad}${id}: ${about}`,
        `${pad}  from ${homeName}, ${licence.name} (${licence.url})`,
        `${pad}  checks ${check}`,
      ].join('\n');
    })
    .join('\n');
}

/** ms of server silence before a call fails */
const timeout: NumberField = {
  label: 'Timeout',
  min: 1,
  max: 3_600_000,
  whole: true,
  default: 60_000,
  step: 1,
};

function range(field: NumberField): string {
  return field.exclusive ? `${field.min} < x < ${field.max}` : `${field.min}..${field.max}`;
}

/** The number a flag gives, checked against its field (the same ranges as the app's). */
function numberFlag(name: string, text: string, field: NumberField): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const problem = fieldProblem(field, value, `--${name}`);
  if (problem) throw new UsageError(problem.replace(/, (not .*|empty)\.$/, `, not "${text}".`));
  return value;
}

/** `results.json` -> `results.progress.jsonl`; `out` without an extension gets the suffix added. */
export function progressPath(out: string): string {
  const base = out.replace(/\.(json|csv)$/i, '');
  return `${base}.progress.jsonl`;
}

/** Reads argv (without node and the script) and the environment; 'help' when -h or --help. */
export function parseCliOptions(
  argv: string[],
  env: Record<string, string | undefined> = {},
): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        engine: { type: 'string' },
        'base-url': { type: 'string' },
        model: { type: 'string' },
        'api-key': { type: 'string' },
        data: { type: 'string' },
        limit: { type: 'string' },
        sample: { type: 'string', default: 'first' },
        seed: { type: 'string', default: '1' },
        modes: { type: 'string' },
        k: { type: 'string' },
        stop: { type: 'string', default: defaultStopRule.kind },
        'beta-threshold': { type: 'string', default: String(fields.betaThreshold.default) },
        'esc-window': { type: 'string', default: String(fields.escWindow.default) },
        temperature: { type: 'string', default: String(fields.temperature.default) },
        'top-p': { type: 'string', default: String(fields.topP.default) },
        'max-tokens': { type: 'string', default: String(fields.maxTokens.default) },
        family: { type: 'string', default: 'qwen-math' },
        concurrency: { type: 'string', default: String(fields.concurrency.default) },
        'timeout-ms': { type: 'string' },
        out: { type: 'string', default: 'bench-results.json' },
        verify: { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help) return 'help';
  const out = v.out;
  if (v.engine !== undefined && v.engine !== 'openai') {
    throw new UsageError(
      v.engine === 'webllm'
        ? 'The web-llm engine runs only in a browser with WebGPU: use the benchmark page of the app (#bench). From Node, use --engine openai.'
        : `Unknown engine "${v.engine}": the CLI supports --engine openai.`,
    );
  }
  const required = (name: 'base-url' | 'model' | 'data', example: string): string => {
    const value = v[name]?.trim();
    if (!value) throw new UsageError(`--${name} is required, e.g. --${name} ${example}.`);
    return value;
  };
  const baseUrl = required('base-url', 'http://localhost:11434/v1');
  const model = required('model', 'qwen2-math:7b');
  const data = required('data', 'gsm8k');
  const published = publishedSet(data);
  let source: DataSource | undefined;
  try {
    source = published && dataSource(env[published.env], published.source);
  } catch (error) {
    if (error instanceof DataError) throw new UsageError(`${published?.env}: ${error.message}`);
    throw error;
  }
  if (v.sample !== 'first' && v.sample !== 'random') {
    throw new UsageError(`--sample must be first or random, not "${v.sample}".`);
  }
  const selection: Selection = {
    sample: v.sample,
    // all of them; the CLI lowers it to the number of valid problems once the data is read
    limit:
      v.limit === undefined
        ? Number.MAX_SAFE_INTEGER
        : numberFlag('limit', v.limit, benchFields.limit),
    seed: numberFlag('seed', v.seed, benchFields.seed),
  };
  const names = (v.modes ?? (v.k === undefined ? 'single' : 'single,ensemble'))
    .split(',')
    .map((name) => name.trim());
  const kinds = ['single', 'program', 'ensemble'] as const;
  const isKind = (name: string): name is (typeof kinds)[number] =>
    (kinds as readonly string[]).includes(name);
  if (!names.every(isKind)) {
    throw new UsageError(
      `--modes must list single, program and/or ensemble, not "${v.modes ?? ''}".`,
    );
  }
  const k = numberFlag('k', v.k ?? String(fields.k.default), fields.k);
  const kind = v.stop;
  if (kind !== 'beta' && kind !== 'esc' && kind !== 'fixed') {
    throw new UsageError(`--stop must be beta, esc or fixed, not "${kind}".`);
  }
  const rule = stopRuleOf(
    kind,
    kind === 'beta' ? numberFlag('beta-threshold', v['beta-threshold'], fields.betaThreshold) : 0,
    kind === 'esc' ? numberFlag('esc-window', v['esc-window'], fields.escWindow) : 0,
  );
  const modes: ModeSpec[] = [...new Set(names)].map((kind) =>
    kind === 'ensemble'
      ? { kind, k, rule, ...(v.verify ? { verify: true as const } : {}) }
      : { kind },
  );
  const family = v.family;
  if (family !== 'qwen-math' && family !== 'deepseek-r1' && family !== 'generic') {
    throw new UsageError(`--family must be qwen-math, deepseek-r1 or generic, not "${family}".`);
  }
  if (!/\.(json|csv)$/i.test(out)) {
    throw new UsageError(`--out must end in .json or .csv, not "${out}".`);
  }
  if (v.resume && v.force)
    throw new UsageError('--resume and --force contradict each other: pick one.');
  return {
    engine: 'openai',
    apiKey: v['api-key'] ?? env.TALLY_API_KEY,
    out,
    progress: progressPath(out),
    resume: v.resume,
    force: v.force,
    baseUrl,
    model,
    data,
    source,
    cacheDir: env.TALLY_CACHE_DIR?.trim() || '.tally',
    selection,
    modes,
    sampling: {
      temperature: numberFlag('temperature', v.temperature, fields.temperature),
      top_p: numberFlag('top-p', v['top-p'], fields.topP),
      max_tokens: numberFlag('max-tokens', v['max-tokens'], fields.maxTokens),
    },
    family,
    concurrency: numberFlag('concurrency', v.concurrency, fields.concurrency),
    timeoutMs:
      v['timeout-ms'] === undefined
        ? undefined
        : numberFlag('timeout-ms', v['timeout-ms'], timeout),
  };
}
