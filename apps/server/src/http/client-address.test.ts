import { afterEach, describe, expect, it } from 'vitest';
import { uniqueEmail } from '../../test/factories.ts';
import { createTestApp, jsonHeaders, type TestApp } from '../../test/harness.ts';
import { loadConfig } from '../config.ts';

/**
 * The client address feeds per-address limits and the audit trail's access point (NEN 7513),
 * so only a configured proxy may tell it in X-Forwarded-For.
 */
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** As an operator writes it: TRUST_PROXY in the environment. */
async function appTrusting(setting: string) {
  const trustProxy = loadConfig({}, { TRUST_PROXY: setting }, { forServing: false }).trustProxy;
  t = await createTestApp({ config: { trustProxy } });
  return t;
}

function lookupInvitation(app: TestApp, peer: string, forwardedFor?: string) {
  return app.app.inject({
    method: 'POST',
    url: '/api/invitations/lookup',
    remoteAddress: peer,
    headers: { ...jsonHeaders, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
    payload: { token: 'x'.repeat(43) },
  });
}

async function failedSignInFrom(app: TestApp, peer: string, forwardedFor: string) {
  const email = uniqueEmail('nobody');
  await app.app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    remoteAddress: peer,
    headers: { ...jsonHeaders, 'x-forwarded-for': forwardedFor },
    payload: { email, loginSecret: 'A'.repeat(43) },
  });
  const rows = await app.deps.db
    .selectFrom('audit_events')
    .select('access_ip')
    .where('action', '=', 'auth.sign_in')
    .orderBy('seq', 'desc')
    .limit(1)
    .execute();
  return rows[0]?.access_ip;
}

describe('client address behind a proxy', () => {
  it('ignores a forged X-Forwarded-For from an untrusted peer in the audit trail', async () => {
    const app = await appTrusting('10.0.0.0/8');
    expect(await failedSignInFrom(app, '198.51.100.7', '203.0.113.50')).toBe('198.51.100.7');
  });

  it('ignores a forged X-Forwarded-For from an untrusted peer in per-address limits', async () => {
    const app = await appTrusting('10.0.0.0/8');
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      statuses.push((await lookupInvitation(app, '198.51.100.7', `203.0.113.${i}`)).statusCode);
    }
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it('believes a listed proxy, taking the address that proxy saw', async () => {
    const app = await appTrusting('10.0.0.0/8');
    expect(await failedSignInFrom(app, '10.1.2.3', '192.0.2.66, 203.0.113.50')).toBe('203.0.113.50');
  });

  it('believes no header by default', async () => {
    const app = await appTrusting('');
    expect(await failedSignInFrom(app, '10.1.2.3', '203.0.113.50')).toBe('10.1.2.3');
  });
});
