/**
 * Issue 6 in real Chromium against a real embedded server: an admin opens one team to new
 * conversations in the team settings and leaves another replies-only; a team member assigns a
 * team conversation and marks it done (history shown); a person without an account sees only the
 * open team on `/contact/<slug>`, filters the list, proves their address (proof of work in a Web
 * Worker, code read from the embedded outbox, a wrong code first); the replies-only team's address
 * says clearly that it takes no new conversations. Script in the team fields stays inert; axe
 * (WCAG 2.1 AA) on the settings, the contact pages, the conversation and the team mailbox.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTotpCode,
  findAccessibilityViolations,
  launchChromium,
  openContext,
} from './support/browser.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

/** Codes mailed by the contact form, read from the embedded outbox as they arrive. */
const codes = new Map<string, string>();
async function pollOutbox() {
  const response = await fetch(`${server.url}/api/outbox`);
  const items = (await response.json()) as { recipient: string; subject: string; textBody: string }[];
  for (const item of items) {
    const code = item.subject.startsWith('Uw code') ? item.textBody.match(/\b(\d{6})\b/)?.[1] : undefined;
    if (code) codes.set(item.recipient, code);
  }
}
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
async function unlockIfAsked(page: Page) {
  const heading = page.getByRole('heading', { level: 1 });
  await expect.poll(async () => (await heading.first().textContent()) ?? '').not.toMatch(/^$/);
  if ((await heading.first().textContent())?.includes('ontgrendelen')) {
    await page.getByLabel('Wachtwoord', { exact: true }).fill(server.demo.password);
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
    await staff.goto('/sign-in');
    await staff.getByLabel('E-mailadres').fill(server.demo.email);
    await staff.getByLabel('Wachtwoord', { exact: true }).fill(server.demo.password);
    await staff.getByRole('button', { name: 'Aanmelden' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Code invullen' }).waitFor();
    const { code } = await createTotpCode(server.demo.totpSecret, null);
    await staff.getByLabel('Code', { exact: true }).fill(code);
    await staff.getByRole('button', { name: 'Bevestigen' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Mijn account' }).waitFor();

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

    await staff.goto('/admin/teams');
    const section = staff.getByRole('region', { name: OPEN_TEAM });
    await section.getByLabel('Neemt nieuwe gesprekken aan via de contactpagina').check();
    await section.getByLabel('Omschrijving').fill(`Strafzaken in het noorden ${XSS}`);
    await section.getByLabel('Regio').fill('Groningen, Friesland, Drenthe');
    await section.getByLabel('Verwachte reactietijd').fill('Binnen 5 werkdagen');
    await section.getByLabel('Openingstijden').fill('ma-vr 9:00-17:00');
    await section.getByRole('button', { name: 'Contactinstellingen opslaan' }).click();
    await section.getByText(`De contactinstellingen van ${OPEN_TEAM} zijn opgeslagen.`).waitFor();
    await expectAccessible(staff, 'team settings');

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
