// Finds the Chromium the browser tests and benchmarks drive: CHROME_PATH, Debian's, or Playwright's
// own; `ensureChromium` installs Debian's when there is none and it can, or names the fix.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/** Flags every test browser gets: WebGPU on SwiftShader, and no calls home on a closed network. */
export const chromiumArgs = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function findChromium() {
  const candidates = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(require('playwright-core').chromium.executablePath());
  } catch {
    // playwright-core missing or without a browser of its own: the other candidates remain
  }
  return candidates.find((path) => path && existsSync(path));
}

/** This machine, as `ensureChromium` sees it. */
const thisMachine = {
  find: findChromium,
  canInstall: () => process.getuid?.() === 0 && existsSync('/usr/bin/apt-get'),
  /** Runs a command with its output shown; returns whether it succeeded. */
  run: (command, args) => {
    console.log(`> ${[command, ...args].join(' ')}`);
    return spawnSync(command, args, { stdio: 'inherit' }).status === 0;
  },
};

/**
 * A Chromium binary, installing Debian's chromium package first when none is found and this runs
 * as root where apt-get is; sets CHROME_PATH to it for the processes started after. Throws an
 * Error that names the fix when there is none.
 */
export function ensureChromium(machine = thisMachine) {
  let chrome = machine.find();
  if (!chrome && machine.canInstall()) {
    console.log('No Chromium found: installing Debian’s chromium package.');
    if (
      machine.run('apt-get', ['update', '-qq']) &&
      machine.run('apt-get', ['install', '-y', '-qq', 'chromium'])
    ) {
      chrome = machine.find();
    }
  }
  if (!chrome) {
    throw new Error(
      'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or set CHROME_PATH to a Chromium or Chrome binary.',
    );
  }
  process.env.CHROME_PATH = chrome;
  return chrome;
}
