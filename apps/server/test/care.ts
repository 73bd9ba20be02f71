import {
  deriveAccountSecrets,
  fromBase64Url,
  generateKeyPair,
  type KeyPair,
  toBase64Url,
  wrapPrivateKey,
} from '@zegel/protocol/crypto';
import { inviteUser } from '../src/features/accounts/invitations.ts';
import { createOrganisation } from '../src/features/accounts/organisations.ts';
import { acceptAndEnrol, signInWithPassword, type TestUser, totpCode, uniqueEmail } from './factories.ts';
import { Browser, type TestApp } from './harness.ts';

/** A person's browser (client, representative, carer): a personal account, not a staff one. */
export interface TestPerson {
  email: string;
  password: string;
  browser: Browser;
  keys: KeyPair;
}

/** The token of the care-network invitation mailed to `email`. */
export function careInvitationToken(t: TestApp, email: string): string {
  const mail = t.mailer.sent.findLast((m) => m.to === email && m.subject.includes('zorgnetwerk'));
  if (!mail) throw new Error(`no care invitation mail for ${email}`);
  const match = /\/zorgnetwerk\/uitnodiging#([A-Za-z0-9_-]{43})/.exec(mail.text);
  if (!match?.[1]) throw new Error('no invitation link in mail');
  return match[1];
}

/** The browser's side of accepting an invitation: derive the login secret, make and wrap a key pair. */
export async function acceptCareInvitation(
  t: TestApp,
  email: string,
  password = 'mijn eigen wachtwoord 2026',
): Promise<TestPerson> {
  const token = careInvitationToken(t, email);
  const browser = new Browser(t.app);
  const lookup = (await browser.post('/api/care/invitations/lookup', { token })).json();
  const secrets = await deriveAccountSecrets(password, fromBase64Url(lookup.kdfSalt), lookup.kdfParams);
  const keys = await generateKeyPair();
  const wrapped = await wrapPrivateKey(keys.privateKey, secrets.keyWrappingKey, email);
  const accepted = await browser.post('/api/care/invitations/accept', {
    token,
    loginSecret: secrets.loginSecret,
    publicKey: toBase64Url(keys.publicKey),
    wrappedPrivateKey: toBase64Url(wrapped),
  });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
  return { email, password, browser, keys };
}

/** Signs a person in from `browser`; returns the stage (device_code on a browser not trusted). */
export async function signInPerson(person: Pick<TestPerson, 'email' | 'password'>, browser: Browser) {
  const pre = (await browser.post('/api/care/auth/prelogin', { email: person.email })).json();
  const { loginSecret } = await deriveAccountSecrets(
    person.password,
    fromBase64Url(pre.kdfSalt),
    pre.kdfParams,
  );
  return browser.post('/api/care/auth/sign-in', { email: person.email, loginSecret });
}

/** The last device code mailed to `email`. */
export function deviceCodeFromMail(t: TestApp, email: string): string {
  const mail = t.mailer.sent.findLast((m) => m.to === email && m.subject.includes('inlogcode'));
  const match = mail ? /code is (\d{6})/.exec(mail.text) : null;
  if (!match?.[1]) throw new Error(`no device code for ${email}`);
  return match[1];
}

/** An organisation with an admin and staff members, each with a full session. */
export async function careOrganisation(
  t: TestApp,
  name: string,
  staff: number,
): Promise<{ id: string; admin: TestUser; staff: TestUser[] }> {
  const org = await createOrganisation(t.deps, { name, mailDomains: [] });
  const enrol = async (role: 'admin' | 'member') => {
    const email = uniqueEmail(role);
    await inviteUser(t.deps, null, org.id, { email, name: `${role} of ${name}`, role }, null);
    return acceptAndEnrol(t, email);
  };
  const admin = await enrol('admin');
  const members: TestUser[] = [];
  for (let i = 0; i < staff; i++) members.push(await enrol('member'));
  return { id: org.id, admin, staff: members };
}

/** After the clock moved on days: staff sign in again (password and authenticator code). */
export async function signInStaffAgain(t: TestApp, users: TestUser[]) {
  for (const user of users) {
    const signIn = await signInWithPassword(user, user.browser);
    if (signIn.json().stage === 'full') continue;
    t.clock.advance(30_000);
    const code = totpCode(user.totpSecret, t.clock);
    const done = await user.browser.post('/api/auth/second-factor', { code, trustDevice: false });
    if (done.statusCode !== 200) throw new Error(`second factor failed: ${done.body}`);
  }
}

/** After the clock moved on days: people sign in again, entering the mailed code if asked. */
export async function signInPeopleAgain(t: TestApp, people: TestPerson[]) {
  for (const person of people) {
    const signIn = await signInPerson(person, person.browser);
    if (signIn.statusCode !== 200) throw new Error(`sign-in failed: ${signIn.body}`);
    if (signIn.json().stage === 'full') continue;
    const code = deviceCodeFromMail(t, person.email);
    const done = await person.browser.post('/api/care/auth/device-code', { code });
    if (done.statusCode !== 200) throw new Error(`device code failed: ${done.body}`);
  }
}
