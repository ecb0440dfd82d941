// `npm run bench:store [-- --rounds N --shards N --shard-mib N]`: runs the model store benchmark
// (bench/store/store-bench.ts) under tsx; exits with its status. Needs Chromium (scripts/chromium.mjs).
import { spawnSync } from 'node:child_process';

const result = spawnSync('npx', ['tsx', 'bench/store/store-bench.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: process.env,
});
process.exit(result.status ?? 1);
