/**
 * The contact-page part of issue 6 in real Chromium against a real embedded server: an admin
 * opens one team to new conversations in the team settings and leaves another replies-only; a
 * person without an account sees only the open team on `/contact/<slug>`, can filter the list,
 * and the replies-only team's address says clearly that it takes no new conversations. Script in
 * the team fields stays inert; axe (WCAG 2.1 AA) on the contact pages and the team settings.
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

const XSS = '<img src=x onerror=alert(1)>';
const OPEN_TEAM = 'Parket Noord-Nederland';
const CLOSED_TEAM = 'Griffie civiel';

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
