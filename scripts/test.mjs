// `npm test`: every check the project has, in order, stopping at the first that fails.
// Finds a Chromium first (installing Debian's when it can), so the browser tiers never skip.
import { spawnSync } from 'node:child_process';
import { ensureChromium } from './chromium.mjs';

function run(command, args) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

try {
  ensureChromium();
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

run('npx', ['eslint', '.', '--max-warnings', '0']);
run('npx', ['prettier', '--check', '.']);
run('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']);
run('npx', ['vitest', 'run', '--project', 'unit']);
run('npx', ['vitest', 'run', '--project', 'browser']);
// Its own output folder, so a running `npm start` keeps serving dist/ untouched.
run('npx', ['vite', 'build', '--outDir', 'dist-test', '--emptyOutDir']);
run('node', ['scripts/check-bundle.mjs', 'dist-test']);
run('npx', ['playwright', 'test']);
