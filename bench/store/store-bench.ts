// `npm run bench:store`: download speed of raw fetch, web-llm's loader (re-created) and Tally's
// store against one fixture server in real Chromium, plus read-back and a parallelism sweep. Exits 1 on failure.
import { cpus } from 'node:os';
import type { Page } from 'playwright';
import { startModelServer } from '../../tests/fixtures/model-server';
import { median, numberFlags, runBench, startBench } from '../harness';
import type * as StorePage from './store-page';
import type { BenchModel, Timing } from './store-page';
import { counted } from '../../src/lib/format';

declare global {
  interface Window {
    __storeBench?: typeof StorePage;
  }
}

interface Options {
  rounds: number;
  shards: number;
  /** bytes */
  shardBytes: number;
}

function parse(argv: string[]): Options {
  const { shardMib, ...rest } = numberFlags(
    argv,
    { rounds: 3, shards: 32, shardMib: 32 },
    { '--rounds': 'rounds', '--shards': 'shards', '--shard-mib': 'shardMib' },
  );
  return { ...rest, shardBytes: shardMib * 1024 * 1024 };
}

/** MB/s, MB = 10^6 bytes */
const rate = (t: Timing) => t.bytes / 1e6 / (t.ms / 1000);

type Method = 'raw' | 'webllm' | 'tally' | 'tallySizes' | 'readBack' | 'ceiling';

async function run(
  page: Page,
  model: BenchModel,
  method: Method,
  parallelism?: number,
): Promise<Timing> {
  return page.evaluate(
    async ({ model, method, parallelism }) => {
      const b = window.__storeBench;
      if (!b) throw new Error('bench page not loaded');
      if (method !== 'readBack') await b.clear();
      switch (method) {
        case 'raw':
          return b.rawFetch(model, parallelism ?? 4);
        case 'webllm':
          return b.webllmLoader(model);
        case 'tally':
          return b.tallyStore(model, parallelism ? { parallelism } : {});
        case 'tallySizes':
          return b.tallyStore(model, { digests: false, ...(parallelism ? { parallelism } : {}) });
        case 'readBack':
          return b.readBack(model);
        case 'ceiling':
          return b.idbCeiling(model);
      }
    },
    { model, method, ...(parallelism ? { parallelism } : {}) },
  );
}

/** Runs `methods` round-robin for `rounds` rounds; returns MB/s per method. */
async function compare(
  page: Page,
  model: BenchModel,
  methods: Method[],
  rounds: number,
  before?: () => void,
): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    const line: string[] = [];
    for (const method of methods) {
      before?.();
      const mbps = rate(await run(page, model, method));
      (out[method] ??= []).push(mbps);
      line.push(`${method} ${mbps.toFixed(0)}`);
    }
    console.log(`  round ${r + 1}: ${line.join(', ')} MB/s`);
  }
  return out;
}

const labels: Record<Method, string> = {
  raw: '(a) raw fetch, 4 streams, bytes discarded',
  webllm: '(b) web-llm 0.2.86 loader (re-created), IndexedDB',
  tally: '(c) Tally store, 4 streams, sizes + sha256 checked',
  tallySizes: "(c') Tally store, 4 streams, sizes checked only",
  readBack: 'read back, as web-llm loads (one shard at a time)',
  ceiling: '(d) IndexedDB puts of random bytes, no network',
};

/**
 * The issue's goal for a section: Tally's store (c) at least 0.9 of raw fetch (a) and at least
 * web-llm's loader (b).
 */
function verdict(med: (m: Method) => number): string {
  const ca = med('tally') / med('raw');
  const cb = med('tally') / med('webllm');
  const met = ca >= 0.9 && cb >= 1;
  return `goal c/a >= 0.90 and c/b >= 1.00: ${met ? 'met' : 'not met'} (c/a = ${ca.toFixed(2)}, c/b = ${cb.toFixed(2)})`;
}

function table(results: Record<string, number[]>): (m: Method) => number {
  const med = (m: Method) => median(results[m] ?? []);
  for (const m of Object.keys(labels) as Method[]) {
    if (results[m]) console.log(`  ${labels[m].padEnd(52)} ${med(m).toFixed(0).padStart(6)}`);
  }
  return med;
}

