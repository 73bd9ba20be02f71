import { PassThrough } from 'node:stream';
import { expect } from 'vitest';
import { runCli } from '../src/cli/main.ts';
import { createOrganisationWithAdmin, signInWithPassword, totpCode, uniqueEmail } from './factories.ts';
import { Browser, type TestApp } from './harness.ts';
import { enrolKeys, guestLinkFromMail, lastSmsCode, readAsGuest, sendSecureMessage } from './messages.ts';

/** Runs the `zegel` command in-process and captures what it printed. */
export async function runZegel(args: string[]) {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  const code = await runCli(args, { out, err, in: new PassThrough() });
  return { code, stdout, stderr };
}

const PHONE = '0612345670';
/** The same number as the SMS adapter sends to it (E.164). */
const PHONE_E164 = '+31612345670';
const SUBJECT = 'Verslag van het gesprek';
const attachment = Uint8Array.from({ length: 150_000 }, (_, i) => (i * 31 + (i >> 9)) & 0xff);

/** What an installation in use holds: a staff member, a message with an attachment to an SMS guest, an audit trail. */
export async function fillInstallation(t: TestApp) {
  const { admin } = await createOrganisationWithAdmin(t);
  const address = uniqueEmail('gast');
  const sent = await sendSecureMessage(t, await enrolKeys(admin), {
    subject: SUBJECT,
    bodyHtml: '<p>Zie bijlage.</p>',
    attachments: [{ name: 'verslag.pdf', type: 'application/pdf', bytes: attachment }],
    guests: [{ address, method: 'sms', phone: PHONE }],
  });
  expect(sent.response.statusCode).toBe(201);
  await t.deps.jobs.runDueJobs();
  return { admin, link: guestLinkFromMail(t, address) };
}

/** The restored installation works: the staff member signs in, the guest verifies, reads and downloads the same bytes. */
export async function expectInstallationWorks(
  t: TestApp,
  filled: Awaited<ReturnType<typeof fillInstallation>>,
) {
  t.clock.advance(120_000);
  const staff = new Browser(t.app);
  expect((await signInWithPassword(filled.admin, staff)).statusCode).toBe(200);
  const second = await staff.post('/api/auth/second-factor', {
    code: totpCode(filled.admin.totpSecret, t.clock),
    trustDevice: false,
  });
  expect(second.statusCode).toBe(200);
  const guest = new Browser(t.app);
  const { recipientId } = filled.link;
  expect((await guest.post(`/api/guest/${recipientId}/sms`)).statusCode).toBe(200);
  const code = lastSmsCode(t, PHONE_E164);
  expect((await guest.post(`/api/guest/${recipientId}/verify`, { code })).statusCode).toBe(200);
  const read = await readAsGuest(guest, filled.link);
  expect(read.items[0]?.content.subject).toBe(SUBJECT);
  expect(Buffer.from(read.downloads.get('verslag.pdf') ?? []).equals(Buffer.from(attachment))).toBe(true);
}
