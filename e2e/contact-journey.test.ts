/**
 * Issue 6 in real Chromium against a real embedded server: an admin opens one team to new
 * conversations in the team settings and leaves another replies-only; a team member assigns a
 * team conversation and marks it done (history shown); a person without an account sees only the
 * open team on `/contact/<slug>`, filters the list, proves their address (proof of work in a Web
 * Worker, code read from the embedded outbox, a wrong code first) and sends a message with an
 * attachment, encrypted to the team; a team member sees it in the team mailbox and assigns it to a
 * colleague (invited and enrolled through the screens), who replies; the person reads the reply,
 * in the team's name, through the guest link from the confirmation mail and downloads their
 * attachment byte-identical. The replies-only team's address says clearly that it takes no new
 * conversations. Script in every field stays inert; axe (WCAG 2.1 AA) on the settings, the contact
 * pages, the conversation, the team mailbox and the guest page.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

/** Codes mailed by the contact form, and the last mail per address, read from the embedded outbox. */
const codes = new Map<string, string>();
const mails: { recipient: string; subject: string; textBody: string }[] = [];
async function pollOutbox() {
  const response = await fetch(`${server.url}/api/outbox`);
  const items = (await response.json()) as { recipient: string; subject: string; textBody: string }[];
  mails.splice(0, mails.length, ...items);
  for (const item of items) {
    const code = item.subject.startsWith('Uw code') ? item.textBody.match(/\b(\d{6})\b/)?.[1] : undefined;
    if (code) codes.set(item.recipient, code);
  }
}
const linkIn = (pattern: RegExp, recipient: string, subject: string) =>
  mails.find((m) => m.recipient === recipient && m.subject.startsWith(subject))?.textBody.match(pattern)?.[0];
