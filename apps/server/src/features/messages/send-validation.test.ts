import { toBase64Url } from '@zegel/protocol/crypto';
import { MessageLimits } from '@zegel/protocol/limits';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import { enrolKeys, putBytes, type StaffWithKeys, sendSecureMessage } from '../../../test/messages.ts';
import { MailRejectedError } from '../../adapters/mailer.ts';

let t: TestApp;
let sender: StaffWithKeys;
let admin: Awaited<ReturnType<typeof createOrganisationWithAdmin>>['admin'];

beforeAll(async () => {
  t = await createTestApp();
  ({ admin } = await createOrganisationWithAdmin(t));
  sender = await enrolKeys(admin);
});
afterAll(async () => {
  await t.close();
});

async function countRows() {
  const conversations = await t.deps.db
    .selectFrom('conversations')
    .select(t.deps.db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const jobs = await t.deps.db
    .selectFrom('jobs')
    .select(t.deps.db.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { conversations: Number(conversations.n), jobs: Number(jobs.n) };
}

describe('refusing a send as a whole', () => {
  it('lists exactly what each recipient lacks, and sends nothing to anyone', async () => {
    const before = await countRows();
    const mailsBefore = t.mailer.sent.length;
    const good = uniqueEmail('goed');
    const sent = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [
        { address: good, method: 'sms', phone: '+31 6 1234 5678' },
        { address: uniqueEmail('geen-nummer'), method: 'sms' },
        { address: uniqueEmail('fout-nummer'), method: 'sms', phone: '12345' },
        { address: 'niet een adres', method: 'email_only' },
        { address: 'a@b@c.nl', method: 'email_only' },
        { address: 'x@voorbeeld.nl\r\nBcc: evil@example.com', method: 'email_only' },
      ],
    });
    expect(sent.response.statusCode).toBe(422);
    const body = sent.response.json();
    expect(body.error.code).toBe('recipients_incomplete');
    const problems = body.error.details.recipients as { index: number; field: string; problem: string }[];
    expect(problems.map((p) => [p.index, p.field, p.problem])).toEqual([
      [1, 'phone', 'missing'],
      [2, 'phone', 'invalid'],
      [3, 'address', 'invalid'],
      [4, 'address', 'invalid'],
      [5, 'address', 'invalid'],
    ]);
    await t.deps.jobs.runDueJobs();
    expect(await countRows()).toEqual(before);
    expect(t.mailer.sent.length).toBe(mailsBefore);
  });

  it('refuses an access-code guest without a code, and e-mail-only when the organisation forbids it', async () => {
    await admin.browser.patch('/api/admin/message-settings', { allowEmailOnly: false });
    const sent = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [
        { address: uniqueEmail('code'), method: 'access_code' },
        { address: uniqueEmail('los'), method: 'email_only' },
      ],
    });
    expect(
      sent.response
        .json()
        .error.details.recipients.map((p: { field: string; problem: string }) => `${p.field}:${p.problem}`),
    ).toEqual(['accessCode:missing', 'method:not_allowed']);
    await admin.browser.patch('/api/admin/message-settings', { allowEmailOnly: true });
  });

  it('refuses colleagues without keys, unknown ids and duplicate addresses', async () => {
    const keyless = await createMember(t, admin);
    const address = uniqueEmail('dubbel');
    const conversationId = crypto.randomUUID();
    const response = await sender.browser.post('/api/messages', {
      conversationId,
      itemId: crypto.randomUUID(),
      item: toBase64Url(new Uint8Array(200).fill(1)),
      attachments: [],
      recipients: [
        { kind: 'user', userId: keyless.id, role: 'to' },
        { kind: 'user', userId: crypto.randomUUID(), role: 'to' },
        { kind: 'team', teamId: crypto.randomUUID(), role: 'cc' },
        ...[1, 2].map(() => ({
          kind: 'guest',
          recipientId: crypto.randomUUID(),
          address,
          role: 'to',
          method: 'email_only',
          serverShare: 'A'.repeat(43),
          publicKey: 'A'.repeat(43),
          linkSecret: 'A'.repeat(43),
        })),
      ],
      wrappedKeys: [{ holderId: sender.id, wrappedKey: 'A'.repeat(108) }],
    });
    expect(response.statusCode).toBe(422);
    expect(
      response
        .json()
        .error.details.recipients.map((p: { index: number; problem: string }) => `${p.index}:${p.problem}`),
    ).toEqual(['0:missing', '1:unknown', '2:unknown', '4:duplicate']);
  });

  it('refuses a message not encrypted to every recipient', async () => {
    const response = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address: uniqueEmail('ok'), method: 'email_only' }],
    });
    expect(response.response.statusCode).toBe(201);
    // Replay the same ids: refused as a conflict, not a second conversation.
    const replay = await sender.browser.post('/api/messages', {
      conversationId: response.conversationId,
      itemId: crypto.randomUUID(),
      item: toBase64Url(new Uint8Array(200).fill(1)),
      attachments: [],
      recipients: [{ kind: 'user', userId: sender.id, role: 'to' }],
      wrappedKeys: [{ holderId: sender.id, wrappedKey: 'A'.repeat(108) }],
    });
    expect(replay.statusCode).toBe(422);
  });

  it('refuses oversized items and uploads, plaintext uploads, and unknown fields', async () => {
    const big = await sender.browser.post('/api/messages', {
      conversationId: crypto.randomUUID(),
      itemId: crypto.randomUUID(),
      item: 'A'.repeat(Math.ceil((MessageLimits.maxItemCiphertextBytes * 4) / 3) + 10),
      attachments: [],
      recipients: [{ kind: 'user', userId: sender.id, role: 'to' }],
      wrappedKeys: [{ holderId: sender.id, wrappedKey: 'A'.repeat(108) }],
    });
    expect([400, 413]).toContain(big.statusCode);
    const plain = await putBytes(
      t,
      sender.browser,
      `/api/uploads/${crypto.randomUUID()}`,
      new TextEncoder().encode('x'.repeat(500)),
    );
    expect(plain.statusCode).toBe(400);
    const huge = new Uint8Array(MessageLimits.maxAttachmentCiphertextBytes + 1);
    huge[0] = 1;
    const tooBig = await putBytes(t, sender.browser, `/api/uploads/${crypto.randomUUID()}`, huge);
    expect(tooBig.statusCode).toBe(413);
    const extra = await sender.browser.post('/api/messages', {
      conversationId: crypto.randomUUID(),
      surprise: true,
    });
    expect(extra.statusCode).toBe(400);
  });

  it('does not let anyone use another person’s upload', async () => {
    const other = await enrolKeys(await createMember(t, admin));
    const id = crypto.randomUUID();
    const bytes = new Uint8Array(300).fill(7);
    bytes[0] = 1;
    expect((await putBytes(t, other.browser, `/api/uploads/${id}`, bytes)).statusCode).toBe(201);
    expect((await putBytes(t, sender.browser, `/api/uploads/${id}`, bytes)).statusCode).toBe(409);
    const sent = await sender.browser.post('/api/messages', {
      conversationId: crypto.randomUUID(),
      itemId: crypto.randomUUID(),
      item: toBase64Url(Object.assign(new Uint8Array(200).fill(1), { 0: 1 })),
      attachments: [{ id }],
      recipients: [{ kind: 'user', userId: other.id, role: 'to' }],
      wrappedKeys: [
        { holderId: sender.id, wrappedKey: 'A'.repeat(108) },
        { holderId: other.id, wrappedKey: 'A'.repeat(108) },
      ],
    });
    expect(sent.statusCode).toBe(400);
    expect(sent.json().error.details.attachmentId).toBe(id);
  });
});

