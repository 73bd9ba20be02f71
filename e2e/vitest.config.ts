import type { OxcOptions } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * e2e/tsconfig.json once extended a path that did not exist, and Vite's transformer refuses
 * files under a tsconfig it cannot load; tsconfig lookup stays off here (the option exists at
 * run time but is left out of Vite's public type).
 */
const oxcWithoutTsconfig = { tsconfig: false } as unknown as OxcOptions;

/**
 * Browser journeys: each file starts its own Zegel server and Chromium, so files may run in
 * parallel. `npm run test:e2e` builds the web app first; the server serves apps/web/dist.
 */
export default defineConfig({
  oxc: oxcWithoutTsconfig,
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
