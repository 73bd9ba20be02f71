import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMember,
  createOrganisationWithAdmin,
  signInWithPassword,
  type TestUser,
  TINY_PNG,
  uploadTestLogo,
} from '../../../test/factories.ts';
import {
  Browser,
  createTestApp,
  loginSecretFor,
  type TestApp,
  tokenFromMail,
} from '../../../test/harness.ts';

let t: TestApp;
let admin: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  ({ admin } = await createOrganisationWithAdmin(t));
});
afterAll(async () => {
  await t.close();
});

describe('organisation settings', () => {
  it('updates name, mail domains, branding tokens and trusted-device days', async () => {
    const response = await admin.browser.patch('/api/admin/organisation', {
      name: 'Gemeente Nieuwdorp',
      mailDomains: ['Nieuwdorp.NL', 'nieuwdorp.nl', 'zorg.nieuwdorp.nl'],
      branding: { 'color-primary': '#01689b', 'font-family': 'Rijksoverheid Sans, Arial' },
      trustedDeviceDays: 14,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'Gemeente Nieuwdorp',
      mailDomains: ['nieuwdorp.nl', 'zorg.nieuwdorp.nl'],
      branding: { 'color-primary': '#01689b' },
      trustedDeviceDays: 14,
    });
    expect((await admin.browser.get('/api/me')).json().organisation.branding['color-primary']).toBe(
      '#01689b',
    );
  });

  it.each([
    [{ branding: { 'color-primary': 'red; background: url(x)' } }, 'Not a valid value for color-primary'],
    [{ branding: { 'evil-token': '#000000' } }, 'Unknown design token'],
    [{ mailDomains: ['not a domain'] }, 'Not a valid mail domain'],
    [{ trustedDeviceDays: 365 }, 'trustedDeviceDays'],
    [{}, 'validation_failed'],
  ])('refuses %j', async (patch, message) => {
    const response = await admin.browser.patch('/api/admin/organisation', patch);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json())).toContain(message);
  });

  it('stores a raster logo and serves it to members, and refuses SVG and oversized files', async () => {
    const ok = await uploadTestLogo(admin);
    expect(ok.statusCode).toBe(200);
    const member = await createMember(t, admin);
    const logo = await member.browser.get('/api/organisation/logo');
    expect(logo.headers['content-type']).toBe('image/png');
    expect(Buffer.from(logo.rawPayload).equals(TINY_PNG)).toBe(true);
    const svg = await admin.browser.put('/api/admin/organisation/logo', {
      type: 'image/svg+xml',
      data: Buffer.from('<svg onload="alert(1)"/>').toString('base64url'),
    });
    expect(svg.json().error.code).toBe('validation_failed');
    const big = await admin.browser.put('/api/admin/organisation/logo', {
      type: 'image/png',
      data: Buffer.alloc(300 * 1024).toString('base64url'),
    });
    expect(big.statusCode).toBe(400);
  });
});

describe('users and invitations', () => {
  it('never lets the last active admin be demoted or deactivated', async () => {
    const { admin: onlyAdmin } = await createOrganisationWithAdmin(t, 'Gemeente Eenling');
    const demote = await onlyAdmin.browser.patch(`/api/admin/users/${onlyAdmin.id}`, { role: 'member' });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.code).toBe('last_admin');
    expect(
      (await onlyAdmin.browser.patch(`/api/admin/users/${onlyAdmin.id}`, { status: 'deactivated' }))
        .statusCode,
    ).toBe(409);
  });

  it('refuses to invite an address that already has an account', async () => {
    const response = await admin.browser.post('/api/admin/invitations', {
      email: admin.email,
      name: 'Twice',
      role: 'member',
    });
    expect(response.statusCode).toBe(409);
  });

  it('lists invitations with their status', async () => {
    const list = (await admin.browser.get('/api/admin/invitations')).json() as { status: string }[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((i) => ['open', 'used', 'revoked', 'expired'].includes(i.status))).toBe(true);
  });

  it('sends an invitation mail with the link in the fragment and no token elsewhere', () => {
    const mail = t.mailer.sent[0]!;
    expect(mail.subject).toContain('Uitnodiging');
    expect(mail.html).toContain('http://zegel.test/invitation#');
    expect(mail.text).toMatch(/http:\/\/zegel\.test\/invitation#[A-Za-z0-9_-]{43}/);
  });
});