describe('bounces', () => {
  it('marks an SMTP rejection at send time as bounced and tells the sender', async () => {
    const address = uniqueEmail('bestaat-niet');
    const original = t.mailer.send;
    t.mailer.send = async (mail) => {
      if (mail.to === address) throw new MailRejectedError(550);
      return original(mail);
    };
    try {
      const sent = await sendSecureMessage(t, sender, {
        subject: 's',
        bodyHtml: 'b',
        guests: [{ address, method: 'email_only' }],
      });
      await t.deps.jobs.runDueJobs();
      await t.deps.jobs.runDueJobs();
      const detail = (await sender.browser.get(`/api/conversations/${sent.conversationId}`)).json();
      const guest = detail.participants.find((p: { address: string }) => p.address === address);
      expect(guest).toMatchObject({ bouncedAt: expect.any(String), deliveredAt: null });
      expect(
        t.mailer.sent.some((m) => m.to === sender.email && m.subject.includes('niet worden bezorgd')),
      ).toBe(true);
    } finally {
      t.mailer.send = original;
    }
  });
});

describe('the recipient directory', () => {
  it('imports a CSV all-or-nothing with an error per bad line', async () => {
    const bad = await admin.browser.post('/api/admin/recipient-directory/import', {
      csv: 'address;method;phone;hint\njan@voorbeeld.nl;sms;0612345678;\nnope;sms;;\npiet@voorbeeld.nl;fax;;\njan@voorbeeld.nl;email_only;;\n',
    });
    expect(bad.statusCode).toBe(200);
    expect(bad.json()).toEqual({
      imported: 0,
      errors: [
        { line: 3, message: '"nope" is not an e-mail address; an SMS recipient needs a phone number' },
        { line: 4, message: 'method must be sms, access_code or email_only' },
        { line: 5, message: 'the address is also on line 2' },
      ],
    });
    const good = await admin.browser.post('/api/admin/recipient-directory/import', {
      csv: 'address,method,phone,hint\r\nJan@Voorbeeld.nl,sms,06-12345678,\r\n"klant@voorbeeld.nl",access_code,,"geboortedatum, zonder streepjes"\r\n',
    });
    expect(good.json()).toEqual({ imported: 2, errors: [] });
    const entry = (await sender.browser.get('/api/recipient-directory?address=jan@voorbeeld.nl')).json()
      .entry;
    expect(entry).toMatchObject({ method: 'sms', phone: '+31612345678' });
    const hinted = (await sender.browser.get('/api/recipient-directory?address=klant@voorbeeld.nl')).json()
      .entry;
    expect(hinted.accessCodeHint).toBe('geboortedatum, zonder streepjes');
  });

  it('remembers the method of a sent guest for the organisation', async () => {
    const address = uniqueEmail('onthoud');
    await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'sms', phone: '0031612345679' }],
    });
    const entry = (await new Browser(t.app).get(`/api/recipient-directory?address=${address}`)).statusCode;
    expect(entry).toBe(401);
    expect(
      (await sender.browser.get(`/api/recipient-directory?address=${address}`)).json().entry,
    ).toMatchObject({
      method: 'sms',
      phone: '+31612345679',
    });
  });
});

