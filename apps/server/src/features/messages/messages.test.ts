import {
  deriveAccessCodeSecrets,
  fromBase64Url,
  rewrapTeamPrivateKey,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  createTeamWithKeys,
  enrolKeys,
  guestLinkFromMail,
  lastSmsCode,
  readAsGuest,
  readAsStaff,
  replyAsGuest,
  type StaffWithKeys,
  sendSecureMessage,
  staffItemBody,
} from '../../../test/messages.ts';
import { canariesIn, storedText } from '../../../test/stored-text.ts';

const CANARY = {
  subject: 'CANARY-SUBJECT-7f3a9c',
  body: 'CANARY-BODY-2b8e41',
  fileName: 'CANARY-FILENAME-c0ffee.pdf',
  content: 'CANARY-CONTENT-91d2aa',
  reply: 'CANARY-REPLY-5e5e5e',
};

let t: TestApp;
let sender: StaffWithKeys;
let teamMember: StaffWithKeys;
let colleague: StaffWithKeys;
let team: Awaited<ReturnType<typeof createTeamWithKeys>>;

beforeAll(async () => {
  t = await createTestApp();
  const { admin } = await createOrganisationWithAdmin(t);
  sender = await enrolKeys(admin);
  teamMember = await enrolKeys(await createMember(t, admin));
  colleague = await enrolKeys(await createMember(t, admin));
  team = await createTeamWithKeys(admin, [teamMember, colleague]);
});
afterAll(async () => {
  await t.close();
});

const pdf = new TextEncoder().encode(`%PDF-1.7 ${CANARY.content} ${'x'.repeat(3000)}`);
const photo = new Uint8Array(200_000).map((_, i) => (i * 7919) % 251);

