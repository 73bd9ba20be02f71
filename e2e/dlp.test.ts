/**
 * Leak prevention in the composer (issue 5) in real Chromium against a real embedded server: a
 * BSN typed into the body and a BSN inside an attached PDF are shown before sending, masked.
 * With the default policy (BSN at "block") a first-time guest needs one "Toch versturen" (audited
 * without the BSN); a known access-code guest gets it without a question, with a note, as every
 * message from the composer is end-to-end encrypted (issue 12, item 1). Axe (WCAG 2.1 AA)
 * on the composer with findings shown.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInAsDemo } from './support/accounts.ts';
import { findAccessibilityViolations, launchChromium, openContext } from './support/browser.ts';
import { startZegelServer, type ZegelServer } from './support/zegel-server.ts';

const BSN = '123456782';
const GUEST = { email: 'p.de.vries@example.nl', phone: '06 12345678' };

/** A one-page PDF with one line of Helvetica text, written by hand (offsets computed). */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 12 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&')}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

let server: ZegelServer;
let browser: Browser;
let staff: Page;
const headers = { 'x-zegel-csrf': '1' };

beforeAll(async () => {
  server = await startZegelServer({ env: { ZEGEL_EMBEDDED: 'true' } });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function auditEvents(page: Page) {
  const response = await page.request.get('/api/admin/audit?limit=500');
  expect(response.ok()).toBe(true);
  return (
    (await response.json()) as { events: { action: string; details: unknown; objectId: string | null }[] }
  ).events;
}

async function openComposer(page: Page) {
  await page.getByRole('link', { name: 'Berichten' }).click();
  await page.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
  await page.getByRole('link', { name: 'Nieuw bericht' }).click();
  await page.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();
  const to = page.locator('#compose-to');
  await to.fill(GUEST.email);
  await to.press('Enter');
  await page.getByLabel('Mobiel nummer').fill(GUEST.phone);
}

describe('leak prevention in the composer', () => {
  it('asks once before a BSN goes to a first-time guest, and audits "send anyway" without the BSN', async () => {
    const opened = await openContext(browser, server.url);
    staff = await opened.context.newPage();
    await signInAsDemo(staff, server.demo);

    // The default policy (BSN at "block"): secure sending to a first-time guest asks once.
    await openComposer(staff);
    await staff.getByLabel('Onderwerp').fill('Dossier');
    await staff.locator('#compose-body').click();
    await staff.keyboard.type(`Beste collega, het BSN van de cliënt is ${BSN}. Groet`);
    const region = staff.locator('#compose-dlp');
    await region.getByText('Burgerservicenummer (BSN)').waitFor();
    await region.getByText('••••••782').waitFor();
    expect(await region.textContent()).not.toContain(BSN);
    expect(await region.textContent()).toContain('Waarschuwing');
    expect(await findAccessibilityViolations(staff), 'axe on the composer with findings').toEqual([]);

    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();
    await region.getByRole('alert').filter({ hasText: 'Nog niet verstuurd' }).waitFor();
    await expect.poll(() => staff.evaluate(() => document.activeElement?.id)).toBe('compose-dlp');
    expect(staff.url()).toMatch(/\/compose|\/new|\/messages/);
    expect(await findAccessibilityViolations(staff), 'axe on the stopped composer').toEqual([]);

    await region.getByRole('button', { name: 'Toch versturen' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Dossier' }).waitFor();
    const conversationId = /\/conversations\/([0-9a-f-]{36})/.exec(staff.url())?.[1];
    expect(conversationId).toBeDefined();

    const events = await auditEvents(staff);
    const override = events.find((e) => e.action === 'dlp.override');
    expect(override?.details).toMatchObject({
      rules: expect.arrayContaining([{ rule: 'bsn', action: 'warn', count: 1 }]),
      recipientDomains: ['example.nl'],
    });
    expect(JSON.stringify(events)).not.toContain(BSN);
  });

  it('sends a BSN in an attached PDF to a known access-code guest without a question (block set on the admin page)', async () => {
    await staff.getByRole('link', { name: 'Beheer' }).click();
    await staff.getByRole('link', { name: 'Lekpreventie' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Lekpreventie' }).waitFor();
    await staff.getByLabel('Burgerservicenummer (BSN)').selectOption('block');
    await staff.getByRole('button', { name: 'Opslaan' }).click();
    await staff.getByText('Het beleid is opgeslagen.').waitFor();
    expect(await findAccessibilityViolations(staff), 'axe on the policy page').toEqual([]);

    await openComposer(staff);
    await staff.getByRole('radio', { name: 'Toegangscode' }).check();
    await staff.locator('input[id$="-code"]').fill('Zonnebloem-42');
    await staff.getByLabel('Onderwerp').fill('Brief');
    await staff.locator('#compose-body').click();
    await staff.keyboard.type('Zie de bijlage.');
    await staff.locator('#compose-files').setInputFiles([
      { name: 'brief.pdf', mimeType: 'application/pdf', buffer: minimalPdf(`Burgerservicenummer: ${BSN}`) },
      { name: 'kapot.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nniet echt\n') },
    ]);
    const region = staff.locator('#compose-dlp');
    await region.getByText('Bijlage brief.pdf').waitFor();
    await region.getByText('••••••782').waitFor();
    await region.getByText('Bijlage "kapot.pdf" kon niet worden gescand', { exact: false }).waitFor();
    await region.getByText('Beveiligd', { exact: true }).waitFor();
    await region.getByText('gaat beveiligd naar ontvangers die u kent', { exact: false }).waitFor();
    expect(await region.textContent()).not.toContain(BSN);
    expect(await region.textContent()).not.toContain('Geblokkeerd');
    expect(
      await findAccessibilityViolations(staff),
      'axe on the composer with an attachment finding',
    ).toEqual([]);

    await staff.getByRole('button', { name: 'Versleuteld versturen' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Brief' }).waitFor();
    const conversationId = /\/conversations\/([0-9a-f-]{36})/.exec(staff.url())?.[1];

    await expect
      .poll(async () => (await auditEvents(staff)).some((e) => e.action === 'dlp.audited'))
      .toBe(true);
    const events = await auditEvents(staff);
    expect(events.some((e) => e.action === 'dlp.blocked')).toBe(false);
    expect(events.filter((e) => e.action === 'dlp.override')).toHaveLength(1);
    const record = events.find((e) => e.action === 'dlp.audited');
    expect(record?.details).toMatchObject({
      rules: expect.arrayContaining([{ rule: 'bsn', action: 'audit', count: 1 }]),
      unscannedAttachments: 1,
    });
    expect(record?.objectId).toBe(conversationId);
    expect(JSON.stringify(events)).not.toContain(BSN);

    // The audit trail names actions in words (issue 12, item 9), and passes axe.
    await staff.getByRole('link', { name: 'Beheer' }).click();
    await staff.getByRole('link', { name: 'Logboek' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Logboek' }).waitFor();
    await staff.getByRole('cell', { name: 'Lekpreventie vastgelegd' }).first().waitFor();
    expect(await staff.getByRole('cell', { name: 'dlp.audited' }).count()).toBe(0);
    expect(await findAccessibilityViolations(staff), 'axe on the audit trail').toEqual([]);
  });

  it('warns about a look-alike domain and switches an e-mail-only guest to an SMS code in one click', async () => {
    const settings = await staff.request.patch('/api/admin/message-settings', {
      headers,
      data: { allowEmailOnly: true },
    });
    expect(settings.ok()).toBe(true);
    await staff.getByRole('link', { name: 'Berichten' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Postvak IN' }).waitFor();
    await staff.getByRole('link', { name: 'Nieuw bericht' }).click();
    await staff.getByRole('heading', { level: 1, name: 'Nieuw bericht' }).waitFor();
    const to = staff.locator('#compose-to');
    await to.fill('k.bakker@gmial.com');
    await to.press('Enter');
    const region = staff.locator('#compose-dlp');
    await region.getByText('Lijkt op een bekend domein', { exact: true }).waitFor();
    await region.getByText('(lijkt op gmail.com)', { exact: false }).waitFor();

    await staff.getByRole('radio', { name: 'Alleen e-mail' }).check();
    await staff.getByLabel('Onderwerp').fill('Gegevens');
    await staff.locator('#compose-body').click();
    await staff.keyboard.type(`BSN: ${BSN}`);
    const secure = region.getByRole('button', { name: 'Beveiligen met sms-code: k.bakker@gmial.com' });
    await secure.click();
    await expect.poll(() => staff.getByRole('radio', { name: 'Sms-code' }).isChecked()).toBe(true);
    await staff.getByLabel('Mobiel nummer').waitFor();
    expect(await secure.count()).toBe(0);
    expect(await findAccessibilityViolations(staff), 'axe on recipient findings').toEqual([]);
  });
});
