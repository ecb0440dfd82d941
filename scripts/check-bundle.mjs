// Build check: each page's own (main-thread) JavaScript, the app's and the widget's, stays at most
// 100 KB gzipped at startup and 150 KB with what it loads on demand; web-llm code is only in the engine worker chunk; the host script embed.js stays
// one small classic script; Pyodide is in no page code. Run after `vite build`; exits non-zero on a breach.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a page runs before it can show itself. */
const startupLimit = 100 * 1024;
/** All a page can load, its screens and features fetched on first use included. */
const totalLimit = 150 * 1024;
/** The host script runs on other people's pages: it must stay small and self-contained. */
const hostLimit = 8 * 1024;
/** Strings only web-llm's code carries (class names it keeps, its runtime's names). */
const webllmMarkers = ['WebWorkerMLCEngineHandler', 'MLCEngine', 'tvmjs', 'TVMFFI'];
/** Strings only Pyodide's loader and runtime carry: they belong in the program worker alone. */
const pyodideMarkers = ['loadPyodide', '_createPyodideModule'];
const dir = process.argv[2] ?? 'dist';

function* files(path) {
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.name.endsWith('.js')) yield full;
  }
}

const all = [...files(dir)];
const worker = all.filter((f) => /engine\.worker/.test(f));
/** Other workers (rendering) run off the main thread: not page JavaScript, but web-llm-free. */
const otherWorkers = all.filter((f) => /\.worker-/.test(f) && !worker.includes(f));
/** The service worker and the Workbox runtime it imports run off the page. */
const serviceWorker = all.filter((f) => /(^|\/)(sw|workbox-[\w-]+)\.js$/.test(f));
/**
 * Pyodide's runtime files (pyodide/<version>/) and the program worker's folder (its entry and
 * Pyodide's loader), which only the program worker loads.
 */
const pyodide = all.filter(
  (f) => /(^|\/)pyodide\/[^/]+\/[^/]+$/.test(f) || /(^|\/)sandbox\//.test(f),
);
/** Page JavaScript: the app entry, the widget entry (embed.html), their chunks, and embed.js. */
const page = all.filter(
  (f) =>
    !worker.includes(f) &&
    !otherWorkers.includes(f) &&
    !serviceWorker.includes(f) &&
    !pyodide.includes(f),
);
const hostScript = page.find((f) => /(^|\/)embed\.js$/.test(f));

/**
 * `start` and every chunk it imports, statically (what runs before a page can show itself: the
 * startup budget) or, with `onDemand`, also through `import()` (code fetched when a screen or
 * feature is first used).
 */
function reach(start, onDemand) {
  const imports = onDemand
    ? /(?:from\s*|import\s*|import\(\s*)["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g
    : /(?:from\s*|import\s*)["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g;
  const queue = [...start];
  const seen = new Set();
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(imports)) queue.push(resolve(dirname(file), m[1] ?? ''));
  }
  return seen;
}
/** The JavaScript an HTML entry loads: its scripts, their module preloads and what they import. */
function loadedBy(html, onDemand) {
  const text = readFileSync(join(dir, html), 'utf8');
  const scripts = [
    ...text.matchAll(/<(?:script|link rel="modulepreload")[^>]*(?:src|href)="\/([^"]+\.js)"/g),
  ].map((m) => resolve(dir, m[1] ?? ''));
  return reach(scripts, onDemand);
}
const gzipped = (files) => [...files].reduce((sum, f) => sum + gzipSync(readFileSync(f)).length, 0);
const entries = { app: 'index.html', widget: 'embed.html' };
/** Chunks the workers other than web-llm's import (the program worker's share of Pyodide's loader). */
const workerChunks = reach(
  otherWorkers.map((f) => resolve(f)),
  true,
);
const startup = Object.fromEntries(
  Object.entries(entries).map(([name, html]) => [name, loadedBy(html, false)]),
);
const everything = Object.fromEntries(
  Object.entries(entries).map(([name, html]) => [name, loadedBy(html, true)]),
);
if (worker.length !== 1) {
  console.error(`✗ expected one engine worker chunk in ${dir}, found ${worker.length}`);
  process.exit(1);
}
const problems = [];
for (const file of page) {
  const text = readFileSync(file);
  const gz = gzipSync(text).length;
  const roles = Object.keys(entries).flatMap((name) =>
    startup[name].has(resolve(file))
      ? [`${name} startup`]
      : everything[name].has(resolve(file))
        ? [`${name} on demand`]
        : [],
  );
  if (file === hostScript) roles.push('host pages');
  if (roles.length === 0 && workerChunks.has(resolve(file))) roles.push("a worker's, not counted");
  if (roles.length === 0) problems.push(`${file} is loaded by no page or worker`);
  console.log(`  ${file}: ${(gz / 1024).toFixed(1)} KB gzipped (${roles.join(', ')})`);
  const found = webllmMarkers.filter((m) => text.includes(m));
  if (found.length > 0) problems.push(`${file} contains web-llm code (${found.join(', ')})`);
  const python = pyodideMarkers.filter((m) => text.includes(m));
  if (python.length > 0) problems.push(`${file} contains Pyodide code (${python.join(', ')})`);
}
if (!serviceWorker.some((f) => /(^|\/)sw\.js$/.test(f))) problems.push(`no sw.js in ${dir}`);
if (!page.some((f) => /(^|\/)embed-[\w-]+\.js$/.test(f))) problems.push('no widget entry chunk');
if (!hostScript) problems.push(`no host script (embed.js) in ${dir}`);
else {
  const text = readFileSync(hostScript, 'utf8');
  const gz = gzipSync(text).length;
  if (gz > hostLimit) problems.push(`embed.js is ${gz} bytes gzipped (limit ${hostLimit})`);
  if (/^\s*import[\s{("']|\bimport\(|^\s*export\s/m.test(text)) {
    problems.push('embed.js imports or exports: it must be one classic script');
  }
}
for (const file of [...otherWorkers, ...serviceWorker]) {
  const text = readFileSync(file);
  console.log(
    `  ${file}: ${(gzipSync(text).length / 1024).toFixed(1)} KB gzipped (off the page, not counted)`,
  );
  const found = webllmMarkers.filter((m) => text.includes(m));
  if (found.length > 0) problems.push(`${file} contains web-llm code (${found.join(', ')})`);
}
const workerText = readFileSync(worker[0]);
if (!webllmMarkers.some((m) => workerText.includes(m))) {
  problems.push(`${worker[0]} should hold web-llm but has none of its markers: the check is stale`);
}
for (const name of Object.keys(entries)) {
  const first = gzipped(startup[name]);
  const all = gzipped(everything[name]);
  console.log(
    `${name} JavaScript: ${(first / 1024).toFixed(1)} KB at startup (limit ${startupLimit / 1024} KB), ` +
      `${(all / 1024).toFixed(1)} KB with what it loads on demand (limit ${totalLimit / 1024} KB), gzipped`,
  );
  if (first > startupLimit) {
    problems.push(`the ${name}'s startup JavaScript is over the ${startupLimit / 1024} KB limit`);
  }
  if (all > totalLimit) {
    problems.push(`the ${name}'s JavaScript is over the ${totalLimit / 1024} KB limit`);
  }
}
console.log(`engine worker chunk: ${(gzipped(worker) / 1024).toFixed(0)} KB gzipped`);
for (const p of problems) console.error(`✗ ${p}`);
process.exit(problems.length > 0 ? 1 : 0);
