import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptAndEnrol,
  createMember,
  createOrganisationWithAdmin,
  signInWithPassword,
  totpCode,
  uniqueEmail,
} from '../../../test/factories.ts';
import {
  Browser,
  createTestApp,
  loginSecretFor,
  type TestApp,
  tokenFromMail,
} from '../../../test/harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('invitation, enrolment and sign-in', () => {
  it('takes an invited user through password, TOTP enrolment and a full session', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const me = await admin.browser.get('/api/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ email: admin.email, role: 'admin', stage: 'full' });
  });

  it('shows the signed-in user their organisation and teams, and no teams before the second factor', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    for (const name of ['Wmo-loket', 'Jeugdzorg']) {
      const team = (await admin.browser.post('/api/admin/teams', { name, description: '' })).json();
      await admin.browser.put(`/api/teams/${team.id}/members/${admin.id}`, { role: 'admin' });
    }
    const me = (await admin.browser.get('/api/me')).json();
    expect(me.organisation).toMatchObject({ name: 'Gemeente Testdorp', hasLogo: false });
    expect(me.teams.map((team: { name: string; role: string }) => [team.name, team.role])).toEqual([
      ['Jeugdzorg', 'admin'],
      ['Wmo-loket', 'admin'],
    ]);
    const halfway = new Browser(t.app);
    await signInWithPassword(admin, halfway);
    const partial = (await halfway.get('/api/me')).json();
    expect(partial).toMatchObject({ stage: 'second_factor', teams: [] });
    expect(partial.organisation.name).toBe('Gemeente Testdorp');
  });

  it('asks for the second factor after the password, and a wrong code gives no session', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = new Browser(t.app);
    const signIn = await signInWithPassword(admin, browser);
    expect(signIn.json()).toEqual({ stage: 'second_factor' });
    expect((await browser.get('/api/admin/users')).json().error.code).toBe('second_factor_required');

    const wrong = await browser.post('/api/auth/second-factor', { code: '000000', trustDevice: false });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('second_factor_invalid');
    expect((await browser.get('/api/admin/users')).statusCode).toBe(401);

    const right = await browser.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: false,
    });
    expect(right.json()).toEqual({ stage: 'full' });
    expect((await browser.get('/api/admin/users')).statusCode).toBe(200);
  });

  it('accepts a TOTP code once only', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const code = totpCode(admin.totpSecret, t.clock);
    const first = new Browser(t.app);
    await signInWithPassword(admin, first);
    expect((await first.post('/api/auth/second-factor', { code, trustDevice: false })).statusCode).toBe(200);
    const second = new Browser(t.app);
    await signInWithPassword(admin, second);
    expect((await second.post('/api/auth/second-factor', { code, trustDevice: false })).statusCode).toBe(401);
  });

  it('skips the code on a trusted browser until the device is revoked', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = new Browser(t.app);
    await signInWithPassword(admin, browser);
    await browser.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: true,
    });
    expect(browser.cookies.has('zegel_device')).toBe(true);
    await browser.post('/api/auth/sign-out');

    expect((await signInWithPassword(admin, browser)).json()).toEqual({ stage: 'full' });
    // Another browser without the device cookie still needs the code.
    expect((await signInWithPassword(admin, new Browser(t.app))).json()).toEqual({
      stage: 'second_factor',
    });

    const devices = (await browser.get('/api/account/devices')).json();
    expect(devices).toHaveLength(1);
    expect(devices[0].label).toBe('Chrome on Linux');
    expect((await browser.delete(`/api/account/devices/${devices[0].id}`)).statusCode).toBe(200);
    await browser.post('/api/auth/sign-out');
    expect((await signInWithPassword(admin, browser)).json()).toEqual({ stage: 'second_factor' });
  });

  it('lets trust expire after the organisation’s number of days', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = new Browser(t.app);
    await signInWithPassword(admin, browser);
    await browser.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: true,
    });
    t.clock.advance(31 * 86_400_000);
    expect((await signInWithPassword(admin, browser)).json()).toEqual({ stage: 'second_factor' });
  });

  it('signs in with a recovery code, once', async () => {
    const email = uniqueEmail();
    const { admin } = await createOrganisationWithAdmin(t);
    await admin.browser.post('/api/admin/invitations', { email, name: 'R', role: 'member' });
    const user = await acceptAndEnrol(t, email);
    const codes = (await user.browser.post('/api/auth/recovery-codes')).json().recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    const b1 = new Browser(t.app);
    await signInWithPassword(user, b1);
    expect(
      (await b1.post('/api/auth/second-factor', { code: codes[0]!.toLowerCase(), trustDevice: false }))
        .statusCode,
    ).toBe(200);
    const b2 = new Browser(t.app);
    await signInWithPassword(user, b2);
    expect(
      (await b2.post('/api/auth/second-factor', { code: codes[0]!, trustDevice: false })).statusCode,
    ).toBe(401);
  });
});

