// The browser half of `npm run bench:program`: bench/program/run.ts opens this page in Chromium and
// reads the figures from `window.tallyBench`.
import { createBrowserRunner } from '../../src/lib/program/browser-runner';
import { measureHost, type HostFigures } from './measure';

declare global {
  interface Window {
    tallyBench: (starts: number, rounds: number) => Promise<HostFigures>;
  }
}

window.tallyBench = (starts, rounds) => measureHost(() => createBrowserRunner(), starts, rounds);
