/**
 * The meldpunt directory's admin page (issue 16, item 2) in real Chromium against a real embedded
 * server: an admin pastes a CSV with one bad line, sees the problem named and nothing imported,
 * corrects it, imports, and sees the meldpunt in the table. Axe (WCAG 2.1 AA) with the problems
 * shown and with the table.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

let server: ZegelServer;
let browser: Browser;

beforeAll(async () => {
  server = await startZegelServer({ env: { ZEGEL_EMBEDDED: 'true' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
    await context.close();
  });
});
