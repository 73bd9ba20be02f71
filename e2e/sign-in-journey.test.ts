/**
 * The sign-in journey of issue 2 in real Chromium against a real embedded server: an admin
 * invites a user, the user accepts, chooses a password, enrols TOTP, trusts the browser, and
 * revoking that trust brings the code back. Every screen is checked with axe (WCAG 2.1 AA) and
 * for CSP violations; bad input is tried on the way.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTotpCode,
  findAccessibilityViolations,
  launchChromium,
  openContext,
} from './support/browser.ts';
import { repositoryRoot, startZegelServer, type ZegelServer } from './support/zegel-server.ts';

const USER = {
  email: 'sanne.de-vries@voorbeeld.localhost',
  name: 'Sanne de Vries',
  password: 'lange zin over de waddenzee 42',
};
/** Set ZEGEL_E2E_SCREENSHOTS=dir to keep a PNG of every checked screen. */
const screenshotDir = process.env.ZEGEL_E2E_SCREENSHOTS;

let server: ZegelServer;
let browser: Browser;
const contexts: { context: BrowserContext; cspViolations: string[] }[] = [];

beforeAll(async () => {
  server = await startZegelServer();
  browser = await launchChromium();
  if (screenshotDir) await mkdir(join(repositoryRoot, screenshotDir), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** A new browser profile; `origin` defaults to the server's own URL. */
async function newPage(origin = server.url): Promise<Page> {
  const opened = await openContext(browser, origin);
  contexts.push(opened);
  return opened.context.newPage();
}

/** Waits for the screen's h1, then runs axe; a screenshot is kept on request. */
async function checkScreen(page: Page, title: string | RegExp, name: string) {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.locator('[role="status"].zegel-loading').first().waitFor({ state: 'detached' });
  expect(await findAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
  if (screenshotDir)
    await page.screenshot({ path: join(repositoryRoot, screenshotDir, `${name}.png`), fullPage: true });
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Aanmelden' }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Afmelden', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Aanmelden' }).waitFor();
}

describe('sign-in journey', () => {
  let invitationLink = '';
  let userStep: number | null = null;
  let userSecret = '';

  it('lets the demo admin sign in with password and code, refusing bad input first', async () => {
    const page = await newPage();
    await page.goto('/');
    await checkScreen(page, 'Aanmelden', 'sign-in');

    await page.getByRole('button', { name: 'Aanmelden' }).click();
    const email = page.getByLabel('E-mailadres');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await email.getAttribute('aria-describedby')}`).textContent()).toContain(
      'geldig e-mailadres',
    );

    await signInWithPassword(page, server.demo.email, 'niet-het-goede-wachtwoord');
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toMatch(/e-mailadres of wachtwoord klopt niet[\s\S]*Referentie/);

    await signInWithPassword(page, server.demo.email, server.demo.password);
    await checkScreen(page, 'Code invullen', 'second-factor');
    expect(await page.getByLabel(/Deze browser 30 dagen vertrouwen/).isChecked()).toBe(false);

    const { code } = await createTotpCode(server.demo.totpSecret, null);
    await page.getByLabel('Code', { exact: true }).fill(code === '000000' ? '000001' : '000000');
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Deze code klopt niet');
    const me = await page.request.get('/api/me');
    expect((await me.json()).stage).toBe('second_factor');
    expect((await page.request.get('/api/admin/users')).status()).toBeGreaterThanOrEqual(400);

    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await checkScreen(page, 'Mijn account', 'account-admin');
    expect(await page.getByRole('banner').textContent()).toContain('Gemeente Voorbeeld');
  });

  it('invites a user from the admin screens', async () => {
    const page = contexts[0]!.context.pages()[0]!;
    await page.getByRole('link', { name: 'Beheer' }).click();
    await checkScreen(page, 'Gebruikers', 'admin-users');
    expect(await page.getByRole('cell', { name: server.demo.email }).count()).toBe(1);

    await page.getByRole('link', { name: 'Uitnodigingen' }).click();
    await checkScreen(page, 'Uitnodigingen', 'admin-invitations');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    await page.getByLabel('E-mailadres').fill('geen-adres');
    await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await expect.poll(() => page.getByLabel('E-mailadres').getAttribute('aria-invalid')).toBe('true');

    await page.getByLabel('E-mailadres').fill(USER.email);
    await page.getByLabel('Naam', { exact: true }).fill(USER.name);
    await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `verstuurd naar ${USER.email}` })
      .waitFor();
    await page.getByRole('cell', { name: USER.email, exact: true }).waitFor();

    await page.getByRole('link', { name: 'Organisatie' }).click();
    await checkScreen(page, 'Organisatie', 'admin-organisation');
    await page.getByRole('link', { name: 'Teams' }).click();
    await checkScreen(page, 'Teams', 'admin-teams');
    await page.getByRole('link', { name: 'Logboek' }).click();
    await checkScreen(page, 'Logboek', 'admin-audit');
    await page.getByRole('cell', { name: 'Uitnodiging verstuurd' }).first().waitFor();
  });

  it('shows the invitation mail in the outbox', async () => {
    const page = contexts[0]!.context.pages()[0]!;
    await page.goto('/outbox');
    // No axe here: it cannot inject into the sandboxed mail frames (which is the point of them).
    await page.getByRole('heading', { level: 1, name: 'Uitgaande berichten' }).waitFor();
    const mail = page
      .getByRole('listitem')
      .filter({ hasText: `E-mail aan ${USER.email}` })
      .first();
    expect(await mail.locator('iframe').getAttribute('sandbox')).toBe('');
    await mail.getByText('Tekstversie').click();
    const text = (await mail.locator('pre').textContent()) ?? '';
    const link = /(https?:\/\/\S+\/invitation#[A-Za-z0-9_-]{43})/.exec(text)?.[1];
    expect(link).toBeDefined();
    invitationLink = link!;
  });

  it('lets the invited user choose a password, refusing weak ones', async () => {
    // The link's origin is the server's public URL (http://localhost:PORT by default).
    const page = await newPage(new URL(invitationLink).origin);
    await page.goto(invitationLink);
    await checkScreen(page, 'Uitnodiging aannemen', 'invitation');
    expect(page.url()).not.toContain('#');
    const facts = await page.locator('.zegel-facts').textContent();
    expect(facts).toContain('Gemeente Voorbeeld');
    expect(facts).toContain(USER.email);

    const password = page.getByLabel('Nieuw wachtwoord');
    const confirmation = page.getByLabel('Herhaal het wachtwoord');
    const submit = page.getByRole('button', { name: 'Account aanmaken' });
    const errorOf = async (field: typeof password) => {
      await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
      const ids = (await field.getAttribute('aria-describedby'))!.split(' ');
      return page.locator(`#${ids.at(-1)}`).textContent();
    };

    await password.fill('Wachtwoord2024!');
    await confirmation.fill('Wachtwoord2024!');
    await submit.click();
    expect(await errorOf(password)).toContain('te bekend');

    await password.fill('sanne fietst graag');
    await confirmation.fill('sanne fietst graag');
    await submit.click();
    expect(await errorOf(password)).toContain('naam of e-mailadres');

    await password.fill(USER.password);
    await confirmation.fill(`${USER.password}!`);
    await submit.click();
    expect(await errorOf(confirmation)).toContain('niet gelijk');
    expect((await page.request.get('/api/me')).status()).toBe(401);

    await confirmation.fill(USER.password);
    await submit.click();
    await checkScreen(page, 'Authenticator-app instellen', 'enrolment');
  });

  it('enrols TOTP from the secret on screen and shows the recovery codes once', async () => {
    const page = contexts[1]!.context.pages()[0]!;
    const secret = (await page.getByTestId('totp-secret').textContent()) ?? '';
    userSecret = secret;
    expect(await page.getByRole('img', { name: /QR-code/ }).getAttribute('src')).toMatch(
      /^data:image\/svg\+xml/,
    );

    await page.getByLabel('Code', { exact: true }).fill('12345');
    await page.getByRole('button', { name: 'Instellen' }).click();
    await expect
      .poll(() => page.getByLabel('Code', { exact: true }).getAttribute('aria-invalid'))
      .toBe('true');

    const { code, step } = await createTotpCode(secret, null);
    userStep = step;
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Instellen' }).click();
    await checkScreen(page, 'Bewaar uw herstelcodes', 'recovery-codes');
    const codes = await page
      .getByRole('list', { name: 'Herstelcodes' })
      .getByRole('listitem')
      .allInnerTexts();
    expect(codes).toHaveLength(10);
    expect(codes[0]).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    await page.getByRole('button', { name: 'Verder' }).click();
    const saved = page.getByLabel('Ik heb de herstelcodes bewaard');
    await expect.poll(() => saved.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator(`#${await saved.getAttribute('aria-describedby')}`).textContent()).toBe(
      'Bevestig dat u de herstelcodes heeft bewaard.',
    );
    await saved.check();
    await page.getByRole('button', { name: 'Verder' }).click();
    await checkScreen(page, 'Mijn account', 'account-user');
    expect(await page.getByText('U vertrouwt nog geen browsers.').count()).toBe(1);
  });

  it('trusts the browser after the code, skips the code next time, and asks again after revoking', async () => {
    const page = contexts[1]!.context.pages()[0]!;
    await signOut(page);
    await signInWithPassword(page, USER.email, USER.password);
    await page.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();
    const { code, step } = await createTotpCode(userSecret, userStep);
    userStep = step;
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByLabel(/Deze browser 30 dagen vertrouwen/).check();
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();

    await signOut(page);
    await signInWithPassword(page, USER.email, USER.password);
    await checkScreen(page, 'Mijn account', 'account-trusted');
    const devices = page.getByRole('region', { name: 'Vertrouwde browsers' });
    await devices
      .getByRole('cell', { name: /Chrome/ })
      .first()
      .waitFor();
    expect(await devices.getByRole('row').count()).toBe(2);

    await devices.getByRole('button', { name: /Vertrouwen intrekken/ }).click();
    await page.getByText('U vertrouwt nog geen browsers.').waitFor();
    await signOut(page);
    await signInWithPassword(page, USER.email, USER.password);
    await page.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();
    expect((await (await page.request.get('/api/me')).json()).stage).toBe('second_factor');
  });

  it('after a stranger’s wrong passwords: the known browser goes on at once, a new one waits', async () => {
    const wrongSignIn = () =>
      fetch(`${server.url}/api/auth/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-zegel-csrf': '1' },
        body: JSON.stringify({ email: USER.email, loginSecret: 'A'.repeat(43) }),
      });
    // Five wrong passwords from elsewhere pass at once; the sixth starts a delay.
    for (let i = 0; i < 5; i++) expect((await wrongSignIn()).status).toBe(401);
    const known = contexts[1]!.context.pages()[0]!;
    await known.goto('/sign-in');
    await signInWithPassword(known, USER.email, USER.password);
    await known.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();

    // The sixth arrives just before a new browser's right password, which is then held back.
    const fresh = await newPage();
    let isFirst = true;
    await fresh.route('**/api/auth/sign-in', async (route) => {
      if (isFirst) expect((await wrongSignIn()).status).toBe(401);
      isFirst = false;
      await route.continue();
    });
    await signInWithPassword(fresh, USER.email, USER.password);
    await fresh.getByText(/Even wachten \(1 s\)/).waitFor();
    await fresh.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();

    const admin = contexts[0]!.context.pages()[0]!;
    await admin.goto('/admin/audit');
    await checkScreen(admin, 'Logboek', 'admin-audit-storms');
    const storms = admin.getByRole('region', { name: 'Mislukte aanmeldingen' });
    expect(await storms.getByRole('row', { name: new RegExp(USER.name) }).textContent()).toContain('6');
  });

  it('adds a passkey on the account page and uses it instead of the code', async () => {
    const page = contexts[1]!.context.pages()[0]!;
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    const { code, step } = await createTotpCode(userSecret, userStep);
    userStep = step;
    await page.getByLabel('Code', { exact: true }).fill(code);
    await page.getByRole('button', { name: 'Bevestigen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();

    const passkeys = page.getByRole('region', { name: 'Passkeys' });
    await passkeys.getByLabel('Naam van de passkey').fill('Laptop werk');
    await passkeys.getByRole('button', { name: 'Passkey toevoegen' }).click();
    await passkeys.getByText('Passkey ‘Laptop werk’ is toegevoegd.').waitFor();
    await passkeys.getByRole('rowheader', { name: 'Laptop werk' }).waitFor();
    await checkScreen(page, 'Mijn account', 'account-passkey');

    await signOut(page);
    await signInWithPassword(page, USER.email, USER.password);
    await page.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();
    await page.getByRole('button', { name: 'Passkey gebruiken' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();
    expect((await (await page.request.get('/api/me')).json()).stage).toBe('full');
  });

  it('raised no Content Security Policy violation on any page', () => {
    expect(contexts.length).toBe(3);
    expect(contexts.flatMap((c) => c.cspViolations)).toEqual([]);
  });
});
