// A Vite plugin: Pyodide's runtime files, from its npm package, at /pyodide/<version>/ on Tally's
// own origin (served by the dev server, emitted by the build). Never a CDN.
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** What loadPyodide fetches: the runtime, its WebAssembly, the standard library, the lock file. */
export const pyodideFiles: Record<string, string> = {
  'pyodide.asm.js': 'text/javascript',
  'pyodide.asm.wasm': 'application/wasm',
  'python_stdlib.zip': 'application/zip',
  'pyodide-lock.json': 'application/json',
};

const packageDir = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  version: string;
};

/** The folder the files are served from, below the base URL: `pyodide/0.29.3/`. */
export const pyodideDir = `pyodide/${version}/`;

export function pyodideAssets(): Plugin {
  return {
    name: 'tally-pyodide-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://dev').pathname;
        const base = `${server.config.base}${pyodideDir}`;
        const name = path.startsWith(base) ? path.slice(base.length) : '';
        const type = Object.hasOwn(pyodideFiles, name) ? pyodideFiles[name] : undefined;
        if (type === undefined) {
          next();
          return;
        }
        res.setHeader('Content-Type', type);
        // the folder is versioned: a file never changes at its URL
        res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
        createReadStream(join(packageDir, name)).pipe(res);
      });
    },
    generateBundle() {
      for (const name of Object.keys(pyodideFiles)) {
        this.emitFile({
          type: 'asset',
          fileName: `${pyodideDir}${name}`,
          source: readFileSync(join(packageDir, name)),
        });
      }
    },
  };
}
