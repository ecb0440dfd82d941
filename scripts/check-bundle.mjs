// Build check: the page's own (main-thread) JavaScript stays at most 100 KB gzipped, and web-llm
// code is only in the engine worker chunk. Run after `vite build`; exits non-zero on a breach.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const limit = 100 * 1024;
/** Strings only web-llm's code carries (class names it keeps, its runtime's names). */
const webllmMarkers = ['WebWorkerMLCEngineHandler', 'MLCEngine', 'tvmjs', 'TVMFFI'];
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
const page = all.filter(
  (f) =>
    !worker.includes(f) && !otherWorkers.includes(f) && !/(^|\/)(sw|workbox-[\w-]+)\.js$/.test(f),
);
if (worker.length !== 1) {
  console.error(`✗ expected one engine worker chunk in ${dir}, found ${worker.length}`);
  process.exit(1);
}
let total = 0;
const problems = [];
for (const file of page) {
  const text = readFileSync(file);
  const gz = gzipSync(text).length;
  total += gz;
  console.log(`  ${file}: ${(gz / 1024).toFixed(1)} KB gzipped`);
  const found = webllmMarkers.filter((m) => text.includes(m));
  if (found.length > 0) problems.push(`${file} contains web-llm code (${found.join(', ')})`);
}
for (const file of otherWorkers) {
  const text = readFileSync(file);
  console.log(
    `  ${file}: ${(gzipSync(text).length / 1024).toFixed(1)} KB gzipped (worker, not counted)`,
  );
  const found = webllmMarkers.filter((m) => text.includes(m));
  if (found.length > 0) problems.push(`${file} contains web-llm code (${found.join(', ')})`);
}
const workerText = readFileSync(worker[0]);
if (!webllmMarkers.some((m) => workerText.includes(m))) {
  problems.push(`${worker[0]} should hold web-llm but has none of its markers: the check is stale`);
}
console.log(
  `page JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (limit ${limit / 1024} KB); ` +
    `worker chunk ${(gzipSync(workerText).length / 1024).toFixed(0)} KB gzipped`,
);
if (total > limit) problems.push(`page JavaScript is over the ${limit / 1024} KB limit`);
for (const p of problems) console.error(`✗ ${p}`);
process.exit(problems.length > 0 ? 1 : 0);
