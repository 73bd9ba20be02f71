/**
 * The meldpunt directory and finding a meldpunt (issue 16, item 2) in real Chromium against a
 * real embedded server and a loopback fake of the PDOK Locatieserver: an admin pastes a CSV with
 * one bad line, sees the problem named and nothing imported, corrects it and sees the meldpunt in
 * the table; then a wrong postcode is refused on the page, the corrected address finds its
 * municipality and meldpunt, and an address in an uncovered municipality says so. Axe (WCAG 2.1
 * AA) on each state.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeLocatieserver,
  fakeAddresses,
  startFakeLocatieserver,
} from '../apps/server/test/fake-locatieserver.ts';
import { signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

let server: ZegelServer;
let browser: Browser;
let locatieserver: FakeLocatieserver;

beforeAll(async () => {
  locatieserver = await startFakeLocatieserver(fakeAddresses);
  server = await startZegelServer({
    env: { ZEGEL_EMBEDDED: 'true', ZEGEL_LOCATIESERVER_URL: locatieserver.url },
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await locatieserver?.close();
});

const header = 'naam,organisatie,gemeentecodes,openingstijden,aparte_politieroute,kanalen';

describe('the meldpunt directory page', () => {
  it('names a bad line, imports the corrected CSV and lists the meldpunt', async () => {
    const { context } = await openContext(browser, server.url);
    const page = await context.newPage();
    await signInAsDemo(page, server.demo);
    await page.getByRole('link', { name: 'Beheer' }).click();
    await page.getByRole('link', { name: 'Meldpunten' }).click();
    await page.getByRole('heading', { level: 2, name: 'Meldpunten niet-acute zorg' }).waitFor();
    await page.getByText('Er staan nog geen meldpunten in de lijst.').waitFor();

    const csv = page.getByLabel('CSV', { exact: true });
    await csv.fill(
      `${header}\nMeldpunt Zorg Voorbeeld,Gemeente Voorbeeld,344,ma-vr 9-17,nee,email:zorg@voorbeeld.localhost`,
    );
    await page.getByRole('button', { name: 'Lijst inlezen' }).click();
    const problems = page.getByRole('heading', { name: 'De lijst is niet ingelezen. Herstel deze regels:' });
    await problems.waitFor();
    await expect.poll(() => problems.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.getByText('Regel 2: "344" is not a CBS gemeentecode (four digits)').waitFor();
    expect(await findAccessibilityViolations(page)).toEqual([]);

    await csv.fill(
      `${header}\nMeldpunt Zorg Voorbeeld,Gemeente Voorbeeld,0344,ma-vr 9-17,nee,email:zorg@voorbeeld.localhost`,
    );
    await page.getByRole('button', { name: 'Lijst inlezen' }).click();
    await page.getByText('De lijst is ingelezen: 1 meldpunten.').waitFor();
    await page.getByRole('rowheader', { name: 'Meldpunt Zorg Voorbeeld' }).waitFor();
    expect(await problems.count()).toBe(0);
    expect(await findAccessibilityViolations(page)).toEqual([]);

    const exported = await page.request.get('/api/admin/reports/meldpunten.csv');
    expect(await exported.text()).toContain('Meldpunt Zorg Voorbeeld,Gemeente Voorbeeld,0344,ma-vr 9-17,nee');

    await page.getByRole('link', { name: 'Zorgmelding' }).click();
    await page.getByRole('heading', { level: 1, name: 'Meldpunt zoeken' }).waitFor();
    const postcode = page.getByLabel('Postcode');
    await postcode.fill('3511');
    await page.getByLabel('Huisnummer').fill('12');
    await page.getByLabel('Toevoeging (optioneel)').fill('bis');
    await page.getByRole('button', { name: 'Meldpunt zoeken' }).click();
    await page.getByText('Vul een postcode in zoals 1234 AB.').waitFor();
    await expect.poll(() => postcode.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(locatieserver.requests).toHaveLength(0);
    expect(await findAccessibilityViolations(page)).toEqual([]);

    await postcode.fill('3511 AB');
    await page.getByRole('button', { name: 'Meldpunt zoeken' }).click();
    await page.getByRole('heading', { level: 3, name: 'Meldpunt Zorg Voorbeeld' }).waitFor();
    await page.getByText('Utrecht (0344)').waitFor();
    await page.getByText('Voorbeeldstraat 12bis, 3511AB Utrecht').waitFor();
    expect(await findAccessibilityViolations(page)).toEqual([]);

    await postcode.fill('3941 AA');
    await page.getByLabel('Huisnummer').fill('1');
    await page.getByLabel('Toevoeging (optioneel)').fill('');
    await page.getByRole('button', { name: 'Meldpunt zoeken' }).click();
    await page.getByText(/geen meldpunt voor de gemeente Utrechtse Heuvelrug \(1581\)/).waitFor();
    expect(await findAccessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
