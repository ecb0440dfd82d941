// What every browser benchmark under bench/ starts with: Vite serving the app (its dev server with
// bench pages, or a production build under `vite preview`), headless Chromium (one persistent
// profile, or a fresh context per page), figures read as medians, and numeric flags. A driver calls
// `startBench`, measures, and `close()`s; `runBench` reports a failure and exits 1.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Page,
  type BrowserContextOptions,
} from 'playwright';
import { build, createServer, preview, type InlineConfig, type Plugin } from 'vite';
import { chromiumArgs, ensureChromium } from '../scripts/chromium.mjs';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** A port on loopback that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createNetServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        resolve(typeof address === 'object' && address ? address.port : 0);
      });
    });
  });
}

/**
 * Reads `--name N` flags (whole numbers ≥ 1) into a copy of `defaults`; `names` maps each flag to
 * its key. Throws on an unknown flag or a bad value, naming the flags there are.
 */
export function numberFlags<T extends Record<string, number>>(
  argv: string[],
  defaults: T,
  names: Record<string, keyof T>,
): T {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] ?? '';
    const key = names[flag];
    if (key === undefined) {
      throw new Error(`unknown flag ${flag}; use ${Object.keys(names).join(', ')}`);
    }
    const value = Number(argv[i + 1]);
    if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${flag} needs a number ≥ 1`);
    options[key] = value as T[keyof T];
  }
  return options;
}

/**
 * A page of the dev server at `/__<name>.html` that imports `module` (a path from the repository's
 * root) and sets it as `window[global]`, then titles itself "ready".
 */
export interface BenchPage {
  name: string;
  module: string;
  global: string;
}

function benchPages(pages: BenchPage[]): Plugin {
  return {
    name: 'tally-bench-pages',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const page = pages.find((p) => req.url === `/__${p.name}.html`);
        if (!page) {
          next();
          return;
        }
        res.setHeader('Content-Type', 'text/html');
        res.end(
          '<!doctype html><title>loading</title><script type="module">' +
            `import * as bench from ${JSON.stringify(page.module)};` +
            `window[${JSON.stringify(page.global)}] = bench; document.title = 'ready';</script>`,
        );
      });
    },
  };
}

export interface BenchOptions {
  /** names the temporary folders (tally-bench-<name>-…) */
  name: string;
  /**
   * `dev`: Vite's dev server over the repository (default); `build`: the app built into a temporary
   * folder and served by `vite preview`, as `npm start` serves it.
   */
  app?: 'dev' | 'build';
  /** dev only: the bench pages to serve */
  pages?: BenchPage[];
  /** dev only: use the project's vite.config.ts (its plugins and Pyodide assets), not a bare one */
  projectConfig?: boolean;
  /** dev only: more Vite settings, merged over the bare or project config */
  vite?: InlineConfig;
  /**
   * `persistent` (default): one Chromium profile on disk for the whole run (quota from the disk, as
   * for real visitors; caches carry over); `fresh`: every `newPage` in a new context with service
   * workers blocked, nothing carried over.
   */
  profile?: 'persistent' | 'fresh';
}

export interface Bench {
  /** where the app is served, without a trailing slash */
  origin: string;
  /** Chromium's version, for the figures' header */
  chromium: string;
  /** A new page (in a new context when the profile is fresh; closing the page closes it). */
  newPage(): Promise<Page>;
  /** Opens bench page `name` and waits until its module is loaded. */
  openBenchPage(name: string, timeoutMs?: number): Promise<Page>;
  close(): Promise<void>;
}

/** Starts Vite and Chromium as `options` say. Everything started is stopped by `close()`. */
export async function startBench(options: BenchOptions): Promise<Bench> {
  // first, so a machine without one hears so (or gets one) before anything is built
  const executablePath = ensureChromium();
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  try {
    const app = await serveApp(options);
    cleanups.push(() => app.close());
    const { origin } = app;
    const launch = { executablePath, args: chromiumArgs, headless: true };
    let newPage: () => Promise<Page>;
    let version: string;
    if ((options.profile ?? 'persistent') === 'persistent') {
      const profile = mkdtempSync(join(tmpdir(), `tally-bench-${options.name}-profile-`));
      cleanups.push(() => {
        rmSync(profile, { recursive: true, force: true });
      });
      const context: BrowserContext = await chromium.launchPersistentContext(profile, launch);
      cleanups.push(() => context.close());
      newPage = () => context.newPage();
      version = context.browser()?.version() ?? (await userAgentVersion(context));
    } else {
      const browser: Browser = await chromium.launch(launch);
      cleanups.push(() => browser.close());
      const fresh: BrowserContextOptions = { serviceWorkers: 'block' };
      newPage = () => browser.newPage(fresh);
      version = browser.version();
    }
    return {
      origin,
      chromium: version,
      newPage,
      async openBenchPage(name, timeoutMs = 120_000) {
        const page = await newPage();
        page.on('pageerror', (error) => {
          console.error('page error:', error.message);
        });
        await page.goto(`${origin}/__${name}.html`);
        await page.waitForFunction(() => document.title === 'ready', undefined, {
          timeout: timeoutMs,
        });
        return page;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function userAgentVersion(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  try {
    return await page.evaluate(
      () => /Chrom(?:e|ium)\/([\d.]+)/.exec(navigator.userAgent)?.[1] ?? navigator.userAgent,
    );
  } finally {
    await page.close();
  }
}

export interface Served {
  /** without a trailing slash */
  origin: string;
  close(): Promise<void>;
}

/**
 * The app built into a temporary folder and served by `vite preview` on a free loopback port, as
 * `npm start` serves it (so `npm start` can keep running). `close()` stops it and removes the build.
 */
export async function serveBuiltApp(name: string): Promise<Served> {
  const outDir = mkdtempSync(join(tmpdir(), `tally-bench-${name}-app-`));
  const removeBuild = () => {
    rmSync(outDir, { recursive: true, force: true });
  };
  try {
    await build({ logLevel: 'error', build: { outDir, emptyOutDir: true } });
    const server = await preview({
      logLevel: 'error',
      build: { outDir },
      preview: { host: '127.0.0.1', port: await freePort(), strictPort: true },
    });
    const origin = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
    const close = async () => {
      await server.close();
      removeBuild();
    };
    if (!origin) {
      await close();
      throw new Error('vite preview did not start');
    }
    return { origin, close };
  } catch (error) {
    removeBuild();
    throw error;
  }
}

async function serveApp(options: BenchOptions): Promise<Served> {
  if (options.app === 'build') return serveBuiltApp(options.name);
  const vite = await createServer({
    configFile: options.projectConfig
      ? new URL('../vite.config.ts', import.meta.url).pathname
      : false,
    root: process.cwd(),
    logLevel: 'error',
    worker: { format: 'es' },
    ...options.vite,
    server: { host: '127.0.0.1', port: 0 },
    plugins: [benchPages(options.pages ?? []), ...(options.vite?.plugins ?? [])],
  });
  await vite.listen();
  const origin = vite.resolvedUrls?.local[0]?.replace(/\/$/, '');
  if (!origin) {
    await vite.close();
    throw new Error('vite did not start');
  }
  return { origin, close: () => vite.close() };
}

/** Runs a driver's `main`; on failure prints `<name> failed: …` and exits 1. */
export function runBench(name: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(`${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}

/** Connects the Solve page to an OpenAI-compatible server, as a person does, and waits for Ready. */
export async function connectToServer(page: Page, baseUrl: string, model: string): Promise<void> {
  await page.getByLabel('On a server').check();
  await page.getByLabel('Server URL').fill(baseUrl);
  await page.getByLabel('Model name').fill(model);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('engine-ready').waitFor();
}
