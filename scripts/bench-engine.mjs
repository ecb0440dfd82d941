// `npm run bench:engine [-- --rounds N --tokens N --step-ms N]`: runs the engine benchmark
// (bench/engine/engine-bench.ts) under tsx; exits with its status. Needs Chromium (scripts/chromium.mjs).
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['tsx', 'bench/engine/engine-bench.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(result.status ?? 1);
