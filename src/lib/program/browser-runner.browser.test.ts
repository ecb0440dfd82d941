// The browser host with the real Pyodide in a real worker: the hostile programs (must show
// 2) against the sandbox, with Tally-like state in this page that none of them may touch. The
// end-to-end versions through the page come with the Program column.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { hostilePrograms, hostPrograms } from '../../../tests/fixtures/hostile-programs';
import { expectContained, sandboxContract } from '../../../tests/fixtures/hostile-check';
import { createBrowserRunner } from './browser-runner';

// 10 s rather than 5: this machine's CPU is shared, and filling 256 MiB must end by the memory limit
const runner = createBrowserRunner({
  timeoutMs: 10_000,
  memoryBytes: 256 * 1024 * 1024,
  outputBytes: 1024 * 1024,
});
const slow = 180_000;
const probe = 'tally-sandbox-probe';

function openProbeDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(probe, 1);
    request.onupgradeneeded = () => request.result.createObjectStore('kv');
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('open failed'));
    };
  });
}

async function readProbeDb(): Promise<unknown> {
  const db = await openProbeDb();
  const value = await new Promise((resolve, reject) => {
    const request = db.transaction('kv').objectStore('kv').get('saved');
    request.onsuccess = () => {
      resolve(request.result);
    };
    request.onerror = () => {
      reject(request.error ?? new Error('read failed'));
    };
  });
  db.close();
  return value;
}

/** This page's storage, as a snapshot to compare after each program. */
async function storage(): Promise<unknown> {
  const cache = await caches.open(probe);
  const cached = await cache.match('/probe');
  return {
    idb: await readProbeDb(),
    local: localStorage.getItem(probe),
    cookie: document.cookie,
    cache: cached ? await cached.text() : null,
  };
}

beforeAll(async () => {
  const db = await openProbeDb();
  await new Promise<void>((resolve, reject) => {
    const tx = db.transaction('kv', 'readwrite');
    tx.objectStore('kv').put({ history: ['kept'] }, 'saved');
    tx.oncomplete = () => {
      resolve();
    };
    tx.onerror = () => {
      reject(tx.error ?? new Error('write failed'));
    };
  });
  db.close();
  localStorage.setItem(probe, 'kept');
  document.cookie = `${probe}=kept; path=/`;
  await (await caches.open(probe)).put('/probe', new Response('kept'));
  await runner.warm();
}, slow);

afterAll(() => {
  runner.close();
});

test('runs a program and returns its value', async () => {
  expect(await runner.run('def solution():\n    return 3 * 7\n')).toMatchObject({
    ok: true,
    returned: '21',
  });
});

describe('hostile programs: none succeeds or hurts the page, and the next program runs normally', () => {
  for (const program of hostilePrograms) {
    test(
      program.name,
      async () => {
        const before = await storage();
        // the page keeps running while the program does: its longest gap between timer ticks
        let last = performance.now();
        let longest = 0;
        const beat = setInterval(() => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
        }, 50);
        const outcome = await runner.run(program.code);
        clearInterval(beat);
        expectContained(program, outcome);
        expect(longest).toBeLessThan(2000);
        expect(await storage()).toEqual(before);
        expect(await runner.run('print(6 * 7)')).toMatchObject({ ok: true, stdout: '42\n' });
      },
      slow,
    );
  }
});

describe('programs that reach for a host: none gets through', () => {
  // the page has no host files or commands: these show the routes end in the sandbox here too
  for (const program of hostPrograms({
    secretPath: '/etc/hostname',
    secret: 'unused',
    port: 9,
    marker: '/tmp/tally-marker',
  })) {
    test(
      program.name,
      async () => {
        const outcome = await runner.run(program.code);
        expectContained(program, outcome);
        expect(outcome.stdout).not.toContain(location.origin);
      },
      slow,
    );
  }
});

sandboxContract(runner, slow);
