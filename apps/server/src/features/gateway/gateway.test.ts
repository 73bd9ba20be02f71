import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decryptContent, fromBase64Url } from '@zegel/protocol/crypto';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  enrolKeys,
  guestLinkFromMail,
  lastSmsCode,
  readAsGuest,
  readAsStaff,
  type StaffWithKeys,
} from '../../../test/messages.ts';
import { canariesIn, storedText } from '../../../test/stored-text.ts';
import { createSmtpRelay } from '../../adapters/mail-relay.ts';
import { embeddedTlsIdentity } from '../../adapters/smtp-tls.ts';
import { rememberRecipients } from '../guest-access/index.ts';
import { type GatewayListener, startGatewayListener } from './index.ts';

const CANARY = {
  subject: 'CANARY-GW-SUBJECT-4e1f0a',
  body: 'CANARY-GW-BODY-93c7d2',
  attachment: 'CANARY-GW-ATTACHMENT-b00b1e',
};
const MAX_BYTES = 2 * 1024 * 1024;

/** What the organisation's relay (a real SMTP server on loopback) received. */
const relayed: { from: string; to: string[]; raw: string }[] = [];

let t: TestApp;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;
let password: string;
let gateway: GatewayListener;
let relayServer: SMTPServer;
let tlsCert: string;
let tlsKey: string;
const smsGuest = { address: 'client.sms@extern.example', phone: '+31612345678' };
const codeGuest = 'client.code@extern.example';
const unknownGuest = 'nobody@extern.example';

function client(options: { pass?: string; user?: string; ignoreTLS?: boolean } = {}) {
  // Each mail a second later than the one before, so 'most recent' has one answer.
  t.clock.advance(1000);
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port: gateway.port,
    secure: false,
    ignoreTLS: options.ignoreTLS ?? false,
    requireTLS: !options.ignoreTLS,
    tls: { ca: tlsCert, servername: 'localhost' },
    ...(options.pass === undefined && options.user === undefined
      ? {}
      : { auth: { user: options.user ?? sender.email, pass: options.pass ?? '' } }),
  });
}

async function startRelay(): Promise<number> {
  relayServer = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        relayed.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => relayServer.listen(0, '127.0.0.1', () => resolve()));
  return (relayServer.server.address() as { port: number }).port;
}

async function submissions() {
  return t.deps.db
    .selectFrom('gateway_submissions')
    .select(['id', 'outcome', 'reasons', 'conversation_id'])
    .orderBy('received_at')
    .execute();
}

async function routesOf(submissionId: string) {
  const rows = await t.deps.db
    .selectFrom('gateway_recipients')
    .select(['address', 'route', 'reason'])
    .where('submission_id', '=', submissionId)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.address, r.reason ? `${r.route}:${r.reason}` : r.route]));
}

beforeAll(async () => {
  t = await createTestApp();
  const { org, admin } = await createOrganisationWithAdmin(t);
  sender = await enrolKeys(admin);
  colleague = await enrolKeys(await createMember(t, admin));
  const now = t.clock.now();
  await rememberRecipients(t.deps, [
    {
      organisation_id: org.id,
      address: smsGuest.address,
      method: 'sms',
      phone: smsGuest.phone,
      access_code_hint: null,
      updated_at: now,
    },
    {
      organisation_id: org.id,
      address: codeGuest,
      method: 'access_code',
      phone: null,
      access_code_hint: 'your birthday',
      updated_at: now,
    },
  ]);
  const created = await sender.browser.post('/api/account/app-passwords', { label: 'Thunderbird' });
  expect(created.statusCode, created.body).toBe(200);
  password = created.json().password;
  const tls = await embeddedTlsIdentity(mkdtempSync(join(tmpdir(), 'zegel-gw-')));
  tlsCert = tls.cert;
  tlsKey = tls.key;
  const relayPort = await startRelay();
  gateway = await startGatewayListener(t.deps, {
    host: '127.0.0.1',
    port: 0,
    tls,
    relay: createSmtpRelay(`smtp://127.0.0.1:${relayPort}`),
    maxBytes: MAX_BYTES,
    maxRecipients: 100,
  });
});