describe('teams', () => {
  it('creates a team, adds members with roles, refuses a duplicate name', async () => {
    const member = await createMember(t, admin);
    const team = (
      await admin.browser.post('/api/admin/teams', { name: 'Wmo-loket', description: 'Vragen over de Wmo' })
    ).json();
    await admin.browser.put(`/api/teams/${team.id}/members/${member.id}`, { role: 'admin' });
    const teams = (await member.browser.get('/api/teams')).json();
    expect(teams.find((x: { id: string }) => x.id === team.id).members).toEqual([
      expect.objectContaining({ userId: member.id, role: 'admin' }),
    ]);
    expect((await member.browser.get('/api/me')).json().teams).toEqual([
      { id: team.id, name: 'Wmo-loket', role: 'admin' },
    ]);
    const duplicate = await admin.browser.post('/api/admin/teams', { name: 'Wmo-loket', description: '' });
    expect(duplicate.statusCode).toBe(409);
    expect((await admin.browser.delete(`/api/teams/${team.id}/members/${member.id}`)).statusCode).toBe(200);
    expect((await admin.browser.delete(`/api/teams/${team.id}/members/${member.id}`)).statusCode).toBe(404);
  });
});

describe('password reset', () => {
  it('sets a new password by mail link, ends sessions and devices, drops the key pair, and still asks the second factor', async () => {
    const user = await createMember(t, admin);
    await t.deps.db
      .updateTable('users')
      .set({ public_key: 'pk', wrapped_private_key: 'wk' })
      .where('id', '=', user.id)
      .execute();
    const anonymous = new Browser(t.app);
    expect((await anonymous.post('/api/auth/password-reset/request', { email: user.email })).statusCode).toBe(
      202,
    );
    // The same answer for an address without an account.
    expect(
      (await anonymous.post('/api/auth/password-reset/request', { email: 'nobody@nowhere.nl' })).statusCode,
    ).toBe(202);
    const mail = t.mailer.sent.findLast((m) => m.to === user.email)!;
    const token = tokenFromMail(mail.text, '/reset-password');
    const lookup = (await anonymous.post('/api/auth/password-reset/lookup', { token })).json();
    expect(lookup.email).toBe(user.email);
    const newPassword = 'a brand new long password';
    const loginSecret = await loginSecretFor(newPassword, lookup.kdfSalt, lookup.kdfParams);
    expect(
      (await anonymous.post('/api/auth/password-reset/complete', { token, loginSecret })).statusCode,
    ).toBe(200);

    expect((await user.browser.get('/api/me')).statusCode).toBe(401);
    const row = await t.deps.db
      .selectFrom('users')
      .select(['public_key', 'wrapped_private_key'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ public_key: null, wrapped_private_key: null });
    expect((await signInWithPassword(user, new Browser(t.app))).json().error.code).toBe(
      'invalid_credentials',
    );
    expect((await signInWithPassword({ ...user, password: newPassword }, new Browser(t.app))).json()).toEqual(
      { stage: 'second_factor' },
    );
    const reuse = await anonymous.post('/api/auth/password-reset/complete', { token, loginSecret });
    expect(reuse.json().error.code).toBe('reset_token_invalid');
  });

  it('refuses an expired reset link', async () => {
    const user = await createMember(t, admin);
    await new Browser(t.app).post('/api/auth/password-reset/request', { email: user.email });
    const token = tokenFromMail(t.mailer.sent.findLast((m) => m.to === user.email)!.text, '/reset-password');
    t.clock.advance(61 * 60_000);
    const response = await new Browser(t.app).post('/api/auth/password-reset/lookup', { token });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('reset_token_invalid');
  });
});
