import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMember,
  createOrganisationWithAdmin,
  signInWithPassword,
  type TestUser,
} from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import { SoftAuthenticator } from '../../../test/soft-authenticator.ts';

/**
 * Passkeys as staff's second factor (issue 13, item 11): several per account, named, renamed,
 * removed; the WebAuthn ceremony checks (origin, challenge used once, own credential only) are
 * those of @simplewebauthn/server, exercised here with a software authenticator.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const ORIGIN = 'http://zegel.test';

async function addPasskey(user: TestUser, name: string, authenticator = new SoftAuthenticator(ORIGIN)) {
  const options = (await user.browser.post('/api/account/passkeys/options')).json();
  const response = await user.browser.post('/api/account/passkeys', {
    name,
    credential: authenticator.register(options),
  });
  expect(response.statusCode, response.body).toBe(201);
  return { authenticator, passkey: response.json() };
}

async function atSecondFactor(user: TestUser) {
  const browser = new Browser(t.app);
  expect((await signInWithPassword(user, browser)).json()).toEqual({ stage: 'second_factor' });
  return browser;
}

describe('managing passkeys', () => {
  it('registers several, lists, renames and removes them, each audited', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const laptop = await addPasskey(admin, 'Laptop');
    const key = await addPasskey(admin, 'Beveiligingssleutel');
    const list = (await admin.browser.get('/api/account/passkeys')).json();
    expect(list.map((p: { name: string }) => p.name)).toEqual(['Laptop', 'Beveiligingssleutel']);
    expect(list[0]).toEqual({
      id: laptop.passkey.id,
      name: 'Laptop',
      createdAt: expect.any(String),
      lastUsedAt: null,
    });

    expect(
      (await admin.browser.patch(`/api/account/passkeys/${key.passkey.id}`, { name: 'YubiKey' })).statusCode,
    ).toBe(200);
    expect((await admin.browser.delete(`/api/account/passkeys/${laptop.passkey.id}`)).statusCode).toBe(200);
    expect(
      (await admin.browser.get('/api/account/passkeys')).json().map((p: { name: string }) => p.name),
    ).toEqual(['YubiKey']);
    const actions = await t.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('actor_user_id', '=', admin.id)
      .execute();
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining(['auth.passkey_added', 'auth.passkey_renamed', 'auth.passkey_removed']),
    );
  });

  it('refuses the same authenticator twice, a wrong origin and a challenge used before', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const options = (await admin.browser.post('/api/account/passkeys/options')).json();
    const phone = new SoftAuthenticator(ORIGIN);
    const phishing = await admin.browser.post('/api/account/passkeys', {
      name: 'x',
      credential: phone.register(options, { origin: 'https://zegel.example.com' }),
    });
    expect(phishing.json().error.code).toBe('verification_failed');
    // That attempt used the challenge up.
    const replay = await admin.browser.post('/api/account/passkeys', {
      name: 'x',
      credential: phone.register(options),
    });
    expect(replay.json().error.code).toBe('verification_failed');
    await addPasskey(admin, 'Telefoon', phone);
    const again = (await admin.browser.post('/api/account/passkeys/options')).json();
    expect(again.excludeCredentials).toEqual([expect.objectContaining({ id: phone.id })]);
    const twice = await admin.browser.post('/api/account/passkeys', {
      name: 'y',
      credential: phone.register(again),
    });
    expect(twice.statusCode).toBe(409);
  });

  it('lets nobody rename or remove another person’s passkey', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const member = await createMember(t, admin);
    const { passkey } = await addPasskey(member, 'Van Mark');
    expect(
      (await admin.browser.patch(`/api/account/passkeys/${passkey.id}`, { name: 'weg' })).statusCode,
    ).toBe(404);
    expect((await admin.browser.delete(`/api/account/passkeys/${passkey.id}`)).statusCode).toBe(404);
    expect((await member.browser.get('/api/account/passkeys')).json()).toHaveLength(1);
    expect((await admin.browser.get('/api/account/passkeys')).json()).toEqual([]);
  });

  it('is for full sessions only', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const halfway = await atSecondFactor(admin);
    expect((await halfway.post('/api/account/passkeys/options')).statusCode).toBe(401);
    expect((await new Browser(t.app).get('/api/account/passkeys')).statusCode).toBe(401);
  });
});

describe('a passkey as the second factor', () => {
  it('turns the password step into a full session', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const { authenticator } = await addPasskey(admin, 'Laptop');
    const browser = await atSecondFactor(admin);
    const options = (await browser.post('/api/auth/passkey/options')).json();
    expect(options.allowCredentials).toEqual([expect.objectContaining({ id: authenticator.id })]);
    expect(options.userVerification).toBe('required');
    const done = await browser.post('/api/auth/passkey', { credential: authenticator.authenticate(options) });
    expect(done.json()).toEqual({ stage: 'full' });
    expect((await browser.get('/api/me')).json().stage).toBe('full');
    expect((await admin.browser.get('/api/account/passkeys')).json()[0].lastUsedAt).not.toBeNull();
  });

  it('refuses a wrong origin, a used challenge, another person’s passkey and a full session', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const member = await createMember(t, admin);
    const own = await addPasskey(admin, 'Laptop');
    const other = await addPasskey(member, 'Van Mark');
    const browser = await atSecondFactor(admin);
    let options = (await browser.post('/api/auth/passkey/options')).json();
    const phished = await browser.post('/api/auth/passkey', {
      credential: own.authenticator.authenticate(options, { origin: 'https://zegel.example.com' }),
    });
    expect(phished.json().error.code).toBe('second_factor_invalid');
    const replayed = await browser.post('/api/auth/passkey', {
      credential: own.authenticator.authenticate(options),
    });
    expect(replayed.json().error.code).toBe('second_factor_invalid');
    options = (await browser.post('/api/auth/passkey/options')).json();
    const foreign = await browser.post('/api/auth/passkey', {
      credential: other.authenticator.authenticate(options),
    });
    expect(foreign.json().error.code).toBe('second_factor_invalid');
    expect((await browser.get('/api/me')).json().stage).toBe('second_factor');
    expect((await admin.browser.post('/api/auth/passkey/options')).statusCode).toBe(401);
  });

  it('says so when the account has no passkey', async () => {
    const { admin } = await createOrganisationWithAdmin(t);
    const browser = await atSecondFactor(admin);
    expect((await browser.post('/api/auth/passkey/options')).statusCode).toBe(404);
  });
});
