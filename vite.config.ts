import { readFileSync } from 'node:fs';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { build, defineConfig, loadEnv, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { pyodideAssets } from './src/lib/program/pyodide-assets.ts';
import {
  contentSecurityPolicy,
  headerRules,
  headersFile,
  headersFor,
  parseOrigins,
  parseSources,
  sandboxFolder,
  type PolicyConfig,
} from './src/lib/pwa/policy.ts';

const pkg = JSON.parse(readFileSync(new URL('package.json', import.meta.url), 'utf8')) as {
  version: string;
  description: string;
};
const themeColor = '#2b59c3';

/** The host script, built on its own as one classic script with no imports: dist/embed.js. */
async function buildHostScript(): Promise<string> {
  const out = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'es2020',
      minify: true,
      lib: {
        entry: 'src/embed/loader.ts',
        formats: ['iife'],
        name: 'TallyEmbed',
        fileName: () => 'embed.js',
      },
    },
  });
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs) {
    if (!('output' in o)) continue;
    const chunk = o.output.find((c) => c.type === 'chunk' && c.isEntry);
    if (chunk?.type === 'chunk') return chunk.code;
  }
  throw new Error('embed.js: the host script build produced no entry chunk');
}

function hostScript(): Plugin {
  return {
    name: 'tally-host-script',
    async generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'embed.js', source: await buildHostScript() });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.split('?')[0] !== '/embed.js') {
          next();
          return;
        }
        buildHostScript().then((code) => {
          res.setHeader('Content-Type', 'text/javascript');
          res.end(code);
        }, next);
      });
    },
  };
}

/** CSP meta tags and head links in the built pages, the same headers in `vite preview`, dist/_headers. */
function securityHeaders(config: PolicyConfig): Plugin {
  const rules = headerRules(config);
  return {
    name: 'tally-security-headers',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const widget = ctx.path.endsWith('/embed.html');
        const head = [
          ...(ctx.server
            ? []
            : [
                `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(
                  widget ? 'widget' : 'app',
                  config,
                  'meta',
                )}" />`,
              ]),
          `<meta name="theme-color" content="${themeColor}" />`,
          '<link rel="icon" href="/favicon.svg" type="image/svg+xml" />',
          ...(widget ? [] : ['<link rel="apple-touch-icon" href="/apple-touch-icon.png" />']),
        ];
        return html.replace(/(<meta charset="UTF-8" \/>)/i, `$1\n    ${head.join('\n    ')}`);
      },
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: '_headers', source: headersFile(rules) });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://preview').pathname;
        for (const [name, value] of Object.entries(headersFor(rules, path))) {
          res.setHeader(name, value);
        }
        next();
      });
    },
  };
}

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), 'VITE_TALLY_');
  const policy: PolicyConfig = {
    embedOrigins: parseOrigins(env.VITE_TALLY_EMBED_ORIGINS),
    connectSrc: parseSources(env.VITE_TALLY_CONNECT_SRC),
  };
  return {
    plugins: [
      svelte(),
      VitePWA({
        registerType: 'prompt',
        injectRegister: false,
        strategies: 'generateSW',
        includeAssets: ['favicon.svg', 'apple-touch-icon.png'],
        manifest: {
          id: '/',
          name: 'Tally: math word problems',
          short_name: 'Tally',
          description: pkg.description,
          lang: 'en',
          start_url: '/',
          scope: '/',
          display: 'standalone',
          theme_color: themeColor,
          background_color: '#f7f7f5',
          categories: ['education', 'utilities'],
          icons: [
            { src: '/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
            { src: '/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
            {
              src: '/icon-maskable-512.png',
              sizes: '512x512',
              type: 'image/png',
              purpose: 'maskable',
            },
          ],
        },
        workbox: {
          // The app shell and the worker chunks (web-llm's is about 6 MB); never model files,
          // which web-llm and Tally's store keep in IndexedDB. No runtime route: every other
          // request (model hosts, servers, data sets) goes to the network. The benchmark page
          // keeps a downloaded data set in the cache `tally-data` itself, once it checks out.
          globPatterns: ['**/*.{js,css,html,svg,png,woff2,webmanifest}'],
          globIgnores: ['embed.js', 'pyodide/**'],
          maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
          runtimeCaching: [
            // Pyodide (about 12 MB) is cached when the program path is first used, not precached
            // for every visitor; its folder is versioned, so a cached file never goes stale.
            {
              urlPattern: /\/pyodide\/[^/]+\/[^/]+$/,
              handler: 'CacheFirst',
              options: { cacheName: 'tally-pyodide' },
            },
          ],
          // Hashed files need no query to bust them: `/embed.html?question=…` is the cached page.
          ignoreURLParametersMatching: [/.*/],
          navigateFallback: 'index.html',
          // Navigations to server and admin paths, and to files, are never answered with the app
          // (Workbox matches these against the path and the query).
          navigateFallbackDenylist: [
            /^\/__/,
            /^\/v1(\/|\?|$)/,
            /^\/api(\/|\?|$)/,
            /^\/embed(\.html)?(\?|$)/,
            /\.[a-z0-9]+(\?|$)/i,
          ],
          cleanupOutdatedCaches: true,
          clientsClaim: false,
          skipWaiting: false,
        },
      }),
      securityHeaders(policy),
      hostScript(),
      pyodideAssets(),
    ],
    define: {
      __APP_VERSION__: JSON.stringify(process.env.TALLY_APP_VERSION ?? pkg.version),
    },
    worker: {
      format: 'es',
      rolldownOptions: {
        output: {
          // the program worker gets a folder of its own, and with it a narrower policy (policy.ts)
          entryFileNames: (chunk) =>
            chunk.name.startsWith('program.worker')
              ? `${sandboxFolder}/[name]-[hash].js`
              : 'assets/[name]-[hash].js',
          // and so does Pyodide's loader, which it imports once it has hidden what the loader
          // must not see (sandbox.ts)
          chunkFileNames: (chunk) =>
            chunk.moduleIds.some((id) => id.includes('/node_modules/pyodide/'))
              ? `${sandboxFolder}/[name]-[hash].js`
              : 'assets/[name]-[hash].js',
        },
      },
    },
    // Pyodide is served as published: pre-bundling it gains nothing and reloads the dev page
    optimizeDeps: { exclude: ['pyodide'] },
    build: {
      target: 'es2022',
      rollupOptions: { input: { app: 'index.html', embed: 'embed.html' } },
    },
  };
});
