import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { enrolKeys, type StaffWithKeys, sendSecureMessage } from '../../../test/messages.ts';
import { processDeliveryReport } from './bounces.ts';

let t: TestApp;
let sender: StaffWithKeys;

beforeAll(async () => {
  t = await createTestApp();
  sender = await enrolKeys((await createOrganisationWithAdmin(t)).admin);
});
afterAll(async () => {
  await t.close();
});

/** A DSN as Postfix writes it: human part, delivery-status part, the original headers. */
function deliveryReport(participantId: string, address: string, action: string, status: string): string {
  return [
    'From: MAILER-DAEMON@relay.example.nl',
    `To: no-reply@zegel.localhost`,
    'Subject: Undelivered Mail Returned to Sender',
    'MIME-Version: 1.0',
    'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
    '',
    '--B',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'I am sorry to have to inform you that your message could not be delivered.',
    '',
    '--B',
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; relay.example.nl',
    '',
    `Final-Recipient: rfc822; ${address}`,
    `Action: ${action}`,
    `Status: ${status}`,
    'Diagnostic-Code: smtp; 550 5.1.1 user unknown',
    '',
    '--B',
    'Content-Type: text/rfc822-headers',
    '',
    'From: Zegel <no-reply@zegel.localhost>',
    `To: ${address}`,
    'Subject: Beveiligd bericht',
    `X-Zegel-Recipient: ${participantId}`,
    '',
    '--B--',
    '',
  ].join('\r\n');
}

describe('delivery status notifications', () => {
  it('marks the recipient named in a permanent-failure DSN bounced and tells the sender', async () => {
    const address = uniqueEmail('weg');
    const sent = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'email_only' }],
    });
    await t.deps.jobs.runDueJobs();
    const recipientId = sent.guests[0]?.recipientId as string;
    expect(t.mailer.sent.findLast((m) => m.to === address)?.headers?.['X-Zegel-Recipient']).toBe(recipientId);
    expect(
      await processDeliveryReport(t.deps, deliveryReport(recipientId, address, 'delayed', '4.4.1')),
    ).toMatchObject({ outcome: 'ignored' });
    expect(
      await processDeliveryReport(t.deps, deliveryReport(crypto.randomUUID(), address, 'failed', '5.1.1')),
    ).toMatchObject({ outcome: 'ignored' });
    expect(
      await processDeliveryReport(t.deps, deliveryReport(recipientId, address, 'failed', '5.1.1')),
    ).toEqual({ outcome: 'bounced' });
    await t.deps.jobs.runDueJobs();
    const detail = (await sender.browser.get(`/api/conversations/${sent.conversationId}`)).json();
    expect(detail.participants.find((p: { id: string }) => p.id === recipientId)).toMatchObject({
      bouncedAt: expect.any(String),
      bounceReason: 'delivery report: status 5.1.1',
    });
    expect(
      t.mailer.sent.some((m) => m.to === sender.email && m.subject.includes('niet worden bezorgd')),
    ).toBe(true);
  });
});

describe('the proof-of-delivery PDF', () => {
  it('is a tagged PDF with the report, for the sender only', async () => {
    const address = uniqueEmail('pdf');
    const sent = await sendSecureMessage(t, sender, {
      subject: 'geheim onderwerp',
      bodyHtml: 'b',
      guests: [{ address, method: 'email_only' }],
    });
    await t.deps.jobs.runDueJobs();
    const response = await sender.browser.get(`/api/conversations/${sent.conversationId}/report.pdf`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const report = (await sender.browser.get(`/api/conversations/${sent.conversationId}/report`)).json();
    const { renderDeliveryReportPdf } = await import('./report-pdf.ts');
    const text = Buffer.from(await renderDeliveryReportPdf(report, { compress: false })).toString('latin1');
    for (const marker of ['/StructTreeRoot', '/MarkInfo', '/Lang (nl-NL)', '/S /H1', '/S /LI'])
      expect(text).toContain(marker);
    expect(text).not.toContain('geheim onderwerp');
  });
});

describe('abandoned uploads', () => {
  it('are deleted with their blobs after a day', async () => {
    const { putBytes } = await import('../../../test/messages.ts');
    const { purgeStaleAttachments: purgeStaleUploads } = await import('../files/attachments.ts');
    const id = crypto.randomUUID();
    const bytes = new Uint8Array(400).fill(3);
    bytes[0] = 1;
    expect((await putBytes(t, sender.browser, `/api/uploads/${id}`, bytes)).statusCode).toBe(201);
    expect(t.blobs.blobs.has(`attachments/${id.slice(0, 2)}/${id}`)).toBe(true);
    t.clock.advance(25 * 3600_000);
    expect(await purgeStaleUploads(t.deps)).toBeGreaterThanOrEqual(1);
    expect(t.blobs.blobs.has(`attachments/${id.slice(0, 2)}/${id}`)).toBe(false);
  });
});