describe('invitations that cannot be used', () => {
  it('refuses a used invitation with a clear message', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const email = uniqueEmail();
    await admin.browser.post('/api/admin/invitations', { email, name: 'U', role: 'member' });
    await acceptAndEnrol(t, email);
    const token = tokenFromMail(t.mailer.sent.findLast((m) => m.to === email)!.text, '/invitation');
    const again = await new Browser(t.app).post('/api/invitations/lookup', { token });
    expect(again.statusCode).toBe(410);
    expect(again.json().error).toMatchObject({
      code: 'invitation_used',
      message: expect.stringContaining('already been used'),
    });
  });

  it('refuses an expired invitation', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const email = uniqueEmail();
    await admin.browser.post('/api/admin/invitations', { email, name: 'E', role: 'member' });
    const token = tokenFromMail(t.mailer.sent.findLast((m) => m.to === email)!.text, '/invitation');
    t.clock.advance(8 * 86_400_000);
    const response = await new Browser(t.app).post('/api/invitations/lookup', { token });
    expect(response.statusCode).toBe(410);
    expect(response.json().error.code).toBe('invitation_expired');
  });

  it('refuses an unknown or revoked invitation', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const unknown = await new Browser(t.app).post('/api/invitations/lookup', { token: 'A'.repeat(43) });
    expect(unknown.json().error.code).toBe('invitation_invalid');
    const email = uniqueEmail();
    const created = (
      await admin.browser.post('/api/admin/invitations', { email, name: 'X', role: 'member' })
    ).json();
    await admin.browser.delete(`/api/admin/invitations/${created.id}`);
    const token = tokenFromMail(t.mailer.sent.findLast((m) => m.to === email)!.text, '/invitation');
    expect((await new Browser(t.app).post('/api/invitations/lookup', { token })).json().error.code).toBe(
      'invitation_invalid',
    );
  });
});

describe('brute force and session lifetime', () => {
  it('holds back wrong passwords from an unknown browser without ever locking the account', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = new Browser(t.app, undefined, '203.0.113.9');
    const pre = (await browser.post('/api/auth/prelogin', { email: admin.email })).json();
    const wrongSecret = await loginSecretFor('not the password at all', pre.kdfSalt, pre.kdfParams);
    for (let i = 0; i < 6; i++) {
      const r = await browser.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret });
      expect(r.json().error.code).toBe('invalid_credentials');
    }
    const held = await signInWithPassword(admin, browser);
    expect(held.statusCode).toBe(429);
    expect(held.json().error.code).toBe('sign_in_delayed');
    expect(held.headers['retry-after']).toBe('1');
    t.clock.advance(1000);
    expect((await signInWithPassword(admin, browser)).json()).toEqual({ stage: 'second_factor' });
  });

  it('gives unknown addresses a stable salt, so prelogin does not reveal accounts', async () => {
    const a = (await new Browser(t.app).post('/api/auth/prelogin', { email: 'nobody@example.nl' })).json();
    const b = (await new Browser(t.app).post('/api/auth/prelogin', { email: 'NOBODY@example.nl' })).json();
    expect(a.kdfSalt).toBe(b.kdfSalt);
    expect(a.kdfSalt).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('ends a session after the idle timeout', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    t.clock.advance(31 * 60_000);
    const me = await admin.browser.get('/api/me');
    expect(me.statusCode).toBe(401);
  });

  it('ends every session when the user is deactivated', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const member = await createMember(t, admin);
    expect((await member.browser.get('/api/me')).statusCode).toBe(200);
    const response = await admin.browser.patch(`/api/admin/users/${member.id}`, { status: 'deactivated' });
    expect(response.json().status).toBe('deactivated');
    expect((await member.browser.get('/api/me')).statusCode).toBe(401);
    const again = await signInWithPassword(member, new Browser(t.app));
    expect(again.json().error.code).toBe('user_deactivated');
  });

  it('ends a revoked session at its next request, and only that one', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const other = new Browser(t.app);
    await signInWithPassword(admin, other);
    await other.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: false,
    });
    const sessions = (await admin.browser.get('/api/account/sessions')).json();
    const otherSession = sessions.find((s: { isCurrent: boolean }) => !s.isCurrent);
    expect((await other.get('/api/me')).statusCode).toBe(200);
    await admin.browser.delete(`/api/account/sessions/${otherSession.id}`);
    expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await admin.browser.get('/api/me')).statusCode).toBe(200);
  });

  it('refuses a deactivated user on the next request even while the session row still exists', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const member = await createMember(t, admin);
    expect((await member.browser.get('/api/me')).statusCode).toBe(200);
    // Straight in the database, so only the per-request status check stands between them.
    await t.deps.db.updateTable('users').set({ status: 'deactivated' }).where('id', '=', member.id).execute();
    expect((await member.browser.get('/api/me')).statusCode).toBe(401);
  });

  it('signs out everywhere', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const other = new Browser(t.app);
    await signInWithPassword(admin, other);
    await other.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, t.clock),
      trustDevice: false,
    });
    expect((await admin.browser.get('/api/account/sessions')).json()).toHaveLength(2);
    await admin.browser.post('/api/auth/sign-out-everywhere');
    expect((await other.get('/api/me')).statusCode).toBe(401);
    expect((await admin.browser.get('/api/me')).statusCode).toBe(401);
  });
});
