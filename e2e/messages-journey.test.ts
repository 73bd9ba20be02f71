/**
 * The secure-messages journey of issue 3 in real Chromium against a real embedded server that
 * sends its notification mail to a real SMTP server on loopback and its texts to a local fake of
 * CM.com's API. A staff member sends a message with two attachments to a guest verified by SMS,
 * a guest with an access code and a team; both guests open, verify, read, download
 * byte-identical attachments and reply with an attachment; the staff side sees the replies and
 * receipts; five wrong codes make a guest wait until the sender unlocks; a damaged fragment is
 * refused before any code is asked; revoking closes the guest page. Axe (WCAG 2.1 AA) on compose, conversation and guest
 * pages; no CSP violations; script in subject, body and file names stays inert.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cleanFileName } from '@zegel/protocol/file-names';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import {
  type FakeSmsProvider,
  type SmtpSink,
  startFakeCmSms,
  startSmtpSink,
  waitFor,
} from './support/loopback-fakes.ts';
import { repositoryRoot, startZegelServer, type ZegelServer } from './support/zegel-server.ts';

const screenshotDir = process.env.ZEGEL_E2E_SCREENSHOTS;
const SMS_GUEST = { email: 'jan.jansen@example.nl', phone: '06 12345678' };
const CODE_GUEST = { email: 'mr.de.boer@advocaat.example', code: 'Zonnebloem-42', hint: 'Ons dossiernummer' };
const TEAM = 'Jeugdzaken';
const COLLEAGUE = {
  email: 'collega.jeugdzaken@voorbeeld.localhost',
  name: 'Kim Collega',
  password: 'paarse olifant fietst naar utrecht',
};
const XSS = '<img src=x onerror=alert(1)>';
const SUBJECT = `Dagvaarding zaak 4711 ${XSS}`;
const BODY = 'Geachte heer Jansen, bijgaand de stukken. <script>alert(2)</script>';
const files = [
  { name: 'dagvaarding.pdf', mimeType: 'application/pdf', buffer: randomBytes(700 * 1024) },
  { name: `${XSS}.txt`, mimeType: 'text/plain', buffer: Buffer.from('Bijlage met een lastige naam\n') },
];
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let smtp: SmtpSink;
let sms: FakeSmsProvider;
let server: ZegelServer;
let browser: Browser;
const contexts: { context: BrowserContext; cspViolations: string[] }[] = [];
/** alert/prompt dialogs and injected images: any of them means script ran. */
const injected: string[] = [];

beforeAll(async () => {
  smtp = await startSmtpSink();
  sms = await startFakeCmSms();
  server = await startZegelServer({
    env: {
      ZEGEL_EMBEDDED: 'true',
      SMTP_URL: smtp.url,
      SMS_PROVIDER: 'cm',
      CM_PRODUCT_TOKEN: 'e2e-product-token',
      CM_API_URL: sms.cmApiUrl,
      ZEGEL_JOB_POLL_MS: '200',
    },
  });
  browser = await launchChromium();
  if (screenshotDir) await mkdir(join(repositoryRoot, screenshotDir), { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await smtp?.stop();
  await sms?.stop();
});

async function newPage(): Promise<Page> {
  const opened = await openContext(browser, server.url);
  contexts.push(opened);
  opened.context.on('dialog', (dialog) => {
    if (dialog.type() === 'confirm') void dialog.accept();
    else {
      injected.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    }
  });
  return opened.context.newPage();
}

async function checkScreen(page: Page, title: string | RegExp, name: string) {
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.locator('[role="status"].zegel-loading').first().waitFor({ state: 'detached' });
  expect(await findAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
  if (screenshotDir)
    await page.screenshot({ path: join(repositoryRoot, screenshotDir, `${name}.png`), fullPage: true });
}

async function expectInert(page: Page) {
  const images = await page.locator('img[src="x"]').count();
  if (images > 0) injected.push(`${images} injected image(s) on ${page.url()}`);
  expect(injected).toEqual([]);
}

/** Opens a guest link in a fresh browser profile (the link's host is the server's public URL). */
async function openGuestLink(link: string): Promise<Page> {
  const page = await newPage();
  const url = new URL(link);
  await page.goto(`${url.pathname}${url.hash}`);
  return page;
}

/** Downloads each attachment; returns the SHA-256 of each saved file and the name it was saved under. */
async function downloadAll(page: Page): Promise<{ name: string; hash: string }[]> {
  const saved: { name: string; hash: string }[] = [];
  for (const file of files) {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page
        // Names are shown as cleaned (no path or reserved characters): `<img …>.txt` reads `_img …_.txt`.
        .getByRole('button', { name: `${cleanFileName(file.name).name} downloaden` })
        .first()
        .click(),
    ]);
    saved.push({
      name: download.suggestedFilename(),
      hash: sha256(await readFile((await download.path()) as string)),
    });
  }
  return saved;
}

async function reply(page: Page, prefix: string, text: string, attachment: { name: string; buffer: Buffer }) {
  await page.locator(`#${prefix}-body`).click();
  await page.keyboard.type(text);
  await page.locator(`#${prefix}-files`).setInputFiles({ ...attachment, mimeType: 'text/plain' });
  await page.getByRole('button', { name: 'Versleuteld antwoorden' }).click();
  await page.getByRole('status').filter({ hasText: 'Uw antwoord is versleuteld verstuurd' }).waitFor();
}

function guestLink(address: string): string {
  const mail = smtp.mails.find((m) => m.to.includes(address));
  const text = mail?.parsed.text ?? '';
  const match = /https?:\/\/\S+\/g\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}/.exec(text);
  if (!match) throw new Error(`no guest link in the mail to ${address}`);
  return match[0];
}