async function main(): Promise<void> {
  const options = parse(process.argv.slice(2));
  const started = performance.now();
  const server = await startModelServer({ host: '127.0.0.1' });
  const bench = await startBench({
    name: 'store',
    pages: [{ name: 'store-bench', module: '/bench/store/store-page.ts', global: '__storeBench' }],
    vite: { optimizeDeps: { noDiscovery: true, include: [] } },
  });
  try {
    const model = (await server.model('bench-store', {
      shards: options.shards,
      shardBytes: options.shardBytes,
    })) as BenchModel;
    const page = await bench.openBenchPage('store-bench', 60_000);
    const total = model.shards.reduce((sum, s) => sum + s.size, 0);
    console.log(
      `bench:store — fixture model ${(total / 1e9).toFixed(2)} GB of weights ` +
        `(${model.shards.length} shards × ${options.shardBytes / 1024 / 1024} MiB), ` +
        `${counted(options.rounds, 'round')}, Chromium ${bench.chromium}, ${cpus().length} cores\n`,
    );

    /** Holds every connection to each shard of `model` to `mbps` MB/s (0: no limit). */
    const limit = (mbps: number) => () => {
      server.clearFaults();
      if (mbps === 0) return;
      for (const s of model.shards) {
        server.fault(model.id, {
          kind: 'throttle',
          file: s.name,
          bytesPerSecond: mbps * 1e6,
          times: 0,
        });
      }
    };

    // Warm up once (server content, browser code paths), untimed.
    await run(page, model, 'raw');
    console.log(
      '1. loopback: the link is faster than this machine can store, so no store keeps up',
    );
    const loop = await compare(
      page,
      model,
      ['raw', 'webllm', 'tally', 'readBack', 'tallySizes'],
      options.rounds,
    );
    loop.ceiling = [rate(await run(page, model, 'ceiling'))];
    console.log('median MB/s (MB = 10^6 bytes)');
    const m = table(loop);
    console.log(
      `ratios: c'/a = ${(m('tallySizes') / m('raw')).toFixed(2)}, c'/b = ${(m('tallySizes') / m('webllm')).toFixed(2)}, ` +
        `c/d = ${(m('tally') / m('ceiling')).toFixed(2)}, d/a = ${(m('ceiling') / m('raw')).toFixed(2)}`,
    );
    console.log(verdict(m));
    if (m('ceiling') < 0.9 * m('raw')) {
      console.log(
        `  (IndexedDB alone, with no network, stores ${(m('ceiling') / m('raw')).toFixed(2)} of raw fetch here: ` +
          'no store that writes to IndexedDB can reach 0.90 on this link)',
      );
    }

    // Links the network limits: 4 connections held to a rate each, as CDNs and busy servers do.
    const links = [12.5, 25];
    for (const [i, perConnection] of links.entries()) {
      console.log(
        `\n${i + 2}. ${perConnection} MB/s per connection: a ${(4 * perConnection * 8) / 1000} Gbit/s link over 4 connections`,
      );
      const link = await compare(
        page,
        model,
        ['raw', 'webllm', 'tally'],
        options.rounds,
        limit(perConnection),
      );
      console.log('median MB/s');
      const l = table(link);
      console.log(verdict(l));
    }

    console.log(`\n${links.length + 2}. Tally store (sha256) by parallelism, one run each, MB/s`);
    for (const perConnection of [0, 25]) {
      const line: string[] = [];
      for (const p of [2, 4, 8]) {
        limit(perConnection)();
        line.push(`p=${p} ${rate(await run(page, model, 'tally', p)).toFixed(0)}`);
      }
      console.log(
        `  ${perConnection ? `${perConnection} MB/s per connection` : 'loopback'}: ${line.join(', ')}`,
      );
    }
    server.clearFaults();
    await page.evaluate(() => window.__storeBench?.clear());
    console.log(`\ntook ${((performance.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    await bench.close();
    await server.close();
  }
}

runBench('bench:store', main);
