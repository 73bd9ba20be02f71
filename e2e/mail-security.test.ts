/**
 * The Mail domains admin page in real Chromium against a real embedded server whose DNS resolver
 * (ZEGEL_DNS_RESOLVER) never answers: a check ends in a clear "could not check" state instead of
 * hanging, a bulk list shows ready / not ready per line, and the direct-delivery setting can be
 * switched; the mail gateway's rules are saved. Every state is checked with axe (WCAG 2.1 AA) and for CSP violations.
 */
import dgram from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { repositoryRoot, startZegelServer, type ZegelServer } from './support/zegel-server.ts';

let silentResolver: dgram.Socket;
let server: ZegelServer;
let browser: Browser;
let opened: { context: BrowserContext; cspViolations: string[] };
let page: Page;

beforeAll(async () => {
  silentResolver = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => silentResolver.bind(0, '127.0.0.1', resolve));
  server = await startZegelServer({
    env: { ZEGEL_DNS_RESOLVER: `127.0.0.1:${silentResolver.address().port}` },
  });
  browser = await launchChromium();
  opened = await openContext(browser, server.url);
  page = await opened.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  silentResolver?.close();
});

/** Set ZEGEL_E2E_SCREENSHOTS=dir to keep a PNG of every checked state. */
const screenshotDir = process.env.ZEGEL_E2E_SCREENSHOTS;

async function expectAccessible(name: string) {
  expect(await findAccessibilityViolations(page), `axe on ${name}`).toEqual([]);
  if (screenshotDir) {
    await mkdir(join(repositoryRoot, screenshotDir), { recursive: true });
    await page.screenshot({
      path: join(repositoryRoot, screenshotDir, `${name.replaceAll(' ', '-')}.png`),
      fullPage: true,
    });
  }
}

describe('mail domains admin page', () => {
  it('is reached from the admin navigation', async () => {
    await signInAsDemo(page, server.demo);

    await page.getByRole('link', { name: 'Beheer' }).click();
    await page.getByRole('link', { name: 'Maildomeinen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Maildomeinen' }).waitFor();
    await page.getByText('Nog geen controles.').waitFor();
    await page.getByLabel('Rechtstreekse bezorging toestaan aan domeinen die voldoen').waitFor();
    await expectAccessible('mail domains');
  });

  it('asks for a domain, refuses one that is not a domain name, then shows a clear error state', async () => {
    await page.getByRole('button', { name: 'Domein controleren' }).click();
    const domain = page.getByLabel('Maildomein');
    await expect.poll(() => domain.getAttribute('aria-invalid')).toBe('true');

    await domain.fill('geen_domein.nl');
    await page.getByRole('button', { name: 'Domein controleren' }).click();
    await expect
      .poll(() => page.locator('#mail-domain-error').textContent())
      .toContain('Dit is geen domeinnaam');

    await domain.fill('onbereikbaar-domein.nl');
    await page.getByRole('button', { name: 'Domein controleren' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Controle van onbereikbaar-domein.nl klaar' })
      .waitFor({ timeout: 60_000 });
    const report = page.getByRole('article', { name: 'Uitslag voor onbereikbaar-domein.nl' });
    await report.waitFor();
    expect(await report.textContent()).toContain('Niet elke controle was op tijd klaar');
    expect(await report.getByText('Niet klaar').count()).toBeGreaterThan(0);
    expect(await report.getByRole('row', { name: /DANE-overeenkomst/ }).textContent()).toContain(
      'Niet te controleren',
    );
    expect(await report.textContent()).toContain('Alleen via beveiligde link');
    await page
      .getByRole('row', { name: /onbereikbaar-domein\.nl/ })
      .first()
      .waitFor();
    await expectAccessible('mail domain check result');
  });

  it('checks a pasted list and shows per partner whether it is ready', async () => {
    await page
      .getByLabel('Domeinen of CSV-tekst')
      .fill('organisatie;domein\nPolitie;onbereikbaar-domein.nl\nFout;geen domein\n');
    await page.getByRole('button', { name: 'Alle domeinen controleren' }).click();
    const heading = page.getByRole('heading', { name: '0 van de 2 partners klaar' });
    await heading.waitFor({ timeout: 90_000 });
    const table = page.getByRole('table', { name: 'Uitslag per partnerdomein' });
    expect(await table.getByRole('row', { name: /geen domein/ }).textContent()).toContain('Geen domeinnaam');
    expect(await table.getByRole('row', { name: /onbereikbaar-domein\.nl/ }).textContent()).toMatch(
      /Niet klaar|Niet te controleren/,
    );
    const download = await page
      .getByRole('link', { name: 'Deze tabel downloaden (CSV)' })
      .getAttribute('href');
    const csv = await page.request.get(download ?? '');
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    expect(await csv.text()).toMatch(/^line,input,domain,status/);
    await expectAccessible('bulk check result');
  });

  it('switches direct delivery on and off', async () => {
    const setting = page.getByLabel('Rechtstreekse bezorging toestaan aan domeinen die voldoen');
    await setting.check();
    await page.getByRole('status').filter({ hasText: 'is nu toegestaan' }).waitFor();
    expect(await setting.isChecked()).toBe(true);
    await setting.uncheck();
    await page.getByRole('status').filter({ hasText: 'Rechtstreekse bezorging staat uit' }).waitFor();
    expect(
      (await (await page.request.get('/api/admin/mail-security/settings')).json()).allowDirectDelivery,
    ).toBe(false);
    expect(opened.cspViolations).toEqual([]);
  });

  it('shows the mail gateway rules and saves a changed tag list', async () => {
    await page.getByRole('link', { name: 'Mailgateway' }).click();
    await page.getByRole('heading', { level: 1, name: 'Mailgateway' }).waitFor();
    await page.getByText('De gateway heeft nog geen mail ontvangen.').waitFor();
    await page.getByLabel('Labels in het onderwerp').fill('[vertrouwelijk] [geheim]');
    await page.getByRole('button', { name: 'Regels opslaan' }).click();
    await page.getByRole('status').filter({ hasText: 'zijn opgeslagen' }).waitFor();
    await expectAccessible('mail gateway');
    expect((await (await page.request.get('/api/admin/gateway')).json()).settings.subjectTags).toEqual([
      '[vertrouwelijk]',
      '[geheim]',
    ]);
    expect(opened.cspViolations).toEqual([]);
  });
});