describe('ids', () => {
  it('answers 409 when a conversation id is reused, and stores nothing new', async () => {
    const first = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address: uniqueEmail('een'), method: 'email_only' }],
    });
    const recipientId = crypto.randomUUID();
    const before = await countRows();
    const again = await sender.browser.post('/api/messages', {
      conversationId: first.conversationId,
      itemId: crypto.randomUUID(),
      item: toBase64Url(Object.assign(new Uint8Array(200).fill(1), { 0: 1 })),
      attachments: [],
      recipients: [
        {
          kind: 'guest',
          recipientId,
          address: uniqueEmail('twee'),
          role: 'to',
          method: 'email_only',
          serverShare: 'A'.repeat(43),
          publicKey: 'A'.repeat(43),
          linkSecret: 'A'.repeat(43),
        },
      ],
      wrappedKeys: [
        { holderId: sender.id, wrappedKey: 'A'.repeat(108) },
        { holderId: recipientId, wrappedKey: 'A'.repeat(108) },
      ],
    });
    expect(again.statusCode).toBe(409);
    expect(await countRows()).toEqual(before);
  });
});

// Last: it moves the clock by hours, which ends the staff sessions above.
describe('delivery retries', () => {
  it('retries temporary failures with backoff, then gives up as bounced', async () => {
    const address = uniqueEmail('tijdelijk');
    const original = t.mailer.send;
    let attempts = 0;
    t.mailer.send = async (mail) => {
      if (mail.to === address) {
        attempts++;
        throw new Error('connection refused');
      }
      return original(mail);
    };
    try {
      const sent = await sendSecureMessage(t, sender, {
        subject: 's',
        bodyHtml: 'b',
        guests: [{ address, method: 'email_only' }],
      });
      await t.deps.jobs.runDueJobs();
      expect(attempts).toBe(1);
      await t.deps.jobs.runDueJobs();
      expect(attempts).toBe(1);
      for (let i = 0; i < 6; i++) {
        t.clock.advance(40 * 60_000);
        await t.deps.jobs.runDueJobs();
      }
      expect(attempts).toBe(6);
      const row = await t.deps.db
        .selectFrom('participants')
        .select(['bounce_reason', 'conversation_id'])
        .where('address', '=', address)
        .executeTakeFirstOrThrow();
      expect(row.conversation_id).toBe(sent.conversationId);
      expect(row.bounce_reason).toContain('retries');
    } finally {
      t.mailer.send = original;
    }
  });
});

describe('hints', () => {
  it('strips bidirectional overrides and invisible characters from access-code hints', async () => {
    const { cleanHint } = await import('../guest-access/address.ts');
    expect(cleanHint('uw geboorte\u202Edatum\u202C\u200B ')).toBe('uw geboortedatum');
    expect(cleanHint('\u2066\u2069')).toBeNull();
  });
});
