import { inviteUser } from '../src/features/accounts/invitations.ts';
import { createOrganisation } from '../src/features/accounts/organisations.ts';
import { Browser, loginSecretFor, type TestApp, tokenFromMail, totpCode } from './harness.ts';

export interface TestUser {
  email: string;
  password: string;
  totpSecret: string;
  browser: Browser;
  id: string;
}

let counter = 0;
/** Unique per test file run, so suites can share a PostgreSQL database without clashes. */
export function uniqueEmail(prefix = 'user'): string {
  counter++;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}@example.nl`;
}

/** Accepts an invitation mail in a fresh browser, sets a password and enrols TOTP: a full session. */
export async function acceptAndEnrol(
  t: TestApp,
  email: string,
  password = 'correct horse battery staple',
): Promise<TestUser> {
  const mail = t.mailer.sent.findLast((m) => m.to === email);
  if (!mail) throw new Error(`no invitation mail for ${email}`);
  const token = tokenFromMail(mail.text, '/invitation');
  const browser = new Browser(t.app);
  const lookup = (await browser.post('/api/invitations/lookup', { token })).json();
  const loginSecret = await loginSecretFor(password, lookup.kdfSalt, lookup.kdfParams);
  const accepted = await browser.post('/api/invitations/accept', {
    token,
    name: `Name of ${email}`,
    loginSecret,
  });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
  const begin = (await browser.post('/api/auth/totp/begin')).json();
  const confirm = await browser.post('/api/auth/totp/confirm', {
    code: totpCode(begin.secret, t.clock),
    trustDevice: false,
  });
  if (confirm.statusCode !== 200) throw new Error(`enrolment failed: ${confirm.body}`);
  const me = (await browser.get('/api/me')).json();
  // The next code must come from a later time step (each step is accepted once).
  t.clock.advance(30_000);
  return { email, password, totpSecret: begin.secret, browser, id: me.id };
}

/** An organisation with a signed-in admin (full session). */
export async function createOrganisationWithAdmin(t: TestApp, name = 'Gemeente Testdorp') {
  const org = await createOrganisation(t.deps, { name, mailDomains: ['testdorp.nl'] });
  const email = uniqueEmail('admin');
  await inviteUser(t.deps, null, org.id, { email, name: 'Anna Admin', role: 'admin' }, null);
  const admin = await acceptAndEnrol(t, email);
  return { org, admin };
}

/** A member invited by the admin through the API, then enrolled. */
export async function createMember(
  t: TestApp,
  admin: TestUser,
  role: 'admin' | 'member' = 'member',
): Promise<TestUser> {
  const email = uniqueEmail('member');
  const response = await admin.browser.post('/api/admin/invitations', { email, name: 'Mark Member', role });
  if (response.statusCode !== 201) throw new Error(`invite failed: ${response.body}`);
  return acceptAndEnrol(t, email);
}

/** Signs in from a given browser; returns the sign-in stage. */
export async function signInWithPassword(user: Pick<TestUser, 'email' | 'password'>, browser: Browser) {
  const pre = (await browser.post('/api/auth/prelogin', { email: user.email })).json();
  const loginSecret = await loginSecretFor(user.password, pre.kdfSalt, pre.kdfParams);
  return browser.post('/api/auth/sign-in', { email: user.email, loginSecret });
}

export { totpCode };

/** A 1×1 PNG, as an organisation logo. */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082',
  'hex',
);

/** Uploads TINY_PNG as the organisation's logo with an admin's browser. */
export function uploadTestLogo(admin: { browser: Browser }) {
  return admin.browser.put('/api/admin/organisation/logo', {
    type: 'image/png',
    data: TINY_PNG.toString('base64url'),
  });
}
