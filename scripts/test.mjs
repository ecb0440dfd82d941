// `npm test`: every check the project has, in order, stopping at the first that fails.
// Finds a Chromium first (installing Debian's when it can), so the browser tiers never skip.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findChromium } from './chromium.mjs';

function run(command, args) {
  console.log(`\n> ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: process.env });
  if (result.status !== 0) {
    console.error(`\n✗ ${command} ${args.join(' ')} failed`);
    process.exit(result.status ?? 1);
  }
}

let chrome = findChromium();
if (!chrome && process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
  console.log('No Chromium found: installing Debian’s chromium package.');
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', 'chromium']);
  chrome = findChromium();
}
if (!chrome) {
  console.error(
    'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
      'or set CHROME_PATH to a Chromium or Chrome binary.',
  );
  process.exit(1);
}
process.env.CHROME_PATH = chrome;

run('npx', ['eslint', '.', '--max-warnings', '0']);
run('npx', ['prettier', '--check', '.']);
run('npx', ['svelte-check', '--tsconfig', './tsconfig.json', '--fail-on-warnings']);
run('npx', ['vitest', 'run', '--project', 'unit']);
run('npx', ['vitest', 'run', '--project', 'browser']);
// Its own output folder, so a running `npm start` keeps serving dist/ untouched.
run('npx', ['vite', 'build', '--outDir', 'dist-test', '--emptyOutDir']);
run('node', ['scripts/check-bundle.mjs', 'dist-test']);
run('npx', ['playwright', 'test']);
