import { createHash } from 'node:crypto';
import { type ContactStartResponse, hasLeadingZeroBits, type MessageContent } from '@zegel/protocol/api';
import { createGuestInvitation, toBase64Url } from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  createTeamWithKeys,
  enrolKeys,
  guestLinkFromMail,
  guestReplyBody,
  readAsGuest,
  readAsStaff,
  type StaffWithKeys,
  staffItemBody,
} from '../../../test/messages.ts';

let t: TestApp;
let admin: TestUser;
let slug: string;
let anna: StaffWithKeys;
let bram: StaffWithKeys;
let team: { id: string };
let smsTeam: { id: string };
let closedTeam: { id: string };
let ipCounter = 0;
const nextIp = () => `203.0.113.${++ipCounter}`;
const AUTO_REPLY = 'We antwoorden binnen twee werkdagen.';

beforeAll(async () => {
  t = await createTestApp();
  const created = await createOrganisationWithAdmin(t, 'Parket Contact');
  admin = created.admin;
  slug = created.org.slug;
  anna = await enrolKeys(await createMember(t, admin));
  bram = await enrolKeys(await createMember(t, admin));
  team = await createTeamWithKeys(admin, [anna, bram], 'Parket Oost');
  smsTeam = await createTeamWithKeys(admin, [anna], 'Jeugdteam');
  closedTeam = await createTeamWithKeys(admin, [anna], 'Griffie');
  for (const [id, settings] of [
    [team.id, { acceptsNewConversations: true, autoReply: AUTO_REPLY, responseTime: '2 werkdagen' }],
    [smsTeam.id, { acceptsNewConversations: true, guestVerification: 'sms' }],
  ] as const) {
    const response = await admin.browser.patch(`/api/teams/${id}/contact-settings`, settings);
    expect(response.statusCode, response.body).toBe(200);
  }
});
afterAll(() => t.close());

function solve(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    const hash = createHash('sha256').update(`${challenge}${nonce}`).digest();
    if (hasLeadingZeroBits(hash, difficulty)) return String(nonce);
  }
}

/** The address step as the web page does it: proof of work, code by mail, send token. */
async function proveAddress(browser: Browser, email: string, teamId: string, phone?: string) {
  const issued = (await browser.post(`/api/contact/${slug}/challenge`, undefined)).json();
  const requested = await browser.post(`/api/contact/${slug}/teams/${teamId}/email-code`, {
    email,
    ...(phone ? { phone } : {}),
    challenge: issued.challenge,
    nonce: solve(issued.challenge, issued.difficulty),
  });
  expect(requested.statusCode, requested.body).toBe(200);
  const code = t.mailer.sent.findLast((m) => m.to === email)?.text.match(/\b(\d{6})\b/)?.[1];
  const verified = await browser.post(`/api/contact/${slug}/teams/${teamId}/verify`, {
    verificationId: requested.json().verificationId,
    code,
  });
  expect(verified.statusCode, verified.body).toBe(200);
  return verified.json().sendToken as string;
}

/** The person's browser: makes the guest key, opens the conversation. */
async function start(browser: Browser, sendToken: string, teamId: string) {
  const recipientId = crypto.randomUUID();
  const invitation = await createGuestInvitation({ guestId: recipientId });
  const response = await browser.post(`/api/contact/${slug}/teams/${teamId}/conversations`, {
    sendToken,
    conversationId: crypto.randomUUID(),
    recipientId,
    publicKey: toBase64Url(invitation.publicKey),
    serverShare: toBase64Url(invitation.serverShare),
  });
  return { response, recipientId, invitation };
}

/** Encrypts and posts the first message with attachments, as the web page does. */
async function firstMessage(
  browser: Browser,
  started: Awaited<ReturnType<typeof start>>,
  content: Omit<MessageContent, 'v' | 'attachments'>,
  files: { name: string; type: string; bytes: Uint8Array }[] = [],
) {
  const opened = started.response.json() as ContactStartResponse;
  const body = await guestReplyBody(
    t,
    browser,
    {
      recipientId: started.recipientId,
      publicKey: started.invitation.publicKey,
      replyRecipients: opened.replyRecipients,
    },
    content,
    files,
  );
  return browser.post(`/api/guest/${started.recipientId}/first-message`, {
    ...body,
    linkSecret: toBase64Url(started.invitation.linkSecret),
  });
}

