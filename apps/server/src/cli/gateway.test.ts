import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/harness.ts';
import { hashToken } from '../adapters/tokens.ts';
import { createDeps } from '../boot.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createOrganisation } from '../features/accounts/organisations.ts';
import { runCli } from './main.ts';

async function run(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { out, err, in: new PassThrough() });
  return { code, stdout, stderr };
}

const dataDir = mkdtempSync(join(tmpdir(), 'zegel-gateway-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('zegel gateway app-password', () => {
  it('prints a new app password once and stores only its hash', async () => {
    const database = await openDatabase({ dataDir });
    await migrate(database);
    const org = await createOrganisation(createDeps(testConfig({ dataDir }), database), {
      name: 'Gemeente CLI',
      mailDomains: [],
    });
    // A user row as an accepted invitation leaves it; the command needs nothing more.
    const email = 'scanner-owner@example.nl';
    await database.db
      .insertInto('users')
      .values({
        id: crypto.randomUUID(),
        organisation_id: org.id,
        email,
        name: 'Sam Scanner',
        role: 'member',
        kdf_salt: new Uint8Array(16),
        kdf_params: JSON.stringify({ algorithm: 'argon2id', memoryKiB: 256, iterations: 1, parallelism: 1 }),
        login_hash: 'unused',
      })
      .execute();
    await database.close();

    const made = await run(['gateway', 'app-password', email, '--label', 'scanner', '--data-dir', dataDir]);
    expect(made.code, made.stderr).toBe(0);
    const password = /\n {2}(\S{43})\n/.exec(made.stdout)?.[1] ?? '';
    expect(password).toHaveLength(43);

    const reopened = await openDatabase({ dataDir });
    const rows = await reopened.db
      .selectFrom('gateway_app_passwords')
      .select(['label', 'secret_hash'])
      .execute();
    await reopened.close();
    expect(rows).toEqual([{ label: 'scanner', secret_hash: hashToken(password) }]);

    const unknown = await run(['gateway', 'app-password', 'nobody@example.nl', '--data-dir', dataDir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No active user');
    // Three PGlite openings with migrations (set-up, the command, the check): slow on a loaded machine.
  }, 90_000);
});