async function waitFor<T>(what: string, find: () => T | undefined): Promise<T> {
  for (let i = 0; i < 100; i++) {
    await pollOutbox();
    const found = find();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const XSS = '<img src=x onerror=alert(1)>';
const OPEN_TEAM = 'Parket Noord-Nederland';
const CLOSED_TEAM = 'Griffie civiel';
const PERSON = 'p.de.vries@example.nl';
const TEAM_SUBJECT = 'Aangifte doorgestuurd';
const PERSON_SUBJECT = `Vraag over mijn zaak ${XSS}`;
const PERSON_FILE = {
  name: 'brief.txt',
  mimeType: 'text/plain',
  buffer: Buffer.from('Mijn brief aan het parket.\n'),
};
const COLLEAGUE = { email: 'j.jansen@parket.example', name: 'Jan Jansen', password: 'Zegel-Collega-2026!' };
const REPLY = 'Wij hebben uw vraag ontvangen en nemen haar in behandeling.';

let server: ZegelServer;
let browser: Browser;
const contexts: { context: BrowserContext; cspViolations: string[] }[] = [];
const injected: string[] = [];

beforeAll(async () => {
  server = await startZegelServer({ env: { ZEGEL_EMBEDDED: 'true' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function newPage(): Promise<Page> {
  const opened = await openContext(browser, server.url);
  contexts.push(opened);
  opened.context.on('dialog', (dialog) => {
    injected.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return opened.context.newPage();
}

/** After a full page load the key-wrapping key is gone from memory: the app asks for the password. */
async function unlockIfAsked(page: Page, password = server.demo.password) {
  const heading = page.getByRole('heading', { level: 1 });
  await expect.poll(async () => (await heading.first().textContent()) ?? '').not.toMatch(/^$/);
  if ((await heading.first().textContent())?.includes('ontgrendelen')) {
    await page.getByLabel('Wachtwoord', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Ontgrendelen' }).click();
  }
}

async function expectAccessible(page: Page, name: string) {
  expect(await findAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
}

describe('contact page', () => {
  let staff: Page;
  let slug: string;
  let openTeamId: string;
  let closedTeamId: string;

  it('lets an admin open a team to new conversations in the team settings', async () => {
    staff = await newPage();
    await signInAsDemo(staff, server.demo);

    const headers = { 'x-zegel-csrf': '1' };
    const organisation = (await (await staff.request.get('/api/admin/organisation')).json()) as {
      slug: string;
    };
    slug = organisation.slug;
    for (const name of [OPEN_TEAM, CLOSED_TEAM]) {
      const team = await staff.request.post('/api/admin/teams', { headers, data: { name, description: '' } });
      expect(team.status()).toBe(201);
      const id = ((await team.json()) as { id: string }).id;
      if (name === OPEN_TEAM) openTeamId = id;
      else closedTeamId = id;
    }

    // The demo user has used Zegel's messages before (their account key exists), but no member
    // opens the messages between adding them to the team and the citizen's first message.
    await staff.goto('/messages');
    await unlockIfAsked(staff);
    await staff.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();

    await staff.goto('/admin/teams');
    const linkSection = staff.getByRole('region', { name: 'Link naar de contactpagina' });
    await linkSection.getByRole('link', { name: new RegExp(`/contact/${slug}$`) }).waitFor();
    expect(await linkSection.locator('code').textContent()).toMatch(/^<a href="http.*\/contact\//);
    const section = staff.getByRole('region', { name: OPEN_TEAM });
    await section.getByLabel('Neemt nieuwe gesprekken aan via de contactpagina').check();
    await section.getByLabel('Omschrijving').fill(`Strafzaken in het noorden ${XSS}`);
    await section.getByLabel('Regio').fill('Groningen, Friesland, Drenthe');
    await section.getByLabel('Verwachte reactietijd').fill('Binnen 5 werkdagen');
    await section.getByLabel('Openingstijden').fill('ma-vr 9:00-17:00');
    await section.getByRole('button', { name: 'Contactinstellingen opslaan' }).click();
    await section.getByText(`De contactinstellingen van ${OPEN_TEAM} zijn opgeslagen.`).waitFor();
    await expectAccessible(staff, 'team settings');

    // Open but without a member it cannot receive: the admin sees why, and the page leaves it out.
    await section
      .getByText('Dit team kan nog geen beveiligde berichten ontvangen', { exact: false })
      .waitFor();
    await section.getByText('Voeg een lid toe', { exact: false }).waitFor();
    const listed = async () =>
      (
        (await (await staff.request.get(`/api/contact/${slug}`)).json()) as { teams: { id: string }[] }
      ).teams.map((team) => team.id);
    expect(await listed()).toEqual([]);
    // Adding the first member makes the team key in this (the admin's) browser, wrapped to them.
    const me = (await (await staff.request.get('/api/me')).json()) as { id: string };
    await section.getByLabel('Lid toevoegen').selectOption(me.id);
    await section.getByRole('button', { name: 'Toevoegen' }).click();
    await section.getByText('Dit team kan beveiligde berichten ontvangen.').waitFor();
    expect(await listed()).toEqual([openTeamId]);
    await expectAccessible(staff, 'team with a key');

    const saved = (await (await staff.request.get(`/api/teams/${openTeamId}/contact-settings`)).json()) as {
      acceptsNewConversations: boolean;
    };
    expect(saved.acceptsNewConversations).toBe(true);
    const closed = (await (
      await staff.request.get(`/api/teams/${closedTeamId}/contact-settings`)
    ).json()) as {
      acceptsNewConversations: boolean;
    };
    expect(closed.acceptsNewConversations).toBe(false);
  });

  it('lets a team member assign a team conversation and mark it done (axe on the team mailbox)', async () => {
    const headers = { 'x-zegel-csrf': '1' };
    const me = (await (await staff.request.get('/api/me')).json()) as { id: string };
    const joined = await staff.request.put(`/api/teams/${openTeamId}/members/${me.id}`, {
      headers,
      data: { role: 'member' },
    });
    expect(joined.ok()).toBe(true);
    await staff.goto('/messages');
    await unlockIfAsked(staff);
    await staff.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
    await staff.getByRole('link', { name: 'Nieuw bericht' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();
    await staff.locator('#compose-to').fill('Parket');
    await staff.getByRole('button', { name: `Team ${OPEN_TEAM}` }).click();
    await staff.getByLabel('Onderwerp').fill(TEAM_SUBJECT);
    await staff.locator('#compose-body').click();
    await staff.keyboard.type('Graag oppakken.');
    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();
    await staff.getByRole('heading', { level: 1, name: TEAM_SUBJECT }).waitFor();

    const panel = staff.getByRole('region', { name: `Afhandeling door ${OPEN_TEAM}` });
    await panel.getByText('Nog niet toegewezen.').waitFor();
    await panel.getByLabel('Toewijzen aan').selectOption({ index: 1 });
    await panel.getByRole('button', { name: 'Toewijzen' }).click();
    await panel.getByText(/^Toegewezen aan /).waitFor();
    await panel.getByRole('button', { name: 'Markeren als afgehandeld' }).click();
    await panel.getByText('Het gesprek is afgehandeld.').waitFor();
    await panel.getByText(/markeerde als afgehandeld$/).waitFor();
    await expectAccessible(staff, 'conversation with team handling');

    await staff.goto(`/messages/teams/${openTeamId}`);
    await unlockIfAsked(staff);
    await staff.getByText(TEAM_SUBJECT).first().waitFor();
    await staff.getByRole('cell', { name: 'Afgehandeld' }).waitFor();
    // The demo user is an admin, so the team's own settings are on its mailbox page too.
    await staff
      .getByRole('region', { name: 'Instellingen van het team' })
      .getByLabel('Neemt nieuwe gesprekken aan via de contactpagina')
      .waitFor();
    await expectAccessible(staff, 'team mailbox');
  });

  it('shows a person without an account only the open team, with a filter', async () => {
    const person = await newPage();
    await person.goto(`/contact/${slug}`);
    await person.getByRole('heading', { level: 1, name: /^Contact met / }).waitFor();
    await person.getByRole('heading', { level: 2, name: OPEN_TEAM }).waitFor();
    expect(await person.getByText(CLOSED_TEAM).count()).toBe(0);
    expect(await person.getByText(`Strafzaken in het noorden ${XSS}`).count()).toBe(1);
    expect(await person.getByText('Binnen 5 werkdagen').count()).toBe(1);
    await expectAccessible(person, 'contact page');

    await person.getByLabel('Zoek een team').fill('Limburg');
    await person.getByText('0 teams').waitFor();
    expect(await person.getByRole('heading', { level: 2, name: OPEN_TEAM }).count()).toBe(0);
    await person.getByLabel('Zoek een team').fill('friesland');
    await person.getByRole('heading', { level: 2, name: OPEN_TEAM }).waitFor();

    await person.getByRole('link', { name: `Begin een gesprek met ${OPEN_TEAM}` }).click();
    await person.getByRole('heading', { level: 1, name: `Beveiligd bericht aan ${OPEN_TEAM}` }).waitFor();
    await expectAccessible(person, 'contact team page');

    // The address step: a proof of work solved in a Web Worker, then the code from the outbox.
    await person.getByRole('textbox', { name: 'Uw e-mailadres' }).fill(PERSON);
    await person.getByRole('button', { name: 'Stuur mij een code' }).click();
    await person.getByText(`We hebben een code gestuurd naar ${PERSON}.`, { exact: false }).waitFor();
    const code = await waitFor('the code mail', () => codes.get(PERSON));
    await person.getByLabel('Code uit de e-mail').fill(code === '000000' ? '111111' : '000000');
    await person.getByRole('button', { name: 'Bevestigen' }).click();
    await person.getByText('Deze code klopt niet of is verlopen.', { exact: false }).waitFor();
    await person.getByLabel('Code uit de e-mail').fill(code);
    await person.getByRole('button', { name: 'Bevestigen' }).click();
    await person.getByText(`Uw e-mailadres ${PERSON} is bevestigd.`).waitFor();
    await expectAccessible(person, 'contact address confirmed');

    // The message: subject, text and an attachment, encrypted here to the team.
    await person.getByRole('button', { name: 'Beveiligd versturen' }).click();
    await person.getByText('Vul een onderwerp in.').waitFor();
    await person.getByLabel('Onderwerp').fill(PERSON_SUBJECT);
    await person.locator('#contact-body').click();
    await person.keyboard.type(`Wanneer hoor ik meer? ${XSS}`);
    await person.locator('#contact-files').setInputFiles(PERSON_FILE);
    await expectAccessible(person, 'contact message form');
    await person.getByRole('button', { name: 'Beveiligd versturen' }).click();
    await person.getByRole('heading', { name: 'Uw bericht is verstuurd' }).first().waitFor();
    await expectAccessible(person, 'contact message sent');
  });

  it('puts the message in the team mailbox; a member assigns it to a colleague, who replies in the team name', async () => {
    const headers = { 'x-zegel-csrf': '1' };
    const invited = await staff.request.post('/api/admin/invitations', {
      headers,
      data: { email: COLLEAGUE.email, name: COLLEAGUE.name, role: 'member' },
    });
    expect(invited.status()).toBe(201);
    const invitation = await waitFor('the invitation', () =>
      linkIn(/https?:\/\/\S+\/invitation#[A-Za-z0-9_-]{43}/, COLLEAGUE.email, ''),
    );
    const colleague = await newPage();
    await acceptInvitation(colleague, invitation, COLLEAGUE.password);
    await colleague.getByRole('link', { name: 'Berichten' }).click();
    await unlockIfAsked(colleague, COLLEAGUE.password);
    await colleague.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
    const colleagueId = ((await (await colleague.request.get('/api/me')).json()) as { id: string }).id;
    const added = await staff.request.put(`/api/teams/${openTeamId}/members/${colleagueId}`, {
      headers,
      data: { role: 'member' },
    });
    expect(added.ok()).toBe(true);

    // The member sees the person's conversation in the team mailbox (decrypted with the team key;
    // loading the keys also wraps the team key for the new colleague) and assigns it.
    await staff.goto(`/messages/teams/${openTeamId}`);
    await unlockIfAsked(staff);
    await staff.getByRole('link', { name: PERSON_SUBJECT }).click();
    await staff.getByRole('heading', { level: 1, name: PERSON_SUBJECT }).waitFor();
    await staff.getByText(`Wanneer hoor ik meer? ${XSS}`).waitFor();
    const panel = staff.getByRole('region', { name: `Afhandeling door ${OPEN_TEAM}` });
    await panel.getByLabel('Toewijzen aan').selectOption({ label: COLLEAGUE.name });
    await panel.getByRole('button', { name: 'Toewijzen' }).click();
    await panel.getByText(`Toegewezen aan ${COLLEAGUE.name}.`).waitFor();
    const conversationPath = new URL(staff.url()).pathname;
    await expectAccessible(staff, 'contact conversation in the team mailbox');
    await staff.getByRole('link', { name: `Team ${OPEN_TEAM}` }).click();
    await staff.getByRole('row', { name: new RegExp(`Bij ${COLLEAGUE.name}`) }).waitFor();

    await colleague.goto(conversationPath);
    await unlockIfAsked(colleague, COLLEAGUE.password);
    await colleague.getByRole('heading', { level: 1, name: PERSON_SUBJECT }).waitFor();
    await colleague.locator('#reply-body').click();
    await colleague.keyboard.type(REPLY);
    await colleague.getByRole('button', { name: 'Versleuteld antwoorden' }).click();
    await colleague.getByRole('status').filter({ hasText: 'Uw antwoord is versleuteld verstuurd' }).waitFor();
    await colleague.getByText(`${COLLEAGUE.name} namens ${OPEN_TEAM}`, { exact: false }).first().waitFor();
  });

  it('lets the person read the reply, in the team name, through the guest link', async () => {
    const link = await waitFor('the confirmation mail', () =>
      linkIn(/https?:\/\/\S+\/g\/[0-9a-f-]{36}#[A-Za-z0-9_-]{43}/, PERSON, 'Ontvangen: uw bericht'),
    );
    const person = await newPage();
    const url = new URL(link);
    await person.goto(`${url.pathname}${url.hash}`);
    await person.getByRole('button', { name: 'Bericht openen' }).click();
    await person.getByRole('heading', { level: 1, name: PERSON_SUBJECT }).waitFor();
    await person.getByText(REPLY).waitFor();
    await person.getByRole('heading', { name: `Antwoord van ${OPEN_TEAM}` }).waitFor();
    expect(await person.getByText(COLLEAGUE.name).count()).toBe(0);
    const [download] = await Promise.all([
      person.waitForEvent('download'),
      person.getByRole('button', { name: `${PERSON_FILE.name} downloaden` }).click(),
    ]);
    expect(await readFile((await download.path()) as string)).toEqual(PERSON_FILE.buffer);
    await expectAccessible(person, 'guest page of a contact conversation');
    expect(await person.locator('img[src="x"]').count()).toBe(0);
  });

  it("refuses new conversations at a replies-only team's address with a clear message", async () => {
    const person = await newPage();
    await person.goto(`/contact/${slug}/${closedTeamId}`);
    await person
      .getByRole('heading', { level: 1, name: 'Dit team neemt geen nieuwe gesprekken aan' })
      .waitFor();
    await person
      .getByText('U kunt alleen antwoorden op berichten die het team u stuurt.', { exact: false })
      .waitFor();
    await expectAccessible(person, 'replies-only team');
    const api = await person.request.get(`/api/contact/${slug}/teams/${closedTeamId}`);
    expect(api.status()).toBe(403);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('contact_closed');
  });

  it('ran no injected script and broke no CSP rule', async () => {
    expect(injected).toEqual([]);
    expect(contexts.flatMap((c) => c.cspViolations)).toEqual([]);
  });
});