/** The unlock prompt appears when the key-wrapping key is not in memory (after a reload). */
async function unlockIfAsked(page: Page, password: string) {
  const heading = page.getByRole('heading', { level: 1 });
  await expect.poll(async () => (await heading.first().textContent()) ?? '').not.toMatch(/^$/);
  if ((await heading.first().textContent())?.includes('ontgrendelen')) {
    await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
  }
}

describe('messages journey', () => {
  let staff: Page;
  let colleague: Page;
  let teamId = '';
  const replyFiles = {
    sms: { name: 'antwoord-jansen.txt', buffer: randomBytes(2048) },
    code: { name: 'pleitnota.txt', buffer: randomBytes(4096) },
  };

  it('lets a staff member compose and send to an SMS guest, an access-code guest and a team', async () => {
    staff = await newPage();
    await signInAsDemo(staff, server.demo);

    const me = (await (await staff.request.get('/api/me')).json()) as { id: string };
    const headers = { 'x-zegel-csrf': '1' };
    const team = await staff.request.post('/api/admin/teams', {
      headers,
      data: { name: TEAM, description: '' },
    });
    expect(team.status()).toBe(201);
    teamId = ((await team.json()) as { id: string }).id;
    const member = await staff.request.put(`/api/teams/${teamId}/members/${me.id}`, {
      headers,
      data: { role: 'member' },
    });
    expect(member.ok()).toBe(true);

    // A colleague in the same team, so the team's copy is read by someone other than the sender:
    // invited, password and TOTP through the screens, and a key pair made on first use.
    const invited = await staff.request.post('/api/admin/invitations', {
      headers,
      data: { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'member' },
    });
    expect(invited.status()).toBe(201);
    const invitation = await waitFor('the colleague’s invitation', () =>
      smtp.mails.find((m) => m.to.includes(COLLEAGUE.email)),
    );
    colleague = await newPage();
    await acceptInvitation(
      colleague,
      /https?:\/\/\S+\/invitation#[A-Za-z0-9_-]{43}/.exec(invitation.parsed.text ?? '')?.[0] ?? '',
      COLLEAGUE.password,
    );
    const colleagueMe = (await (await colleague.request.get('/api/me')).json()) as { id: string };
    const added = await staff.request.put(`/api/teams/${teamId}/members/${colleagueMe.id}`, {
      headers,
      data: { role: 'member' },
    });
    expect(added.ok()).toBe(true);
    await colleague.getByRole('link', { name: 'Berichten' }).click();
    await unlockIfAsked(colleague, COLLEAGUE.password);
    await colleague.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
    const colleagueKeys = (await (await colleague.request.get('/api/account/keys')).json()) as {
      keys: unknown;
    };
    expect(colleagueKeys.keys).not.toBeNull();

    // In-app navigation keeps the key-wrapping key from sign-in: keys are made without a prompt.
    await staff.getByRole('link', { name: 'Berichten' }).click();
    await checkScreen(staff, 'Postvak IN', 'inbox-empty');
    expect(await staff.getByText('U hebt nog geen berichten ontvangen.').count()).toBe(1);
    const keys = (await (await staff.request.get('/api/account/keys')).json()) as { keys: unknown };
    expect(keys.keys).not.toBeNull();
    expect(
      await staff.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })),
    ).not.toMatch(/key/i);

    await staff.getByRole('link', { name: 'Nieuw bericht' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();
    const to = staff.locator('#compose-to');
    await to.fill('geen-adres');
    await to.press('Enter');
    await expect.poll(() => to.getAttribute('aria-invalid')).toBe('true');
    await to.fill(SMS_GUEST.email);
    await to.press('Enter');
    await to.fill(CODE_GUEST.email);
    await to.press('Enter');
    await to.fill(TEAM.slice(0, 5));
    await staff.getByRole('button', { name: `Team ${TEAM}` }).click();

    await staff.getByRole('radio', { name: 'Toegangscode' }).nth(1).check();
    await staff.locator('input[id$="-code"]').fill(CODE_GUEST.code);
    await staff.getByLabel('Hint voor de toegangscode (optioneel)').fill(CODE_GUEST.hint);
    await staff.getByLabel('Onderwerp').fill(SUBJECT);
    await staff.locator('#compose-body').click();
    await staff.keyboard.type(BODY);
    await staff.locator('#compose-files').setInputFiles(files);
    await staff.locator('#compose-files').setInputFiles({
      name: 'te-groot.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    // Too large for an attachment: it becomes a large file ("Bestanden versturen", tus); not this time.
    await staff.getByRole('progressbar', { name: 'Uploadvoortgang van te-groot.bin' }).waitFor();
    await staff.getByRole('button', { name: 'te-groot.bin niet versturen' }).click();
    await staff
      .getByRole('progressbar', { name: 'Uploadvoortgang van te-groot.bin' })
      .waitFor({ state: 'detached' });

    // The SMS guest has no phone number yet: nothing is sent and the composer says what is missing.
    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();
    await staff.getByText('Er is nog niets verstuurd, naar niemand.').waitFor();
    expect(await staff.locator('#compose-issues').textContent()).toContain(
      `${SMS_GUEST.email}: mobiel nummer ontbreekt`,
    );
    await checkScreen(staff, 'Nieuw bericht', 'compose');
    await staff.getByLabel('Mobiel nummer').fill(SMS_GUEST.phone);
    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();

    await checkScreen(staff, SUBJECT, 'conversation-sent');
    await staff.getByText('Geachte heer Jansen').waitFor();
    expect(await staff.locator('.zegel-item__body').textContent()).toContain('<script>alert(2)</script>');
    await expectInert(staff);
  });

  it('delivers the notification mails to the SMTP server on loopback, without content', async () => {
    // Wait for each recipient by name: the colleague's invitation is in the sink too, so a count would race.
    const recipients = [SMS_GUEST.email, CODE_GUEST.email, server.demo.email.toLowerCase()];
    await waitFor('a notification mail to every recipient', () =>
      recipients.every((address) => smtp.mails.some((m) => m.to.includes(address))) ? true : undefined,
    );
    for (const mail of smtp.mails) {
      const all = `${mail.parsed.subject}\n${mail.parsed.text}\n${mail.parsed.html || ''}`;
      expect(all).not.toContain('Dagvaarding');
      expect(all).not.toContain('Jansen, bijgaand');
      expect(all).not.toContain('dagvaarding.pdf');
    }
    expect(smtp.mails.some((m) => m.to.includes(server.demo.email.toLowerCase()))).toBe(true);
    guestLink(SMS_GUEST.email);
    guestLink(CODE_GUEST.email);
  });

  it('lets the SMS guest verify, read, download byte-identical attachments and reply', async () => {
    const guest = await openGuestLink(guestLink(SMS_GUEST.email));
    await checkScreen(guest, 'Bevestig dat u het bent', 'guest-verify-sms');
    expect(guest.url()).not.toContain('#');
    await guest.getByRole('button', { name: 'Stuur mij een sms-code' }).click();
    const text = await waitFor('an SMS to the guest', () =>
      sms.messages.find((m) => m.to.replace(/\D/g, '').endsWith('612345678')),
    );
    expect(text.productToken).toBe('e2e-product-token');
    const code = /\b(\d{6})\b/.exec(text.text)?.[1] ?? '';
    await guest.getByRole('button', { name: 'Stuur opnieuw' }).waitFor();
    await guest.getByLabel('Sms-code').fill(code);
    await guest.getByRole('button', { name: 'Bevestigen' }).click();
    await checkScreen(guest, SUBJECT, 'guest-message');
    await guest.getByText('Geachte heer Jansen').waitFor();
    await expectInert(guest);

    const saved = await downloadAll(guest);
    expect(saved.map((s) => s.hash)).toEqual(files.map((file) => sha256(file.buffer)));
    expect(saved[0]?.name).toBe(files[0]?.name);

    await reply(guest, 'guest-reply', 'Dank u, ik kom op de zitting.', replyFiles.sms);
    await guest.getByRole('heading', { level: 2, name: /Antwoord van/ }).waitFor();
    await checkScreen(guest, SUBJECT, 'guest-replied');
  });

  it('lets the access-code guest see the hint, survive a wrong code, read and reply', async () => {
    const guest = await openGuestLink(guestLink(CODE_GUEST.email));
    await checkScreen(guest, 'Bevestig dat u het bent', 'guest-verify-code');
    await guest.getByText(`Hint van de afzender: ${CODE_GUEST.hint}`).waitFor();
    await guest.getByLabel('Toegangscode').fill('verkeerd');
    await guest.getByRole('button', { name: 'Bevestigen' }).click();
    await guest.getByText('U kunt het nog 4 keer proberen').waitFor();
    await guest.getByLabel('Toegangscode').fill(CODE_GUEST.code);
    await guest.getByRole('button', { name: 'Bevestigen' }).click();
    await guest.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
    const saved = await downloadAll(guest);
    expect(saved.map((s) => s.hash)).toEqual(files.map((file) => sha256(file.buffer)));
    await reply(guest, 'guest-reply', 'Ontvangen, met dank.', replyFiles.code);
    await expectInert(guest);
  });

  it('shows a damaged-link page, and decrypts nothing, when the fragment was altered', async () => {
    const link = new URL(guestLink(CODE_GUEST.email));
    const fragment = link.hash.slice(1);
    const middle = Math.floor(fragment.length / 2);
    link.hash =
      fragment.slice(0, middle) + (fragment[middle] === 'A' ? 'B' : 'A') + fragment.slice(middle + 1);
    const guest = await openGuestLink(link.toString());
    // The link proof from the altered fragment does not match: refused before any code is asked.
    await guest.getByRole('heading', { level: 1, name: 'Deze link is niet compleet' }).waitFor();
    expect(await guest.getByText('Geachte heer Jansen').count()).toBe(0);
    expect(await guest.getByText(CODE_GUEST.hint).count()).toBe(0);
  });

  it('shows the staff member the replies and receipts after a reload asks for the password again', async () => {
    await staff.reload();
    await checkScreen(staff, 'Berichten ontgrendelen', 'unlock');
    await staff.getByLabel('Wachtwoord', { exact: true }).fill('niet het wachtwoord');
    await staff.getByRole('button', { name: 'Ontgrendelen' }).click();
    await staff.getByRole('alert').filter({ hasText: 'wachtwoord klopt niet' }).waitFor();
    await staff.getByLabel('Wachtwoord', { exact: true }).fill(server.demo.password);
    await staff.getByRole('button', { name: 'Ontgrendelen' }).click();
    await checkScreen(staff, SUBJECT, 'conversation');
    await staff.getByText('Dank u, ik kom op de zitting.').waitFor();
    await staff.getByText('Ontvangen, met dank.').waitFor();

    const smsRow = staff.locator(`tr[data-participant="${SMS_GUEST.email}"]`);
    await expect.poll(() => smsRow.textContent()).toContain('Geopend');
    expect(await smsRow.textContent()).toContain('dagvaarding.pdf');
    const codeRow = staff.locator(`tr[data-participant="${CODE_GUEST.email}"]`);
    expect(await codeRow.textContent()).toContain('Geopend');

    const [download] = await Promise.all([
      staff.waitForEvent('download'),
      staff.getByRole('button', { name: `${replyFiles.sms.name} downloaden` }).click(),
    ]);
    expect(sha256(await readFile((await download.path()) as string))).toBe(sha256(replyFiles.sms.buffer));

    await staff.getByRole('link', { name: 'Bewijs van aflevering' }).click();
    await checkScreen(staff, 'Bewijs van aflevering', 'proof-of-delivery');
    await staff.getByRole('cell', { name: 'Bijlage gedownload' }).first().waitFor();
    await staff.getByRole('link', { name: 'Terug naar het bericht' }).click();
    await staff.getByRole('heading', { level: 1, name: SUBJECT }).waitFor();
  });

  it('makes the access-code guest wait after five wrong codes, until the sender unlocks', async () => {
    const guest = await openGuestLink(guestLink(CODE_GUEST.email));
    await guest.getByRole('heading', { level: 1, name: 'Bevestig dat u het bent' }).waitFor();
    for (let left = 4; left >= 1; left--) {
      await guest.getByLabel('Toegangscode').fill(`verkeerd-${left}`);
      await guest.getByRole('button', { name: 'Bevestigen' }).click();
      await guest.getByText(`U kunt het nog ${left} keer proberen`).waitFor();
    }
    await guest.getByLabel('Toegangscode').fill('verkeerd-0');
    await guest.getByRole('button', { name: 'Bevestigen' }).click();
    await checkScreen(guest, 'Even geduld', 'guest-locked');
    await guest.getByText(/opnieuw proberen vanaf .* \(over ongeveer 1 minuut\)/).waitFor();

    // The sender sees the lock (after the page fetched the receipts again) and ends it.
    await staff.getByRole('link', { name: 'Bewijs van aflevering' }).click();
    await staff.getByRole('link', { name: 'Terug naar het bericht' }).click();
    await staff.getByRole('button', { name: `Ontgrendelen voor ${CODE_GUEST.email}` }).click();
    await staff.getByText(`Ontgrendeld voor ${CODE_GUEST.email}`).waitFor();
    await guest.getByRole('button', { name: 'Opnieuw proberen' }).click();
    await guest.getByRole('heading', { level: 1, name: 'Bevestig dat u het bent' }).waitFor();
  });

  it('shows the team mailbox with the conversation and the replies', async () => {
    await staff.getByRole('link', { name: `Team ${TEAM}` }).click();
    await checkScreen(staff, `Postvak van team ${TEAM}`, 'team-mailbox');
    await staff.getByRole('link', { name: SUBJECT }).click();
    await staff.getByText('Ontvangen, met dank.').waitFor();
    await expectInert(staff);
  });

  it('lets a colleague in the team read the conversation and the replies with the team key', async () => {
    // A reload drops the keys from memory; unlocking loads the team key wrapped for this colleague.
    await colleague.reload();
    await unlockIfAsked(colleague, COLLEAGUE.password);
    await colleague.getByRole('link', { name: `Team ${TEAM}` }).click();
    await colleague.getByRole('heading', { level: 1, name: `Postvak van team ${TEAM}` }).waitFor();
    await colleague.getByRole('link', { name: SUBJECT }).click();
    await colleague.getByText('Geachte heer Jansen').waitFor();
    await colleague.getByText('Dank u, ik kom op de zitting.').waitFor();
    await colleague.getByText('Ontvangen, met dank.').waitFor();
    await expectInert(colleague);
  });

  it('revokes for everyone, after which the guest page shows revoked', async () => {
    await staff.getByRole('button', { name: 'Intrekken voor alle externe ontvangers' }).click();
    await staff.getByText('Ingetrokken voor alle externe ontvangers.').waitFor();
    const guest = await openGuestLink(guestLink(SMS_GUEST.email));
    await checkScreen(guest, 'Dit bericht is ingetrokken', 'guest-revoked');
    expect(await guest.getByText('Geachte heer Jansen').count()).toBe(0);

    const broken = await newPage();
    await broken.goto(new URL(guestLink(CODE_GUEST.email)).pathname);
    await checkScreen(broken, 'Deze link is niet compleet', 'guest-bad-link');
  });

  it('saw no CSP violation and no script run on any page', () => {
    expect(contexts.flatMap((c) => c.cspViolations)).toEqual([]);
    expect(injected).toEqual([]);
  });
});
