import { defineConfig } from 'vitest/config';

// `npm test` runs every unit, service and HTTP suite on PGlite; `npm run test:pg` runs the
// same suites on PostgreSQL (ZEGEL_TEST_DATABASE=postgres). Browser journeys live in e2e/.
export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/server/{src,test}/**/*.test.ts', 'scripts/**/*.test.ts'],
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
