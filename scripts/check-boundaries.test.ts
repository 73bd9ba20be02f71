import { describe, expect, it } from 'vitest';
import { checkFile, checkRepository, checkRepositoryAgainstPending } from './check-boundaries.ts';
import {
  checkFeatureGraph,
  checkGraphShape,
  comparePending,
  describeComparison,
  type GraphViolation,
  type SourceFile,
} from './check-feature-graph.ts';
import type { Graph } from './feature-graph.ts';

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

  it('names the line of the import', () => {
    const source = "// a comment\nimport { readFile } from 'node:fs';\n";
    expect(checkFile('packages/protocol/src/x.ts', source).map((v) => v.line)).toEqual([2]);
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

/** A small server: a shared platform unit, two features (messages uses accounts) and two roots. */
const graph: Graph = {
  root: 'apps/server/src',
  shared: ['platform/audit'],
  roots: ['app.ts', 'cli'],
  units: {
    'platform/audit': { uses: [], owns: ['audit_events'] },
    'features/accounts': { uses: [], owns: ['users'] },
    'features/messages': { uses: ['features/accounts'], owns: ['items'] },
  },
};
const webGraph: Graph = {
  root: 'apps/web/src',
  shared: ['ui'],
  roots: ['app'],
  units: { 'features/messages': { uses: [] } },
};

function file(path: string, ...lines: string[]): SourceFile {
  return { path: `apps/server/src/${path}`, source: `${lines.join('\n')}\n` };
}
function check(...files: SourceFile[]): string[] {
  return checkFeatureGraph(graph, files).map((v) => `${v.file}:${v.line}: ${v.key}`);
}

describe('feature graph (a): other units only through index.ts', () => {
  it('fails on an import of another feature’s internals, naming the file and line', () => {
    const send = file(
      'features/messages/send.ts',
      '// sends',
      "import { findUser } from '../accounts/users.ts';",
    );
    expect(check(send)).toEqual([
      'apps/server/src/features/messages/send.ts:2: internals of features/accounts: users.ts',
    ]);
  });

  it('passes an import through index.ts and a unit’s own files', () => {
    const send = file(
      'features/messages/send.ts',
      "import { findUser } from '../accounts/index.ts';",
      "import { insertItem } from './store.ts';",
      "import { record } from '../../platform/audit/index.ts';",
    );
    expect(check(send)).toEqual([]);
  });

  it('holds roots to index.ts too, and no unit imports a root', () => {
    expect(check(file('app.ts', "import { routes } from './features/accounts/routes.ts';"))).toEqual([
      'apps/server/src/app.ts:1: internals of features/accounts: routes.ts',
    ]);
    expect(check(file('features/accounts/users.ts', "import type { App } from '../../app.ts';"))).toEqual([
      'apps/server/src/features/accounts/users.ts:1: imports root app.ts',
    ]);
    expect(
      check(file('cli/admin.ts', "import { createUser } from '../features/accounts/index.ts';")),
    ).toEqual([]);
  });

  it('lets test files reach internals, but not undeclared units', () => {
    const test = file(
      'features/messages/send.test.ts',
      "import { insertUser } from '../accounts/store.ts';",
      "import { createApp } from '../../app.ts';",
    );
    expect(check(test)).toEqual([]);
    const upward = file('features/accounts/users.test.ts', "import { send } from '../messages/send.ts';");
    expect(check(upward)).toEqual([
      'apps/server/src/features/accounts/users.test.ts:1: edge features/accounts -> features/messages',
    ]);
  });

  it('treats the web app’s shared ui like any unit: through its index.ts', () => {
    const page = {
      path: 'apps/web/src/features/messages/page.tsx',
      source: "import { Button } from '../../ui/button.tsx';",
    };
    expect(checkFeatureGraph(webGraph, [page]).map((v) => v.key)).toEqual(['internals of ui: button.tsx']);
  });

  it('fails on a folder under features/ that is no unit', () => {
    expect(check(file('features/verification/codes.ts', 'export const x = 1;'))).toEqual([
      'apps/server/src/features/verification/:0: not a unit of the graph',
    ]);
  });
});

describe('feature graph (b): declared edges, no cycle', () => {
  it('fails on an undeclared edge between features, naming the file', () => {
    const users = file('features/accounts/users.ts', '', "import { send } from '../messages/index.ts';");
    expect(check(users)).toEqual([
      'apps/server/src/features/accounts/users.ts:2: edge features/accounts -> features/messages',
    ]);
  });

  it('passes a declared edge and an undeclared use of a shared unit', () => {
    const send = file(
      'features/messages/send.ts',
      "import { findUser } from '../accounts/index.ts';",
      "export { record } from '../../platform/audit/index.ts';",
    );
    const users = file('features/accounts/users.ts', "import('../../platform/audit/index.ts');");
    expect(check(send, users)).toEqual([]);
  });

  it('fails when a shared unit imports a feature', () => {
    const chain = file(
      'platform/audit/chain.ts',
      "import type { User } from '../../features/accounts/index.ts';",
    );
    expect(check(chain)).toEqual([
      'apps/server/src/platform/audit/chain.ts:1: edge platform/audit -> features/accounts',
    ]);
  });

  it('fails on a cycle in the declared graph, printing it with the graph file and line', () => {
    const cyclic: Graph = {
      ...graph,
      units: { ...graph.units, 'features/accounts': { uses: ['features/messages'], owns: ['users'] } },
    };
    const graphFile = { path: 'scripts/feature-graph.ts', source: "units: {\n  'features/accounts': {" };
    expect(checkGraphShape(cyclic, graphFile)).toEqual([
      {
        file: 'scripts/feature-graph.ts',
        line: 2,
        key: 'cycle features/accounts -> features/messages -> features/accounts',
        detail: 'the feature graph must be acyclic',
      },
    ]);
    expect(checkGraphShape(graph, graphFile)).toEqual([]);
  });
});

describe('feature graph (c): only the owner queries a table', () => {
  it('fails on a query of another feature’s table, in Kysely calls and sql templates', () => {
    const store = file(
      'features/messages/store.ts',
      "const a = db.selectFrom('items').innerJoin('users as u', 'u.id', 'items.author_id');",
      "const b = db.selectFrom(['items as i', 'audit_events']);",
      'const c = sql`SELECT count(*) FROM users WHERE id = $' + '{id} FOR UPDATE`;',
    );
    expect(check(store)).toEqual([
      'apps/server/src/features/messages/store.ts:1: table users',
      'apps/server/src/features/messages/store.ts:2: table audit_events',
      'apps/server/src/features/messages/store.ts:3: table users',
    ]);
  });

  it('passes a query of the unit’s own table, and leaves db/ and tests alone', () => {
    const store = file(
      'features/messages/store.ts',
      "db.insertInto('items').values(row);",
      "db.with('recent', (q) => q.selectFrom('items')).selectFrom('recent');",
      'sql`UPDATE items SET n = n + 1 WHERE id IN (SELECT id FROM items FOR NO KEY UPDATE)`;',
      'db.selectFrom(sql`unnest($' + "{ids})`.as('x'));",
    );
    const schema = file('db/database.ts', "db.selectFrom('users');");
    const test = file('features/messages/store.test.ts', "db.selectFrom('users');");
    expect(check(store, schema, test)).toEqual([]);
  });

  it('fails on a root that queries, and on a table no unit owns', () => {
    expect(check(file('cli/admin.ts', "db.deleteFrom('users');"))).toEqual([
      'apps/server/src/cli/admin.ts:1: table users',
    ]);
    expect(check(file('features/accounts/store.ts', "db.updateTable('sessions');"))).toEqual([
      'apps/server/src/features/accounts/store.ts:1: table sessions',
    ]);
  });
});

describe('feature graph (d): file and function size', () => {
  const body = (n: number) =>
    Array.from({ length: n }, (_, i) => `  const v${i} = '}{' + \`\${'}'}\` + /[}]/.source; // }`);

  it('fails on a file over 400 lines and a function over 100 lines under features/', () => {
    const long = file(
      'features/messages/send.ts',
      'export function send() {',
      ...body(99),
      '}',
      ...body(300),
    );
    expect(check(long)).toEqual([
      'apps/server/src/features/messages/send.ts:1: file over 400 lines',
      'apps/server/src/features/messages/send.ts:1: function send over 100 lines',
    ]);
  });

  it('passes a 400-line file whose functions have 100 lines, and does not measure files outside', () => {
    const fits = file(
      'features/messages/send.ts',
      'export const send = () => {',
      ...body(98),
      '};',
      ...body(300),
    );
    expect(check(fits)).toEqual([]);
    expect(check(file('http/errors.ts', ...body(500)))).toEqual([]);
  });
});

describe('pending violations', () => {
  const violation: GraphViolation = {
    file: 'a.ts',
    line: 3,
    key: 'table users',
    detail: 'owned by accounts',
  };

  it('excuse a listed violation and fail on one not listed, naming its file and line', () => {
    expect(comparePending([violation], { 'a.ts': ['table users'] })).toEqual({
      unexpected: [],
      stale: [],
      left: 1,
    });
    const failing = describeComparison(comparePending([violation], {}));
    expect(failing.errors).toEqual(['a.ts:3: table users (owned by accounts)']);
  });

  it('fail when an entry no longer occurs, so the list only shrinks', () => {
    const result = comparePending([], { 'a.ts': ['table users'] });
    expect(result.stale).toEqual([{ file: 'a.ts', key: 'table users' }]);
    expect(describeComparison(result).errors).toEqual([
      "a.ts: 'table users' no longer occurs: delete it from scripts/feature-graph-pending.ts",
    ]);
  });

  it('match the real repository exactly', () => {
    const result = checkRepositoryAgainstPending();
    expect(describeComparison(result).errors).toEqual([]);
    expect(result.left).toBeGreaterThan(0);
  });
});
