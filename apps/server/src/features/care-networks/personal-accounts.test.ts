import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acceptCareInvitation,
  careInvitationToken,
  careOrganisation,
  deviceCodeFromMail,
  signInPerson,
  type TestPerson,
} from '../../../test/care.ts';
import { type TestUser, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';

const DAY = 86_400_000;
let t: TestApp;
let coordinator: TestUser;
let client: TestPerson;
let networkId: string;
const clientEmail = uniqueEmail('client');

beforeAll(async () => {
  t = await createTestApp();
  const host = await careOrganisation(t, 'Wijkteam Noord', 1);
  coordinator = host.staff[0] as TestUser;
  const created = await coordinator.browser.post('/api/care-networks', {
    name: 'Netwerk meneer De Boer',
    client: { name: 'Henk de Boer', email: clientEmail },
    legalBasis: 'wettelijke_taak',
  });
  networkId = created.json().id;
});
afterAll(async () => {
  await t.close();
});

describe('the invitation link', () => {
  it('says nothing about the client in the mail, and cannot be guessed', async () => {
    const mail = t.mailer.sent.findLast((m) => m.to === clientEmail);
    expect(mail?.text).toContain('Wijkteam Noord');
    expect(mail?.text).not.toContain('De Boer');
    const wrong = await new Browser(t.app).post('/api/care/invitations/lookup', { token: 'A'.repeat(43) });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().error.code).toBe('invitation_invalid');
  });

  it('makes a personal account with its own key pair, and works once', async () => {
    const token = careInvitationToken(t, clientEmail);
    client = await acceptCareInvitation(t, clientEmail);
    const me = await client.browser.get('/api/care/me');
    expect(me.json()).toMatchObject({
      name: 'Henk de Boer',
      email: clientEmail,
      publicKey: expect.any(String),
    });
    expect(me.json().wrappedPrivateKey.length).toBeGreaterThan(40);
    const again = await new Browser(t.app).post('/api/care/invitations/lookup', { token });
    expect(again.statusCode).toBe(410);
    expect(again.json().error.code).toBe('invitation_used');
    expect((await client.browser.get(`/api/care-networks/${networkId}`)).json().myRole).toBe('client');
  });

  it('expires: a link older than 14 days is refused and makes no account', async () => {
    const email = uniqueEmail('carer');
    await coordinator.browser.post(`/api/care-networks/${networkId}/members`, {
      role: 'carer',
      name: 'Dochter De Boer',
      email,
      legalBasis: 'toestemming',
      consentRecord: { kind: 'written' },
    });
    const token = careInvitationToken(t, email);
    t.clock.advance(15 * DAY);
    const browser = new Browser(t.app);
    const lookup = await browser.post('/api/care/invitations/lookup', { token });
    expect(lookup.statusCode).toBe(410);
    expect(lookup.json().error.code).toBe('invitation_expired');
    const accept = await browser.post('/api/care/invitations/accept', {
      token,
      loginSecret: 'B'.repeat(43),
      publicKey: 'C'.repeat(43),
      wrappedPrivateKey: 'D'.repeat(60),
    });
    expect(accept.statusCode).toBe(410);
    expect((await signInPerson({ email, password: 'x' }, browser)).statusCode).toBe(401);
  });
});

describe('the device code', () => {
  it('the browser that accepted the link is trusted; a session ends but no code is asked', async () => {
    expect((await client.browser.post('/api/care/auth/sign-out')).statusCode).toBe(200);
    expect((await client.browser.get(`/api/care-networks/${networkId}`)).statusCode).toBe(401);
    const sent = t.mailer.sent.length;
    const signIn = await signInPerson(client, client.browser);
    expect(signIn.json().stage).toBe('full');
    expect(t.mailer.sent.length).toBe(sent);
  });

  it('another browser is asked for a code at once, and reads nothing before it', async () => {
    const other = new Browser(t.app, 'Mozilla/5.0 (iPhone) Safari/605.1');
    const signIn = await signInPerson(client, other);
    expect(signIn.json().stage).toBe('device_code');
    expect((await other.get(`/api/care-networks/${networkId}`)).statusCode).toBe(401);
    expect((await other.get('/api/care/me')).statusCode).toBe(401);
    const code = deviceCodeFromMail(t, clientEmail);
    const wrong = await other.post('/api/care/auth/device-code', {
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(401);
    expect((await other.post('/api/care/auth/device-code', { code })).statusCode).toBe(200);
    expect((await other.get(`/api/care-networks/${networkId}`)).statusCode).toBe(200);
  });

  it('five wrong codes end the half-signed-in session', async () => {
    const other = new Browser(t.app, 'Mozilla/5.0 (Android) Chrome/131');
    await signInPerson(client, other);
    const code = deviceCodeFromMail(t, clientEmail);
    const wrongCode = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) await other.post('/api/care/auth/device-code', { code: wrongCode });
    expect((await other.post('/api/care/auth/device-code', { code })).statusCode).toBe(401);
  });

  it('signing in again does not buy fresh guesses: wrong codes count per account', async () => {
    for (let round = 0; round < 2; round++) {
      const other = new Browser(t.app, `Mozilla/5.0 round ${round}`);
      await signInPerson(client, other);
      const code = deviceCodeFromMail(t, clientEmail);
      for (let i = 0; i < 5; i++)
        await other.post('/api/care/auth/device-code', { code: code === '000000' ? '111111' : '000000' });
    }
    const last = new Browser(t.app, 'Mozilla/5.0 last');
    await signInPerson(client, last);
    const refused = await last.post('/api/care/auth/device-code', {
      code: deviceCodeFromMail(t, clientEmail),
    });
    expect(refused.statusCode).toBe(429);
  });

  it('is asked again after 30 days on the trusted browser', async () => {
    // The browser was trusted when the link was accepted, 15 days ago (the expiry test moved on).
    t.clock.advance(14 * DAY);
    expect((await signInPerson(client, client.browser)).json().stage).toBe('full');
    t.clock.advance(2 * DAY);
    expect((await signInPerson(client, client.browser)).json().stage).toBe('device_code');
    const code = deviceCodeFromMail(t, clientEmail);
    expect((await client.browser.post('/api/care/auth/device-code', { code })).statusCode).toBe(200);
    expect((await signInPerson(client, client.browser)).json().stage).toBe('full');
  });

  it('a wrong password is refused without saying whether the address exists', async () => {
    const browser = new Browser(t.app);
    const wrong = await signInPerson({ email: clientEmail, password: 'fout wachtwoord' }, browser);
    const unknown = await signInPerson(
      { email: uniqueEmail('niemand'), password: 'fout wachtwoord' },
      browser,
    );
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe(unknown.json().error.code);
  });

  it('codes and tokens never reach the logs', async () => {
    const code = deviceCodeFromMail(t, clientEmail);
    expect(JSON.stringify(t.logs)).not.toContain(code);
  });
});