afterAll(async () => {
  await gateway?.close();
  await new Promise<void>((resolve) => (relayServer ? relayServer.close(() => resolve()) : resolve()));
  await t?.close();
});

const pdf = new TextEncoder().encode(`%PDF-1.4 ${'binary\u0000\u00ff'.repeat(200)}`);
const sheet = new TextEncoder().encode(`naam;notitie\nKlant;${CANARY.attachment}\n`);

describe('gateway submission', () => {
  it('lists and revokes app passwords, never showing one again', async () => {
    const extra = (await sender.browser.post('/api/account/app-passwords', { label: 'scanner' })).json();
    const listed = (await sender.browser.get('/api/account/app-passwords')).json();
    expect(listed.appPasswords.map((p: { label: string }) => p.label)).toEqual(['Thunderbird', 'scanner']);
    expect(JSON.stringify(listed)).not.toContain(extra.password);
    expect(
      (await colleague.browser.delete(`/api/account/app-passwords/${extra.appPassword.id}`)).statusCode,
    ).toBe(404);
    expect(
      (await sender.browser.delete(`/api/account/app-passwords/${extra.appPassword.id}`)).statusCode,
    ).toBe(200);
    await expect(client({ pass: extra.password }).verify()).rejects.toMatchObject({ responseCode: 535 });
  });

  it('encrypts a tagged mail per recipient: colleague, remembered SMS guest, and holds the others', async () => {
    const info = await client({ pass: password }).sendMail({
      from: sender.email,
      to: [colleague.email, smsGuest.address, codeGuest, unknownGuest],
      subject: `[vertrouwelijk] ${CANARY.subject}`,
      text: `Beste,\n\n${CANARY.body}\n\nGroet`,
      attachments: [
        { filename: 'verslag.pdf', content: Buffer.from(pdf), contentType: 'application/pdf' },
        { filename: 'lijst.csv', content: Buffer.from(sheet), contentType: 'text/csv' },
      ],
    });
    expect(info.response).toMatch(/^250 /);
    const [submission] = await submissions();
    expect(submission?.outcome).toBe('secure');
    expect(submission?.reasons).toEqual({ subject_tag: 1 });
    expect(await routesOf(submission?.id ?? '')).toEqual({
      [colleague.email]: 'internal',
      [smsGuest.address]: 'secure_link',
      [codeGuest]: 'held:access_code_not_known',
      [unknownGuest]: 'held:no_verification_details',
    });
    const conversationId = submission?.conversation_id ?? '';

    const asColleague = await readAsStaff(colleague, conversationId);
    const content = asColleague.items[0]?.content;
    expect(content?.subject).toBe(CANARY.subject);
    expect(content?.bodyHtml).toContain(CANARY.body);
    expect(content?.attachments.map((a) => a.name)).toEqual(['verslag.pdf', 'lijst.csv']);
    for (const [entry, bytes] of [
      [content?.attachments[0], pdf],
      [content?.attachments[1], sheet],
    ] as const) {
      const response = await colleague.browser.get(
        `/api/conversations/${conversationId}/attachments/${entry?.id}`,
      );
      expect(response.statusCode).toBe(200);
      const plain = await decryptContent(fromBase64Url(entry?.key ?? ''), response.rawPayload, {
        associatedData: entry?.id ?? '',
      });
      expect(plain).toEqual(bytes);
    }

    await t.deps.jobs.runDueJobs();
    const link = guestLinkFromMail(t, smsGuest.address);
    const guest = new Browser(t.app, undefined, '192.0.2.20');
    expect((await guest.post(`/api/guest/${link.recipientId}/sms`)).statusCode).toBe(200);
    const verified = await guest.post(`/api/guest/${link.recipientId}/verify`, {
      code: lastSmsCode(t, smsGuest.phone),
    });
    expect(verified.statusCode, verified.body).toBe(200);
    const read = await readAsGuest(guest, link);
    expect(read.items[0]?.content.subject).toBe(CANARY.subject);
    expect(read.downloads.get('verslag.pdf')).toEqual(pdf);
    expect(read.downloads.get('lijst.csv')).toEqual(sheet);

    const held = t.mailer.sent.filter((m) => m.to === sender.email && m.subject.includes('Complete sending'));
    expect(held).toHaveLength(1);
    expect(held[0]?.text).toContain(codeGuest);
    expect(held[0]?.text).toContain(unknownGuest);
    expect(held[0]?.text).not.toContain(smsGuest.address);
    expect(held[0]?.text).toContain(`/conversations/${conversationId}`);
    expect(t.mailer.sent.some((m) => m.to === codeGuest || m.to === unknownGuest)).toBe(false);
    expect(relayed).toHaveLength(0);
  });

  it('protects an untagged mail that holds a valid BSN, and relays a harmless one unchanged', async () => {
    await client({ pass: password }).sendMail({
      from: sender.email,
      to: colleague.email,
      subject: 'Overdracht',
      text: 'Het BSN van de cliënt is 111222333.',
    });
    const protectedOne = (await submissions()).at(-1);
    expect(protectedOne?.outcome).toBe('secure');
    expect(protectedOne?.reasons).toEqual({ bsn: 1 });
    expect(relayed).toHaveLength(0);

    await client({ pass: password }).sendMail({
      from: sender.email,
      to: 'partner@elders.example',
      subject: 'Lunch donderdag',
      text: 'Zullen we om twaalf uur afspreken?',
      headers: { 'X-Test': 'kept' },
    });
    const plain = (await submissions()).at(-1);
    expect(plain?.outcome).toBe('relay');
    expect(plain?.conversation_id).toBeNull();
    expect(relayed).toHaveLength(1);
    expect(relayed[0]?.to).toEqual(['partner@elders.example']);
    expect(relayed[0]?.from).toBe(sender.email);
    expect(relayed[0]?.raw).toContain('X-Test: kept');
    expect(relayed[0]?.raw).toContain('Zullen we om twaalf uur afspreken?');
  });

  it('marks relayed mail, and refuses it with 554 when it comes back; a forged mark is no loop', async () => {
    const relayedRaw = relayed.at(-1)?.raw ?? '';
    expect(relayedRaw).toMatch(/^X-Zegel-Processed: [A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{43}\r\n/);
    const before = (await submissions()).length;
    await expect(
      client({ pass: password }).sendMail({
        envelope: { from: sender.email, to: ['partner@elders.example'] },
        raw: relayedRaw,
      }),
    ).rejects.toMatchObject({ responseCode: 554 });
    expect(await submissions()).toHaveLength(before);
    const forged = relayedRaw.replace(/^X-Zegel-Processed: ([A-Za-z0-9_-]{43})\./, 'X-Zegel-Processed: $1x.');
    await client({ pass: password }).sendMail({
      envelope: { from: sender.email, to: ['partner@elders.example'] },
      raw: forged,
    });
    expect(await submissions()).toHaveLength(before + 1);
    expect(relayed).toHaveLength(2);
    relayed.pop();
  });

  it('honours the Sensitivity header', async () => {
    await client({ pass: password }).sendMail({
      from: sender.email,
      to: colleague.email,
      subject: 'Notitie',
      text: 'Niets bijzonders.',
      headers: { Sensitivity: 'Company-Confidential' },
    });
    expect((await submissions()).at(-1)?.reasons).toEqual({ sensitivity_header: 1 });
  });
  it('lets an admin see recent decisions and set "always secure" and the subject tags', async () => {
    expect((await colleague.browser.get('/api/admin/gateway')).statusCode).toBe(403);
    const overview = (await sender.browser.get('/api/admin/gateway')).json();
    expect(overview.settings).toEqual({ alwaysSecure: false, subjectTags: ['[vertrouwelijk]', '[secure]'] });
    expect(overview.decisions[0]).toMatchObject({
      outcome: 'secure',
      sender: sender.email,
      reasons: { sensitivity_header: 1 },
    });
    expect(overview.decisions.at(-1).recipients).toContainEqual({
      address: unknownGuest,
      route: 'held',
      reason: 'no_verification_details',
    });
    const invalid = await sender.browser.patch('/api/admin/gateway/settings', { subjectTags: ['bad\ntag'] });
    expect(invalid.statusCode).toBe(400);

    const changed = await sender.browser.patch('/api/admin/gateway/settings', { subjectTags: ['[geheim]'] });
    expect(changed.json()).toEqual({ alwaysSecure: false, subjectTags: ['[geheim]'] });
    await client({ pass: password }).sendMail({
      from: sender.email,
      to: colleague.email,
      subject: 'Dossier [GEHEIM]',
      text: 'x',
    });
    expect((await submissions()).at(-1)?.reasons).toEqual({ subject_tag: 1 });
    const colleagueView = await readAsStaff(colleague, (await submissions()).at(-1)?.conversation_id ?? '');
    expect(colleagueView.items[0]?.content.subject).toBe('Dossier');

    await sender.browser.patch('/api/admin/gateway/settings', { alwaysSecure: true });
    await client({ pass: password }).sendMail({
      from: sender.email,
      to: colleague.email,
      subject: 'Lunch',
      text: 'x',
    });
    expect((await submissions()).at(-1)).toMatchObject({ outcome: 'secure', reasons: { always_secure: 1 } });
    await sender.browser.patch('/api/admin/gateway/settings', {
      alwaysSecure: false,
      subjectTags: ['[vertrouwelijk]', '[secure]'],
    });
  });
});

describe('gateway refusals', () => {
  it('answers 530 without AUTH, and refuses AUTH before STARTTLS', async () => {
    await expect(
      client().sendMail({ from: sender.email, to: colleague.email, subject: 'x', text: 'x' }),
    ).rejects.toMatchObject({ responseCode: 530 });
    await expect(client({ pass: password, ignoreTLS: true }).verify()).rejects.toMatchObject({
      responseCode: 538,
    });
  });

  it('answers 535 to a wrong password and then limits attempts in the database', async () => {
    const user = 'spray@example.nl';
    await expect(client({ user, pass: 'wrong' }).verify()).rejects.toMatchObject({ responseCode: 535 });
    for (let i = 0; i < 9; i++)
      await client({ user, pass: 'wrong' })
        .verify()
        .catch(() => undefined);
    await expect(client({ user, pass: 'wrong' }).verify()).rejects.toMatchObject({ responseCode: 454 });
    const counter = await t.deps.db
      .selectFrom('rate_limits')
      .select('hits')
      .where('key', '=', `smtp-auth:account:${user}`)
      .executeTakeFirst();
    expect(counter?.hits).toBeGreaterThan(10);
  });

  it('answers 550 to a From: the user may not use, also when hidden among several', async () => {
    await expect(
      client({ pass: password }).sendMail({
        from: colleague.email,
        to: colleague.email,
        subject: 'x',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      client({ pass: password }).sendMail({
        envelope: { from: sender.email, to: [colleague.email] },
        raw: `From: ${sender.email}, ${colleague.email}\r\nTo: ${colleague.email}\r\nSubject: x\r\n\r\nx\r\n`,
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
    await expect(
      client({ pass: password }).sendMail({
        envelope: { from: sender.email, to: [colleague.email] },
        raw: 'this is not a mail at all \u0000\u00ff\r\n--broken\r\n',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('reads 8-bit headers, and sends only to the envelope: a Bcc: header adds nobody', async () => {
    const raw = Buffer.from(
      `From: ${sender.email}\r\nTo: ${colleague.email}\r\nBcc: evil@elders.example\r\n` +
        'Subject: Überdracht für Zoë [secure]\r\nContent-Type: text/plain; charset=utf-8\r\n' +
        'Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n',
      'utf8',
    );
    const info = await client({ pass: password }).sendMail({
      envelope: { from: sender.email, to: [colleague.email] },
      raw,
    });
    expect(info.response).toMatch(/^250 /);
    const last = (await submissions()).at(-1);
    expect(Object.keys(await routesOf(last?.id ?? ''))).toEqual([colleague.email]);
    const read = await readAsStaff(colleague, last?.conversation_id ?? '');
    expect(read.items[0]?.content.subject).toBe('Überdracht für Zoë');
    expect(t.mailer.sent.some((m) => m.to === 'evil@elders.example')).toBe(false);
    expect(relayed.some((m) => m.to.includes('evil@elders.example'))).toBe(false);
  });

  it('answers 552 to a mail over the size limit', async () => {
    await expect(
      client({ pass: password }).sendMail({
        from: sender.email,
        to: colleague.email,
        subject: '[secure] big',
        text: 'x'.repeat(MAX_BYTES + 1024),
      }),
    ).rejects.toMatchObject({ responseCode: 552 });
  });

  it('answers 452 past 100 recipients, and 550 when no recipient can be reached safely', async () => {
    const to = [colleague.email, ...Array.from({ length: 100 }, (_, i) => `unknown-${i}@extern.example`)];
    const info = await client({ pass: password }).sendMail({
      from: sender.email,
      to,
      subject: '[secure] many',
      text: 'x',
    });
    expect(info.rejected).toEqual(['unknown-99@extern.example']);
    expect((info as { rejectedErrors?: { responseCode?: number }[] }).rejectedErrors?.[0]?.responseCode).toBe(
      452,
    );
    const routes = await routesOf((await submissions()).at(-1)?.id ?? '');
    expect(Object.keys(routes)).toHaveLength(100);
    expect(routes[colleague.email]).toBe('internal');

    await expect(
      client({ pass: password }).sendMail({
        from: sender.email,
        to: [unknownGuest, 'other@extern.example'],
        subject: '[secure] nobody',
        text: 'x',
      }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('answers 451 and records nothing when the relay is down, telling the operator only the error', async () => {
    const errors: unknown[] = [];
    const down = await startGatewayListener(t.deps, {
      host: '127.0.0.1',
      port: 0,
      tls: { cert: tlsCert, key: tlsKey },
      relay: createSmtpRelay('smtp://127.0.0.1:1'),
      maxBytes: MAX_BYTES,
      maxRecipients: 100,
      onError: (error) => errors.push(error),
    });
    const before = (await submissions()).length;
    try {
      await expect(
        nodemailer
          .createTransport({
            host: '127.0.0.1',
            port: down.port,
            requireTLS: true,
            tls: { ca: tlsCert, servername: 'localhost' },
            auth: { user: sender.email, pass: password },
          })
          .sendMail({ from: sender.email, to: 'partner@elders.example', subject: 'Lunch', text: 'x' }),
      ).rejects.toMatchObject({ responseCode: 451 });
    } finally {
      await down.close();
    }
    expect(errors).toHaveLength(1);
    expect(await submissions()).toHaveLength(before);
  });

  it('leaves no canary in the database, blobs, logs or outgoing mail', async () => {
    const stored = await storedText(t);
    const { dump } = stored;
    expect(dump).toContain('gateway.mail_received');
    expect(t.blobs.blobs.size).toBeGreaterThanOrEqual(2);
    expect(canariesIn(stored, Object.values(CANARY))).toEqual([]);
    expect(dump).not.toContain(password);
  });
});