describe('starting a conversation from the contact page', () => {
  it('reaches the team, confirms with the guest link, and the reply comes back in the team name', async () => {
    const person = new Browser(t.app, undefined, nextIp());
    const email = 'melder@example.nl';
    const sendToken = await proveAddress(person, email, team.id);
    const started = await start(person, sendToken, team.id);
    expect(started.response.statusCode, started.response.body).toBe(201);
    const opened = started.response.json() as ContactStartResponse;
    expect(opened.replyRecipients).toEqual([expect.objectContaining({ holderId: team.id, kind: 'team' })]);

    // Until the first message arrives, the conversation is in no mailbox.
    const before = (await anna.browser.get(`/api/conversations?box=team&teamId=${team.id}`)).json();
    expect(before.conversations.map((c: { id: string }) => c.id)).not.toContain(opened.conversationId);

    const scan = new TextEncoder().encode('%PDF-1.7 aangifte');
    const sent = await firstMessage(
      person,
      started,
      { subject: 'Melding overlast', bodyHtml: '<p>Er is overlast.</p>' },
      [{ name: 'foto.pdf', type: 'application/pdf', bytes: scan }],
    );
    expect(sent.statusCode, sent.body).toBe(201);
    const again = await firstMessage(person, started, { subject: 'nog eens', bodyHtml: 'x' });
    expect(again.statusCode).toBe(409);
    await t.deps.jobs.runDueJobs();

    // The person gets a confirmation with the guest link and the team's auto-reply.
    const confirmation = t.mailer.sent.findLast((m) => m.to === email);
    expect(confirmation?.subject).toContain('Parket Oost');
    expect(confirmation?.text).toContain(AUTO_REPLY);
    expect(confirmation?.text).not.toContain('Er is overlast');
    const link = guestLinkFromMail(t, email);
    expect(link.recipientId).toBe(started.recipientId);
    // Every member of the team is told (no content).
    for (const member of [anna, bram])
      expect(t.mailer.sent.some((m) => m.to === member.email && m.subject.includes('Parket Oost'))).toBe(
        true,
      );

    // A member sees it in the team mailbox, decrypts it with the team key, and assigns it to Bram.
    const box = (await anna.browser.get(`/api/conversations?box=team&teamId=${team.id}`)).json();
    const listed = box.conversations.find((c: { id: string }) => c.id === opened.conversationId);
    expect(listed.sender).toEqual({ userId: null, name: email });
    const read = await readAsStaff(anna, opened.conversationId);
    expect(read.items[0]?.content.subject).toBe('Melding overlast');
    expect(read.items[0]?.authorKind).toBe('guest');
    const assigned = await anna.browser.put(
      `/api/teams/${team.id}/conversations/${opened.conversationId}/assignee`,
      { userId: bram.id },
    );
    expect(assigned.statusCode, assigned.body).toBe(200);

    // Bram replies; the reply is wrapped to the team and the person.
    const mine = await readAsStaff(bram, opened.conversationId);
    const holders = mine.detail.keyHolders as { holderId: string; publicKey: string }[];
    expect(holders.map((h) => h.holderId).sort()).toEqual([team.id, started.recipientId].sort());
    const body = await staffItemBody([...holders, { holderId: bram.id, publicKey: bram.keys.publicKey }], {
      subject: 'Re: Melding overlast',
      bodyHtml: 'We kijken ernaar.',
    });
    const itemId = body.itemId;
    const replied = await bram.browser.post(`/api/conversations/${opened.conversationId}/items`, body);
    expect(replied.statusCode, replied.body).toBe(201);
    const mailsBefore = t.mailer.sent.filter((m) => m.to === email).length;
    await t.deps.jobs.runDueJobs();
    const notice = t.mailer.sent.filter((m) => m.to === email).slice(mailsBefore);
    expect(notice).toHaveLength(1);
    expect(notice[0]?.subject).toContain('Parket Oost');
    expect(notice[0]?.text).not.toContain(bram.email);

    // Someone with only the link's path gets nothing (the first message stored the link proof hash).
    const stranger = new Browser(t.app, undefined, nextIp());
    stranger.knowsLinks = false;
    expect((await stranger.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(403);
    // The person follows the link: their e-mail was proven, so the link alone opens it.
    const reader = new Browser(t.app, undefined, nextIp());
    expect((await reader.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(200);
    const guest = await readAsGuest(reader, link);
    expect(guest.items.map((i) => i.content.subject)).toEqual(['Melding overlast', 'Re: Melding overlast']);
    expect(guest.downloads.get('foto.pdf')).toEqual(scan);
    expect(guest.conversation.senderName).toBe('Parket Oost');
    const replyItem = guest.conversation.items.find((i) => i.id === itemId);
    expect(replyItem?.author).toEqual({ kind: 'user', id: team.id, name: 'Parket Oost' });
    // Staff see who wrote it, for the team.
    const staffView = await readAsStaff(anna, opened.conversationId);
    const staffItem = (staffView.detail.items as { id: string; author: unknown }[]).find(
      (i) => i.id === itemId,
    );
    expect(staffItem?.author).toEqual({
      kind: 'user',
      id: bram.id,
      name: expect.stringContaining(bram.email),
      team: { id: team.id, name: 'Parket Oost' },
    });
    // The audit trail names the member who wrote in the team's name, and the start by the person.
    const audit = await t.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'subject_person', 'details'])
      .where('object_id', '=', opened.conversationId)
      .execute();
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'message.item_added',
        actor_user_id: bram.id,
        details: expect.objectContaining({ onBehalfOfTeamId: team.id }),
      }),
    );
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'contact.conversation_started', subject_person: email }),
    );
  });

  it('sends team notifications to the team address when the team asks for that', async () => {
    const changed = await admin.browser.patch(`/api/teams/${team.id}/contact-settings`, {
      notify: 'address',
      notifyAddress: 'parket-oost@parket.example',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    const person = new Browser(t.app, undefined, nextIp());
    const started = await start(person, await proveAddress(person, 'tweede@example.nl', team.id), team.id);
    const count = (to: string) => t.mailer.sent.filter((m) => m.to === to).length;
    const [annaBefore, teamBefore] = [count(anna.email), count('parket-oost@parket.example')];
    expect((await firstMessage(person, started, { subject: 's', bodyHtml: 'b' })).statusCode).toBe(201);
    await t.deps.jobs.runDueJobs();
    expect(count('parket-oost@parket.example')).toBe(teamBefore + 1);
    expect(count(anna.email)).toBe(annaBefore);
    await admin.browser.patch(`/api/teams/${team.id}/contact-settings`, { notify: 'members' });
  });

  it('refuses a used, forged or other team’s token, and a team that only replies', async () => {
    const person = new Browser(t.app, undefined, nextIp());
    const sendToken = await proveAddress(person, 'derde@example.nl', team.id);
    const forged = await start(person, 'x'.repeat(43), team.id);
    expect(forged.response.statusCode).toBe(401);
    expect(forged.response.json().error.code).toBe('verification_failed');
    const otherTeam = await start(person, sendToken, smsTeam.id);
    expect(otherTeam.response.statusCode).toBe(401);
    const closed = await start(person, sendToken, closedTeam.id);
    expect(closed.response.statusCode).toBe(403);
    expect(closed.response.json().error.code).toBe('contact_closed');
    expect((await start(person, sendToken, team.id)).response.statusCode).toBe(201);
    const reused = await start(person, sendToken, team.id);
    expect(reused.response.statusCode).toBe(401);
    expect(reused.response.json().error.message).toMatch(/already used/);
  });

  it('needs the guest session for the first message and refuses it on other conversations', async () => {
    const person = new Browser(t.app, undefined, nextIp());
    const started = await start(person, await proveAddress(person, 'vierde@example.nl', team.id), team.id);
    const stranger = new Browser(t.app, undefined, nextIp());
    const hijack = await firstMessage(stranger, started, { subject: 's', bodyHtml: 'b' });
    expect(hijack.statusCode).toBe(401);
    const unknown = await person.post(`/api/guest/${crypto.randomUUID()}/first-message`, {
      itemId: crypto.randomUUID(),
      item: 'AQ',
      attachments: [],
      wrappedKeys: [],
      linkSecret: 'x'.repeat(43),
    });
    expect(unknown.statusCode).toBe(400);
    expect(
      (await firstMessage(person, started, { subject: '<script>x</script>', bodyHtml: 'b' })).statusCode,
    ).toBe(201);
  });

  it('asks a team with SMS verification for a mobile number and uses it for the guest', async () => {
    const person = new Browser(t.app, undefined, nextIp());
    const noPhone = await start(
      person,
      await proveAddress(person, 'vijfde@example.nl', smsTeam.id),
      smsTeam.id,
    );
    expect(noPhone.response.statusCode).toBe(400);
    expect(noPhone.response.json().error.message).toMatch(/mobile number/);
    const withPhone = await start(
      person,
      await proveAddress(person, 'zesde@example.nl', smsTeam.id, '0612345678'),
      smsTeam.id,
    );
    expect(withPhone.response.statusCode, withPhone.response.body).toBe(201);
    const landing = (await new Browser(t.app).get(`/api/guest/${withPhone.recipientId}`)).json();
    expect(landing.method).toBe('sms');
  });
});
