import { describe, expect, it } from 'vitest';
import { checkFile, checkRepository } from './check-boundaries.ts';

describe('import boundaries', () => {
  it('hold for the whole repository', () => {
    expect(checkRepository()).toEqual([]);
  });

  it.each([
    [
      'packages/protocol/src/dlp/x.ts',
      "import { readFile } from 'node:fs';",
      'protocol must not import node:fs',
    ],
    [
      'packages/protocol/src/x.ts',
      "import { x } from '../../../apps/server/src/app.ts';",
      'protocol must not import from apps/',
    ],
    ['apps/web/src/x.ts', "import { x } from '@zegel/server/app';", 'the web app must not import the server'],
    [
      'apps/server/src/features/accounts/x.ts',
      "import { randomBytes } from 'node:crypto';",
      'node:crypto only inside apps/server/src/adapters/',
    ],
    [
      'apps/web/src/x.ts',
      "import { CipherSuite } from '@hpke/core';",
      '@hpke/core only inside packages/protocol/src/crypto',
    ],
    [
      'apps/server/src/features/audit/service.ts',
      "import { x } from '../accounts/store.ts';",
      'feature audit must not use the store of accounts',
    ],
    [
      'apps/server/src/features/accounts/store.ts',
      "import { x } from './service.ts';",
      'a store holds SQL only',
    ],
    [
      'apps/server/src/features/accounts/service.ts',
      "import type { FastifyRequest } from 'fastify';",
      'only routes.ts may see Fastify',
    ],
    [
      'apps/server/src/adapters/mailer.ts',
      "import { x } from '../features/accounts/users.ts';",
      'adapters must not import features',
    ],
    [
      'apps/server/src/features/accounts/x.ts',
      'const port = process.env.PORT;',
      'only config.ts reads process.env',
    ],
  ])('flags %s', (path, source, rule) => {
    const violations = checkFile(path, source);
    expect(violations.map((v) => v.rule).join('\n')).toContain(rule);
  });

  it('allows what the rules allow', () => {
    expect(
      checkFile('apps/server/src/adapters/tokens.ts', "import { randomBytes } from 'node:crypto';"),
    ).toEqual([]);
    expect(
      checkFile(
        'apps/server/src/features/accounts/routes.ts',
        "import type { FastifyInstance } from 'fastify';",
      ),
    ).toEqual([]);
    expect(
      checkFile('apps/web/src/x.ts', "import { deriveAccountSecrets } from '@zegel/protocol/crypto';"),
    ).toEqual([]);
  });
});
