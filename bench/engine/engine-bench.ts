// `npm run bench:engine [-- --rounds N --tokens N --step-ms N --vocab N]`: tokens per second
// through Tally's engine (page ↔ worker protocol) against the same engine driven directly inside
// the same worker, while the page's thread runs 50 ms tasks back to back; each without and with
// log-probabilities (web-llm's LLMChatPipeline then copies a whole vocabulary's probabilities to
// the CPU and scans them there per token). Real Chromium, web-llm's real MLCEngine and
// LLMChatPipeline on the stand-in GPU (tests/fixtures/tvm-stand-in.ts: a fixed GPU time per token,
// the kernels in JavaScript within it). Both ways sample as the ensemble does (T 0.7, top_p 0.95),
// and the scripted model leaves about 2% of the probability to the tokens it does not name (logit
// −11 each over 152k), so web-llm's getTopProbs scans nearly the whole vocabulary, as it does for
// a real model's tail. Exits 1 on failure.
import { cpus } from 'node:os';
import { startModelServer } from '../../tests/fixtures/model-server';
import { catalog, type ModelBuild } from '../../src/lib/models/catalog';
import { webllmInternals } from '../../tests/fixtures/webllm-internals';
import { median, numberFlags, runBench, startBench } from '../harness';
import type * as EnginePage from './engine-page';
import type { Run } from './engine-page';
import { counted } from '../../src/lib/format';

declare global {
  interface Window {
    __engineBench?: typeof EnginePage;
  }
}

interface Options {
  rounds: number;
  tokens: number;
  stepMs: number;
  /** tokens in the vocabulary (Qwen2-7B's 152,064 by default) */
  vocab: number;
}

const parse = (argv: string[]): Options =>
  numberFlags(
    argv,
    { rounds: 5, tokens: 100, stepMs: 20, vocab: 152_064 },
    { '--rounds': 'rounds', '--tokens': 'tokens', '--step-ms': 'stepMs', '--vocab': 'vocab' },
  );

const rate = (run: Run) => run.tokens / (run.ms / 1000);

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const server = await startModelServer({ host: '127.0.0.1' });
  const bench = await startBench({
    name: 'engine',
    pages: [
      { name: 'engine-bench', module: '/bench/engine/engine-page.ts', global: '__engineBench' },
    ],
    vite: { plugins: [webllmInternals()] },
  });
  try {
    const model = await server.model(`bench-engine-vocab-${options.vocab}`, {
      shards: 1,
      shardBytes: 1024,
      vocabSize: options.vocab,
    });
    const lite = catalog[1]?.builds[1];
    if (!lite) throw new Error('catalog changed: the lite q4f32_1 build is gone');
    const build: ModelBuild = {
      ...lite,
      model_id: model.id,
      model: model.modelUrl,
      model_lib: model.libUrl,
    };
    const page = await bench.openBenchPage('engine-bench');
    await page.evaluate(async (b) => {
      await window.__engineBench?.setup(b);
    }, build);
    const prompt = `count ${options.tokens} step ${options.stepMs} rest -11`;
    console.log(
      `bench:engine — ${options.tokens} tokens at ${options.stepMs} ms each (stand-in GPU), ` +
        `${counted(options.rounds, 'round')}, page thread busy with 50 ms tasks, sampled as the ensemble ` +
        `samples, log-probabilities over ${options.vocab} tokens (the unscripted ones at logit ` +
        `−11) when asked, Chromium ${bench.chromium}, ` +
        `${cpus().length} cores\n`,
    );
    const ways = [
      ['direct', false],
      ['tally', false],
      ['direct', true],
      ['tally', true],
    ] as const;
    const results = new Map<string, number[]>(ways.map(([m, l]) => [`${m} ${l}`, []]));
    const name = (method: string, logprobs: boolean) => `${method}${logprobs ? ' +logprobs' : ''}`;
    for (let r = 0; r < options.rounds; r++) {
      const line: string[] = [];
      for (const [method, logprobs] of ways) {
        const run = await page.evaluate(
          async ({ method, prompt, tokens, logprobs }) => {
            const b = window.__engineBench;
            if (!b) throw new Error('bench page not loaded');
            b.keepBusy(50, 120_000);
            try {
              return await b[method](prompt, tokens, logprobs);
            } finally {
              b.stopBusy();
            }
          },
          { method, prompt, tokens: options.tokens, logprobs },
        );
        if (run.tokens !== options.tokens) {
          throw new Error(`${method} streamed ${run.tokens} tokens, not ${options.tokens}`);
        }
        results.get(`${method} ${logprobs}`)?.push(rate(run));
        line.push(`${name(method, logprobs)} ${rate(run).toFixed(1)}`);
      }
      console.log(`  round ${r + 1}: ${line.join(', ')} tokens/s`);
    }
    const med = (method: string, logprobs: boolean) =>
      median(results.get(`${method} ${logprobs}`) ?? []);
    const row = (label: string, value: number) => {
      console.log(`  ${label.padEnd(50)} ${value.toFixed(1).padStart(7)} tokens/s`);
    };
    console.log('');
    row('direct, inside the worker (baseline)', med('direct', false));
    row("through Tally's engine, page busy", med('tally', false));
    row('direct, with log-probabilities', med('direct', true));
    row("through Tally's engine, with log-probabilities", med('tally', true));
    const ratio = med('tally', false) / med('direct', false);
    const ratioLogprobs = med('tally', true) / med('direct', true);
    console.log(
      `\n  through Tally / direct: ${ratio.toFixed(3)} without log-probabilities, ` +
        `${ratioLogprobs.toFixed(3)} with (goal ≥ 0.95: ` +
        `${Math.min(ratio, ratioLogprobs) >= 0.95 ? 'met' : 'not met'}), medians of ${options.rounds}`,
    );
    console.log(
      `  decode with / without log-probabilities: ` +
        `${(med('direct', true) / med('direct', false)).toFixed(3)} direct, ` +
        `${(med('tally', true) / med('tally', false)).toFixed(3)} through Tally`,
    );
  } finally {
    await bench.close();
    await server.close();
  }
}

runBench('bench:engine', main);
