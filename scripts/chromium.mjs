// Finds the Chromium the browser tests drive: CHROME_PATH, Debian's, or Playwright's own.
// Returns undefined when there is none; scripts/test.mjs then installs Debian's or names the fix.
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
