import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { deriveAccountSecrets } from '@zegel/protocol/crypto';
import { Secret, TOTP } from 'otpauth';
import { createRandomBytes, hashLoginSecret } from '../../adapters/tokens.ts';
import type { Deps } from '../../deps.ts';
import { createOrganisation } from './organisations.ts';
import { kdfParamsForNewPasswords } from './sign-in.ts';
import { insertUser, selectUserByEmail, updateUserRow } from './store.ts';
import { renewRecoveryCodes } from './totp.ts';

export const DEMO_EMAIL = 'demo@zegel.localhost';

interface DemoCredentials {
  email: string;
  password: string;
  totpSecret: string;
}

/**
 * Embedded mode only: creates "Gemeente Voorbeeld" and an admin whose password and
 * authenticator secret are kept in the data directory, so `npm start` can print how to sign in.
 * Returns undefined when the demo user already exists but its credentials file is gone.
 */
export async function seedDemo(
  deps: Deps,
): Promise<(DemoCredentials & { totpCode: () => string }) | undefined> {
  const file = join(resolve(deps.config.dataDir), 'demo-credentials.json');
  const existing = await selectUserByEmail(deps.db, DEMO_EMAIL);
  if (existing) {
    if (!existsSync(file)) return undefined;
    return withCode(JSON.parse(readFileSync(file, 'utf8')) as DemoCredentials);
  }
  const org = await createOrganisation(deps, {
    name: 'Gemeente Voorbeeld',
    mailDomains: ['voorbeeld.localhost'],
  });
  const password = `demo-${Buffer.from(createRandomBytes(9)).toString('base64url')}`;
  const salt = createRandomBytes(16);
  const params = kdfParamsForNewPasswords(deps);
  const { loginSecret } = await deriveAccountSecrets(password, salt, params);
  const userId = crypto.randomUUID();
  await insertUser(deps.db, {
    id: userId,
    organisationId: org.id,
    email: DEMO_EMAIL,
    name: 'Demo Beheerder',
    role: 'admin',
    kdfSalt: salt,
    kdfParams: params,
    loginHash: await hashLoginSecret(loginSecret),
  });
  const secret = new Secret({ size: 20 });
  await updateUserRow(deps.db, userId, {
    totp_secret_sealed: deps.secretBox.seal(secret.base32, 'totp-secret'),
    totp_enabled_at: deps.clock.now(),
  });
  await renewRecoveryCodes(deps, userId);
  const credentials: DemoCredentials = { email: DEMO_EMAIL, password, totpSecret: secret.base32 };
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return withCode(credentials);
}

function withCode(credentials: DemoCredentials) {
  const totp = new TOTP({
    issuer: 'Zegel',
    label: credentials.email,
    secret: Secret.fromBase32(credentials.totpSecret),
  });
  return { ...credentials, totpCode: () => totp.generate() };
}