describe('the whole journey: send, verify, read, reply, receipts, revoke', () => {
  const smsGuest = { address: uniqueEmail('burger'), phone: '06 12345678' };
  const codeGuest = { address: uniqueEmail('advocaat'), code: 'blauwe-tulp 42' };
  let sent: Awaited<ReturnType<typeof sendSecureMessage>>;

  it('sends to an SMS guest, an access-code guest and a team', async () => {
    sent = await sendSecureMessage(t, sender, {
      subject: CANARY.subject,
      bodyHtml: `<p>${CANARY.body}</p>`,
      attachments: [
        { name: CANARY.fileName, type: 'application/pdf', bytes: pdf },
        { name: 'foto.jpg', type: 'image/jpeg', bytes: photo },
      ],
      teams: [team],
      guests: [
        { address: smsGuest.address, method: 'sms', phone: smsGuest.phone },
        {
          address: codeGuest.address,
          method: 'access_code',
          accessCode: codeGuest.code,
          hint: 'de bloem en het huisnummer',
        },
      ],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    expect(t.mailer.sent.some((m) => m.to === smsGuest.address)).toBe(false);
    expect(await t.deps.jobs.runDueJobs()).toBeGreaterThanOrEqual(3);
    const mail = t.mailer.sent.findLast((m) => m.to === smsGuest.address);
    expect(mail?.text).toContain(`/g/${sent.guests[0]?.recipientId}#${sent.guests[0]?.linkSecret}`);
    expect(mail?.subject).not.toContain(CANARY.subject);
    expect(
      t.mailer.sent.some(
        (m) => m.to === teamMember.email && m.text.includes(`/conversations/${sent.conversationId}`),
      ),
    ).toBe(true);
  });

  it('hands out no server share before verification, route by route', async () => {
    const { recipientId } = guestLinkFromMail(t, smsGuest.address);
    const stranger = new Browser(t.app, undefined, '203.0.113.9');
    const landing = await stranger.get(`/api/guest/${recipientId}`);
    expect(landing.statusCode).toBe(200);
    expect(landing.json()).toMatchObject({
      method: 'sms',
      state: 'active',
      senderName: expect.stringContaining('Name of'),
      phoneHint: '+31 •••••••78',
    });
    const share = toBase64Url(
      (
        await t.deps.db
          .selectFrom('guest_credentials')
          .select('server_share')
          .where('participant_id', '=', recipientId)
          .executeTakeFirstOrThrow()
      ).server_share as Uint8Array,
    );
    const attachmentId = sent.manifest[0]?.id as string;
    for (const [method, url, body] of [
      ['GET', `/api/guest/${recipientId}`, undefined],
      ['GET', `/api/guest/${recipientId}/conversation`, undefined],
      ['GET', `/api/guest/${recipientId}/attachments/${attachmentId}`, undefined],
      ['POST', `/api/guest/${recipientId}/verify`, {}],
      ['POST', `/api/guest/${recipientId}/verify`, { code: '000000' }],
      ['POST', `/api/guest/${recipientId}/no-code`, undefined],
      [
        'POST',
        `/api/guest/${recipientId}/replies`,
        { itemId: crypto.randomUUID(), item: 'AQ', attachments: [], wrappedKeys: [] },
      ],
    ] as const) {
      const response = await stranger.request(method, url, body);
      expect(response.body, `${method} ${url}`).not.toContain(share);
      if (url.endsWith('conversation') || url.includes('attachments')) expect(response.statusCode).toBe(401);
    }
    // Staff routes never carry a server share either, not even to the sender.
    for (const url of [
      `/api/conversations/${sent.conversationId}`,
      `/api/conversations/${sent.conversationId}/report`,
      '/api/conversations?box=sent',
    ]) {
      const response = await sender.browser.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain(share);
    }
    // The stranger's wrong code counted once; reset so the real guest has all attempts.
    await t.deps.db
      .updateTable('guest_credentials')
      .set({ wrong_codes: 0 })
      .where('participant_id', '=', recipientId)
      .execute();
  });

  it('lets the SMS guest verify, read, download byte-identical attachments and reply', async () => {
    const link = guestLinkFromMail(t, smsGuest.address);
    const guest = new Browser(t.app, undefined, '192.0.2.10');
    expect((await guest.post(`/api/guest/${link.recipientId}/sms`)).statusCode).toBe(200);
    const resend = await guest.post(`/api/guest/${link.recipientId}/sms`);
    expect(resend.statusCode).toBe(429);
    const code = lastSmsCode(t, '+31612345678');
    const wrong = code === '111111' ? '222222' : '111111';
    const failed = await guest.post(`/api/guest/${link.recipientId}/verify`, { code: wrong });
    expect(failed.statusCode).toBe(401);
    expect(failed.json().error.details.attemptsLeft).toBe(4);
    const verified = await guest.post(`/api/guest/${link.recipientId}/verify`, { code });
    expect(verified.statusCode, verified.body).toBe(200);
    expect((await guest.post(`/api/guest/${link.recipientId}/verify`, { code })).statusCode).toBe(401); // single use
    const read = await readAsGuest(guest, link);
    expect(read.items[0]?.content.subject).toBe(CANARY.subject);
    expect(read.items[0]?.content.bodyHtml).toContain(CANARY.body);
    expect(read.downloads.get(CANARY.fileName)).toEqual(pdf);
    expect(read.downloads.get('foto.jpg')).toEqual(photo);
    t.clock.advance(1000);
    const reply = await replyAsGuest(
      t,
      guest,
      { recipientId: link.recipientId, keyPair: read.keyPair, conversation: read.conversation },
      `<p>${CANARY.reply}</p>`,
      [{ name: 'antwoord.txt', type: 'text/plain', bytes: new TextEncoder().encode('bijlage bij antwoord') }],
    );
    expect(reply.statusCode, reply.body).toBe(201);
  });

  it('lets the access-code guest verify with the proof only, and read', async () => {
    const link = guestLinkFromMail(t, codeGuest.address);
    const guest = new Browser(t.app, undefined, '192.0.2.11');
    const landing = (await guest.get(`/api/guest/${link.recipientId}`)).json();
    expect(landing).toMatchObject({ method: 'access_code', accessCodeHint: 'de bloem en het huisnummer' });
    const { proof } = await deriveAccessCodeSecrets(
      ` ${codeGuest.code} `,
      fromBase64Url(landing.accessCode.salt),
      landing.accessCode.params,
    );
    const verified = await guest.post(`/api/guest/${link.recipientId}/verify`, {
      proof: toBase64Url(proof),
      rememberBrowser: true,
    });
    expect(verified.statusCode, verified.body).toBe(200);
    expect(guest.cookies.has('zegel_guest_device')).toBe(true);
    const read = await readAsGuest(guest, link, codeGuest.code);
    expect(read.downloads.get(CANARY.fileName)).toEqual(pdf);
    // A remembered browser verifies again without a code.
    guest.cookies.delete('zegel_guest');
    expect((await guest.get(`/api/guest/${link.recipientId}`)).json().isRememberedBrowser).toBe(true);
    expect((await guest.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(200);
  });

  it('shows the sender and the team the reply and the receipts', async () => {
    await t.deps.jobs.runDueJobs();
    const mine = await readAsStaff(sender, sent.conversationId);
    const reply = mine.items.find((i) => i.authorKind === 'guest');
    expect(reply?.content.bodyHtml).toContain(CANARY.reply);
    const theirs = await readAsStaff(teamMember, sent.conversationId);
    expect(theirs.items.map((i) => i.content.subject)).toEqual([CANARY.subject, 'Re']);
    const [smsRecipient, codeRecipient] = sent.guests;
    const participants = mine.detail.participants as {
      id: string;
      deliveredAt: string;
      verifiedAt: string;
      openedAt: string;
      downloads: unknown[];
    }[];
    const sms = participants.find((p) => p.id === smsRecipient?.recipientId);
    expect(sms).toMatchObject({
      deliveredAt: expect.any(String),
      verifiedAt: expect.any(String),
      openedAt: expect.any(String),
    });
    expect(sms?.downloads).toHaveLength(2);
    expect(participants.find((p) => p.id === codeRecipient?.recipientId)?.verifiedAt).toEqual(
      expect.any(String),
    );
    const sentBox = (await sender.browser.get('/api/conversations?box=sent')).json();
    expect(sentBox.conversations[0].id).toBe(sent.conversationId);
    const teamBox = (await teamMember.browser.get(`/api/conversations?box=team&teamId=${team.id}`)).json();
    expect(teamBox.conversations.map((c: { id: string }) => c.id)).toContain(sent.conversationId);
    const mailboxReads = await t.deps.db
      .selectFrom('audit_events')
      .select(['actor_user_id', 'object_type', 'object_id'])
      .where('action', '=', 'message.mailbox_read')
      .execute();
    expect(mailboxReads).toEqual(
      expect.arrayContaining([
        { actor_user_id: sender.id, object_type: 'mailbox', object_id: sender.id },
        { actor_user_id: teamMember.id, object_type: 'team_mailbox', object_id: team.id },
      ]),
    );
    const report = (await sender.browser.get(`/api/conversations/${sent.conversationId}/report`)).json();
    expect(report.events.map((e: { type: string }) => e.type)).toEqual(
      expect.arrayContaining(['sent', 'delivered', 'verified', 'opened', 'downloaded', 'replied']),
    );
    expect(t.mailer.sent.some((m) => m.to === sender.email && m.subject.includes('Nieuw antwoord'))).toBe(
      true,
    );
  });

  it('revokes: the guest sees revoked and can no longer get the share or the content', async () => {
    const link = guestLinkFromMail(t, smsGuest.address);
    const guest = new Browser(t.app, undefined, '192.0.2.12');
    const response = await sender.browser.post(`/api/conversations/${sent.conversationId}/revoke`, {
      participantIds: [link.recipientId],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect((await guest.get(`/api/guest/${link.recipientId}`)).json().state).toBe('revoked');
    expect((await guest.post(`/api/guest/${link.recipientId}/sms`)).statusCode).toBe(410);
    expect(
      (await guest.post(`/api/guest/${link.recipientId}/verify`, { code: '123456' })).json().error.code,
    ).toBe('message_revoked');
    const row = await t.deps.db
      .selectFrom('guest_credentials')
      .select('server_share')
      .where('participant_id', '=', link.recipientId)
      .executeTakeFirstOrThrow();
    expect(row.server_share).toBeNull();
    const keys = await t.deps.db
      .selectFrom('item_keys')
      .select('holder_id')
      .where('holder_id', '=', link.recipientId)
      .execute();
    expect(keys).toHaveLength(0);
    // The other guest is unaffected.
    expect((await new Browser(t.app).get(`/api/guest/${sent.guests[1]?.recipientId}`)).json().state).toBe(
      'active',
    );
  });

  it('never lets a canary reach the database, the blob store, the logs, mails or SMS', async () => {
    const stored = await storedText(t);
    const { dump } = stored;
    expect(dump.length).toBeGreaterThan(1000);
    expect(t.blobs.blobs.size).toBeGreaterThanOrEqual(3);
    expect(canariesIn(stored, Object.values(CANARY))).toEqual([]);
    // Link secrets left with the mail: the finished jobs' payloads are erased.
    for (const guest of sent.guests) expect(dump).not.toContain(guest.linkSecret);
  });
});

describe('expiry', () => {
  it('answers 410 after expiry and shreds the guest key material', async () => {
    const address = uniqueEmail('vervalt');
    const sent = await sendSecureMessage(t, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'email_only' }],
      expiresAt: new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString(),
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const guest = new Browser(t.app);
    const recipientId = sent.guests[0]?.recipientId as string;
    expect((await guest.post(`/api/guest/${recipientId}/verify`, {})).statusCode).toBe(200);
    const changed = await sender.browser.patch(`/api/conversations/${sent.conversationId}`, {
      expiresAt: new Date(t.clock.now().getTime() + 86_400_000).toISOString(),
    });
    expect(changed.statusCode).toBe(200);
    t.clock.advance(86_400_000 + 1000);
    expect((await guest.get(`/api/guest/${recipientId}`)).json().state).toBe('expired');
    expect((await guest.get(`/api/guest/${recipientId}/conversation`)).statusCode).toBe(410);
    const { purgeExpiredConversations } = await import('../conversations/expiry.ts');
    expect(await purgeExpiredConversations(t.deps)).toBeGreaterThanOrEqual(1);
    const row = await t.deps.db
      .selectFrom('guest_credentials')
      .select('server_share')
      .where('participant_id', '=', recipientId)
      .executeTakeFirstOrThrow();
    expect(row.server_share).toBeNull();
    t.clock.advance(-(86_400_000 + 1000));
  });
});

describe('staff to staff, follow-ups and team keys', () => {
  it('delivers to a colleague’s inbox, records opened, and takes a follow-up wrapped to every key holder', async () => {
    const address = uniqueEmail('volg');
    const sent = await sendSecureMessage(t, sender, {
      subject: 'intern',
      bodyHtml: '<p>hallo</p>',
      users: [colleague],
      guests: [{ address, method: 'email_only' }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await t.deps.jobs.runDueJobs();
    const inbox = (await colleague.browser.get('/api/conversations?box=inbox')).json();
    expect(inbox.conversations.map((c: { id: string }) => c.id)).toContain(sent.conversationId);
    const read = await readAsStaff(colleague, sent.conversationId);
    expect(read.items[0]?.content.subject).toBe('intern');
    const holders = read.detail.keyHolders as { holderId: string; publicKey: string }[];
    expect(holders.map((h) => h.holderId).sort()).toEqual(
      [sender.id, colleague.id, sent.guests[0]?.recipientId].sort(),
    );
    const body = await staffItemBody(holders, { subject: 'Re: intern', bodyHtml: 'ok' });
    const missing = await colleague.browser.post(`/api/conversations/${sent.conversationId}/items`, {
      ...body,
      wrappedKeys: body.wrappedKeys.slice(1),
    });
    expect(missing.statusCode).toBe(400);
    const added = await colleague.browser.post(`/api/conversations/${sent.conversationId}/items`, body);
    expect(added.statusCode, added.body).toBe(201);
    const mine = await readAsStaff(sender, sent.conversationId);
    expect(mine.items.map((i) => i.content.subject)).toEqual(['intern', 'Re: intern']);
    const participant = mine.detail.participants.find((p: { refId: string }) => p.refId === colleague.id);
    expect(participant.openedAt).toEqual(expect.any(String));
    // Only the sender manages: a recipient cannot revoke or read the report.
    expect(
      (await colleague.browser.post(`/api/conversations/${sent.conversationId}/revoke`, {})).statusCode,
    ).toBe(403);
    expect((await colleague.browser.get(`/api/conversations/${sent.conversationId}/report`)).statusCode).toBe(
      403,
    );
    // Someone outside the conversation does not even learn it exists.
    expect((await teamMember.browser.get(`/api/conversations/${sent.conversationId}`)).statusCode).toBe(404);
  });

  it('lets a member wrap the team key for a newcomer, who can then read team mail', async () => {
    const newcomer = await enrolKeys(await createMember(t, sender));
    await sender.browser.put(`/api/teams/${team.id}/members/${newcomer.id}`, { role: 'member' });
    const view = (await teamMember.browser.get('/api/account/team-keys'))
      .json()
      .teams.find((x: { teamId: string }) => x.teamId === team.id);
    expect(view.membersWithoutKey.map((m: { userId: string }) => m.userId)).toEqual([newcomer.id]);
    const wraps = await rewrapTeamPrivateKey({
      teamId: team.id,
      teamPublicKey: fromBase64Url(view.publicKey),
      wrappedForMe: fromBase64Url(view.wrappedPrivateKey),
      myPrivateKey: teamMember.keys.privateKey,
      newMembers: [{ userId: newcomer.id, publicKey: fromBase64Url(view.membersWithoutKey[0].publicKey) }],
    });
    const response = await teamMember.browser.post(`/api/teams/${team.id}/keys/wraps`, {
      publicKey: view.publicKey,
      wraps: wraps.map((w) => ({ userId: w.userId, wrappedPrivateKey: toBase64Url(w.wrappedPrivateKey) })),
    });
    expect(response.statusCode, response.body).toBe(200);
    const sent = await sendSecureMessage(t, sender, {
      subject: 'voor het team',
      bodyHtml: 'x',
      teams: [team],
    });
    const read = await readAsStaff(newcomer, sent.conversationId);
    expect(read.items[0]?.content.subject).toBe('voor het team');
    expect(
      (
        await teamMember.browser.put(`/api/teams/${team.id}/keys`, {
          publicKey: view.publicKey,
          wraps: [{ userId: teamMember.id, wrappedPrivateKey: 'A'.repeat(80) }],
        })
      ).statusCode,
    ).toBe(409);
    expect(
      (
        await sender.browser.put('/api/account/keys', {
          publicKey: 'A'.repeat(43),
          wrappedPrivateKey: 'A'.repeat(80),
        })
      ).statusCode,
    ).toBe(409);
  });
});
