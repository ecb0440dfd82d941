import { defineConfig } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';

/**
 * A free loopback port for the built app, picked once by the main process and inherited by the
 * workers through the environment, so `npm test` never collides with `npm start` (port 4173) or
 * with another test run.
 */
function freePort(): string {
  const pick =
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})";
  return execFileSync(process.execPath, ['-e', pick], { encoding: 'utf8' });
}
process.env.TALLY_E2E_PORT ??= freePort();
const port = process.env.TALLY_E2E_PORT;

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  globalSetup: './tests/fixtures/global-setup.ts',
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: findChromium(), args: chromiumArgs },
  },
  webServer: {
    // The test build (scripts/test.mjs builds it), apart from `npm start`'s dist/.
    command: `npx vite preview --outDir dist-test --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: false,
  },
});
