// `npm run bench:engine [-- --rounds N --tokens N --step-ms N]`: tokens per second through Tally's
// engine (page ↔ worker protocol) against the same replaced pipeline driven directly inside the
// same worker, while the page's thread runs 50 ms tasks back to back. Real Chromium, web-llm's
// real MLCEngine, only the GPU-bound pipeline replaced (a fixed time per token). Exits 1 on failure.
import { cpus } from 'node:os';
import { startModelServer } from '../../tests/fixtures/model-server';
import { catalog, type ModelBuild } from '../../src/lib/models/catalog';
import { median, numberFlags, runBench, startBench } from '../harness';
import type * as EnginePage from './engine-page';
import type { Run } from './engine-page';

declare global {
  interface Window {
    __engineBench?: typeof EnginePage;
  }
}

interface Options {
  rounds: number;
  tokens: number;
  stepMs: number;
}

const parse = (argv: string[]): Options =>
  numberFlags(
    argv,
    { rounds: 5, tokens: 100, stepMs: 20 },
    { '--rounds': 'rounds', '--tokens': 'tokens', '--step-ms': 'stepMs' },
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
  });
  try {
    const model = await server.model('bench-engine', { shards: 1, shardBytes: 1024 });
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
    const prompt = `count ${options.tokens} step ${options.stepMs}`;
    console.log(
      `bench:engine — ${options.tokens} tokens at ${options.stepMs} ms each (replaced pipeline), ` +
        `${options.rounds} rounds, page thread busy with 50 ms tasks, Chromium ${bench.chromium}, ` +
        `${cpus().length} cores\n`,
    );
    const results: Record<'tally' | 'direct', number[]> = { tally: [], direct: [] };
    for (let r = 0; r < options.rounds; r++) {
      const line: string[] = [];
      for (const method of ['direct', 'tally'] as const) {
        const run = await page.evaluate(
          async ({ method, prompt, tokens }) => {
            const b = window.__engineBench;
            if (!b) throw new Error('bench page not loaded');
            b.keepBusy(50, 120_000);
            try {
              return await b[method](prompt, tokens);
            } finally {
              b.stopBusy();
            }
          },
          { method, prompt, tokens: options.tokens },
        );
        if (run.tokens !== options.tokens) {
          throw new Error(`${method} streamed ${run.tokens} tokens, not ${options.tokens}`);
        }
        results[method].push(rate(run));
        line.push(`${method} ${rate(run).toFixed(1)}`);
      }
      console.log(`  round ${r + 1}: ${line.join(', ')} tokens/s`);
    }
    const direct = median(results.direct);
    const tally = median(results.tally);
    const ratio = tally / direct;
    console.log(
      `\n  direct, inside the worker (baseline)   ${direct.toFixed(1).padStart(7)} tokens/s`,
    );
    console.log(
      `  through Tally's engine, page busy      ${tally.toFixed(1).padStart(7)} tokens/s`,
    );
    console.log(
      `  ratio ${ratio.toFixed(3)} (goal ≥ 0.95: ${ratio >= 0.95 ? 'met' : 'not met'}), medians of ${options.rounds}`,
    );
  } finally {
    await bench.close();
    await server.close();
  }
}

runBench('bench:engine', main);
