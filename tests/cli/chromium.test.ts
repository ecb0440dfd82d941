// Every browser driver (`npm test`, each `npm run bench:*`) gets its Chromium from ensureChromium:
// found, installed from Debian's packages when it can be, or a message naming the fix.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { ensureChromium, type Machine } from '../../scripts/chromium.mjs';

const saved = process.env.CHROME_PATH;
afterEach(() => {
  process.env.CHROME_PATH = saved;
  vi.restoreAllMocks();
});

/** A machine with no Chromium until apt-get installs one (when `root`), recording what ran. */
function bareMachine(root: boolean, aptWorks = true) {
  let installed = false;
  const ran: string[] = [];
  const machine: Machine = {
    find: () => (installed ? '/usr/bin/chromium' : undefined),
    canInstall: () => root,
    run: (command, args) => {
      ran.push([command, ...args].join(' '));
      if (args[0] === 'install' && aptWorks) installed = true;
      return aptWorks;
    },
  };
  return { machine, ran };
}

describe('ensureChromium', () => {
  test('uses the Chromium it finds and installs nothing', () => {
    const { machine, ran } = bareMachine(true);
    machine.find = () => '/opt/chrome/chrome';
    expect(ensureChromium(machine)).toBe('/opt/chrome/chrome');
    expect(ran).toEqual([]);
    expect(process.env.CHROME_PATH).toBe('/opt/chrome/chrome');
  });

  test('installs Debian’s chromium when none is found and it runs as root', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { machine, ran } = bareMachine(true);
    expect(ensureChromium(machine)).toBe('/usr/bin/chromium');
    expect(ran).toEqual(['apt-get update -qq', 'apt-get install -y -qq chromium']);
    expect(process.env.CHROME_PATH).toBe('/usr/bin/chromium');
  });

  test('names the fix when it cannot install', () => {
    const { machine, ran } = bareMachine(false);
    expect(() => ensureChromium(machine)).toThrow(
      'No Chromium found. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
        'or set CHROME_PATH to a Chromium or Chrome binary.',
    );
    expect(ran).toEqual([]);
  });

  test('names the fix when the install fails', () => {
    vi.spyOn(console, 'log').mockImplementation(() => {});
    const { machine, ran } = bareMachine(true, false);
    expect(() => ensureChromium(machine)).toThrow('No Chromium found.');
    expect(ran).toEqual(['apt-get update -qq']);
  });
});
