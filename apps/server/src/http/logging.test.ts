import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, signInWithPassword, totpCode } from '../../test/factories.ts';
import { Browser, createTestApp, loginSecretFor, type TestApp, tokenFromMail } from '../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ logLevel: 'trace' });
});
afterAll(async () => {
  await t.close();
});

describe('logs', () => {
  it('hold no passwords, login secrets, tokens, codes, cookies or e-mail addresses, even at trace level', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = new Browser(t.app);
    const pre = (await browser.post('/api/auth/prelogin', { email: admin.email })).json();
    const loginSecret = await loginSecretFor(admin.password, pre.kdfSalt, pre.kdfParams);
    await signInWithPassword(admin, browser);
    const code = totpCode(admin.totpSecret, t.clock);
    await browser.post('/api/auth/second-factor', { code, trustDevice: true });
    const invitationToken = tokenFromMail(t.mailer.sent[0]!.text, '/invitation');
    await browser.post('/api/auth/sign-in', { email: admin.email, loginSecret: 'x'.repeat(43) });
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: { 'content-type': 'application/json', 'x-zegel-csrf': '1' },
      payload: '{"email": "broken',
    });

    const written = JSON.stringify(t.logs);
    expect(t.logs.length).toBeGreaterThan(10);
    const secrets = {
      password: admin.password,
      loginSecret,
      invitationToken,
      code,
      totpSecret: admin.totpSecret,
      email: admin.email,
      sessionCookie: browser.cookies.get('zegel_session')!,
      deviceCookie: browser.cookies.get('zegel_device')!,
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect({ name, found: written.includes(value) }).toEqual({ name, found: false });
    }
    // Every request line carries the request id.
    expect(t.logs.filter((l) => l.req).every((l) => typeof l.reqId === 'string')).toBe(true);
  });
});
