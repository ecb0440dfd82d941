// `npm run bench:engine [-- --rounds N --tokens N --step-ms N]`: tokens per second through Tally's
// engine (page ↔ worker protocol) against the same replaced pipeline driven directly inside the
// same worker, while the page's thread runs 50 ms tasks back to back. Real Chromium, web-llm's
// real MLCEngine, only the GPU-bound pipeline replaced (a fixed time per token). Exits 1 on failure.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { createServer, type Plugin } from 'vite';
import { chromiumArgs, findChromium } from '../../scripts/chromium.mjs';
import { startModelServer } from '../../tests/fixtures/model-server';
import { catalog, type ModelBuild } from '../../src/lib/models/catalog';
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

function parse(argv: string[]): Options {
  const options: Options = { rounds: 5, tokens: 100, stepMs: 20 };
  const flags: Record<string, keyof Options> = {
    '--rounds': 'rounds',
    '--tokens': 'tokens',
    '--step-ms': 'stepMs',
  };
  for (let i = 0; i < argv.length; i++) {
    const key = flags[argv[i] ?? ''];
    if (!key) throw new Error(`unknown option ${argv[i]}; use --rounds, --tokens, --step-ms`);
    const value = Number(argv[i + 1]);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${argv[i]} needs a number`);
    options[key] = value;
    i++;
  }
  return options;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const rate = (run: Run) => run.tokens / (run.ms / 1000);

const benchPage: Plugin = {
  name: 'tally-engine-bench-page',
  configureServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url !== '/__engine-bench.html') {
        next();
        return;
      }
      res.setHeader('Content-Type', 'text/html');
      res.end(
        '<!doctype html><title>loading</title><script type="module">' +
          "import * as bench from '/bench/engine/engine-page.ts';" +
          "window.__engineBench = bench; document.title = 'ready';</script>",
      );
    });
  },
};

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const server = await startModelServer({ host: '127.0.0.1' });
  const vite = await createServer({
    configFile: false,
    root: process.cwd(),
    logLevel: 'error',
    server: { host: '127.0.0.1', port: 0 },
    worker: { format: 'es' },
    plugins: [benchPage],
  });
  await vite.listen();
  const viteOrigin = vite.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!viteOrigin) throw new Error('vite did not start');
  const profile = mkdtempSync(join(tmpdir(), 'tally-bench-engine-'));
  const executablePath = findChromium();
  const context = await chromium.launchPersistentContext(profile, {
    ...(executablePath ? { executablePath } : {}),
    args: chromiumArgs,
    headless: true,
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
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      console.error('page error:', error.message);
    });
    await page.goto(`${viteOrigin}/__engine-bench.html`);
    await page.waitForFunction(() => document.title === 'ready', undefined, { timeout: 120_000 });
    await page.evaluate(async (b) => {
      await window.__engineBench?.setup(b);
    }, build);
    const version = await page.evaluate(
      () => /Chrom(?:e|ium)\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent,
    );
    const prompt = `count ${options.tokens} step ${options.stepMs}`;
    console.log(
      `bench:engine — ${options.tokens} tokens at ${options.stepMs} ms each (replaced pipeline), ` +
        `${options.rounds} rounds, page thread busy with 50 ms tasks, Chromium ${version}, ` +
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
    await context.close();
    await vite.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
