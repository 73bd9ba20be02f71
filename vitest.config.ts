import { defineConfig } from 'vitest/config';

// `npm test` runs every unit, service and HTTP suite on PGlite; `npm run test:pg` runs the
// same suites on PostgreSQL (ZEGEL_TEST_DATABASE=postgres). Browser journeys live in e2e/.
// `npm run test:mail` (ZEGEL_TEST_SUITE=mail) runs the mail-security test bed, which needs
// Debian's nsd, unbound and ldnsutils (.ci/install-mail-testbed.sh) and root for port 25.
// `npm run test:deploy` (ZEGEL_TEST_SUITE=deploy, on PostgreSQL) runs deploy/nginx/zegel.conf
// in front of two server processes; it needs Debian's nginx (installed by .ci/run).
const mailSuite = ['apps/server/test/mail-testbed/**/*.test.ts'];
const deploySuite = ['apps/server/test/deploy/**/*.test.ts'];
const suite = process.env.ZEGEL_TEST_SUITE;

export default defineConfig({
  test: {
    include:
      suite === 'mail'
        ? mailSuite
        : suite === 'deploy'
          ? deploySuite
          : ['packages/*/src/**/*.test.ts', 'apps/server/{src,test}/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: suite === 'mail' || suite === 'deploy' ? [] : [...mailSuite, ...deploySuite],
    globalSetup: ['apps/server/test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
