import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumArgs, findChromium } from './scripts/chromium.mjs';
import { pyodideAssets } from './src/lib/program/pyodide-assets.ts';
import { webllmInternals } from './tests/fixtures/webllm-internals.ts';

export default defineConfig({
  plugins: [svelte(), pyodideAssets()],
  worker: { format: 'es' },
  // Pyodide is served as published (it finds its own files); pre-bundling would reload the tests
  optimizeDeps: { exclude: ['pyodide'] },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          environment: 'node',
          include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', '**/*.gpu.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        // web-llm's bundled TVM runtime, tokenizer and pipeline, for the stand-in GPU
        plugins: [webllmInternals()],
        test: {
          name: 'browser',
          include: ['src/**/*.browser.test.ts', 'tests/**/*.browser.test.ts'],
          globalSetup: ['tests/fixtures/global-setup.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: { executablePath: findChromium(), args: chromiumArgs },
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
      // A real GPU and network only: `npm run test:gpu`.
      ...(process.env.TALLY_GPU
        ? [
            {
              extends: true as const,
              test: {
                name: 'gpu',
                include: ['tests/gpu/*.gpu.test.ts'],
                browser: {
                  enabled: true,
                  headless: false,
                  provider: playwright({
                    launchOptions: {
                      executablePath: findChromium(),
                      args: ['--enable-unsafe-webgpu', '--enable-features=Vulkan'],
                    },
                  }),
                  instances: [{ browser: 'chromium' as const }],
                },
              },
            },
          ]
        : []),
    ],
  },
});
