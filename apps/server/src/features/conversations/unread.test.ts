import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, uniqueEmail } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';
import {
  enrolKeys,
  guestLinkFromMail,
  readAsGuest,
  readAsStaff,
  replyAsGuest,
  type StaffWithKeys,
  sendSecureMessage,
} from '../../../test/messages.ts';

/**
 * Replies land in Postvak IN (issue 12, item 4): a conversation the staff member started comes
 * into the inbox once someone else writes in it, marked unread with a count, ordered by its
 * latest activity; opening it reads it, and only the reader.
 */
let t: TestApp;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;

beforeAll(async () => {
  t = await createTestApp();
  const org = await createOrganisationWithAdmin(t);
  sender = await enrolKeys(org.admin);
  colleague = await enrolKeys(await createMember(t, org.admin));
});
afterAll(async () => {
  await t.close();
});

type Summary = { id: string; unreadCount: number; lastActivityAt: string };
async function inbox(user: StaffWithKeys): Promise<Summary[]> {
  const response = await user.browser.get('/api/conversations?box=inbox');
  expect(response.statusCode, response.body).toBe(200);
  return response.json().conversations;
}
async function unreadInbox(user: StaffWithKeys): Promise<number> {
  const response = await user.browser.get('/api/conversations/unread');
  expect(response.statusCode, response.body).toBe(200);
  return response.json().inbox;
}

async function sendToGuest(subject: string) {
  const address = uniqueEmail('guest');
  const sent = await sendSecureMessage(t, sender, {
    subject,
    bodyHtml: 'Hallo',
    guests: [{ address, method: 'email_only' }],
  });
  expect(sent.response.statusCode, sent.response.body).toBe(201);
  await t.deps.jobs.runDueJobs();
  const link = guestLinkFromMail(t, address);
  const browser = new Browser(t.app, undefined, '192.0.2.41');
  expect((await browser.post(`/api/guest/${link.recipientId}/verify`, {})).statusCode).toBe(200);
  const read = await readAsGuest(browser, link);
  return {
    conversationId: sent.conversationId,
    reply: (text: string) => replyAsGuest(t, browser, { recipientId: link.recipientId, ...read }, text),
  };
}

describe('Postvak IN and unread replies', () => {
  it('keeps a sent conversation out of the inbox until someone replies, then marks it unread', async () => {
    const first = await sendToGuest('Eerste');
    const second = await sendToGuest('Tweede');
    expect((await inbox(sender)).map((c) => c.id)).toEqual([]);
    expect(await unreadInbox(sender)).toBe(0);

    t.clock.advance(60_000);
    expect((await first.reply('Antwoord een')).statusCode).toBe(201);
    t.clock.advance(60_000);
    expect((await second.reply('Antwoord twee')).statusCode).toBe(201);
    t.clock.advance(60_000);
    expect((await first.reply('Nog een antwoord')).statusCode).toBe(201);

    const listed = await inbox(sender);
    // Latest activity first: the first conversation had the last reply.
    expect(listed.map((c) => [c.id, c.unreadCount])).toEqual([
      [first.conversationId, 2],
      [second.conversationId, 1],
    ]);
    expect(await unreadInbox(sender)).toBe(2);
    // The sent box still lists both, with the same unread counts.
    const sentBox = (await sender.browser.get('/api/conversations?box=sent')).json()
      .conversations as Summary[];
    expect(sentBox.find((c) => c.id === second.conversationId)?.unreadCount).toBe(1);
  });

  it('marks a conversation read when it is opened, for the reader only, until the next reply', async () => {
    const third = await sendToGuest('Derde');
    t.clock.advance(60_000);
    expect((await third.reply('Gelezen?')).statusCode).toBe(201);
    const before = await unreadInbox(sender);

    await readAsStaff(sender, third.conversationId);
    expect((await inbox(sender)).find((c) => c.id === third.conversationId)?.unreadCount).toBe(0);
    expect(await unreadInbox(sender)).toBe(before - 1);

    t.clock.advance(60_000);
    expect((await third.reply('Nog iets')).statusCode).toBe(201);
    expect((await inbox(sender)).find((c) => c.id === third.conversationId)?.unreadCount).toBe(1);
    expect(await unreadInbox(sender)).toBe(before);
  });

  it('shows a colleague’s message to them as unread until they open it, and the sender’s own item never', async () => {
    const sent = await sendSecureMessage(t, sender, {
      subject: 'Collega',
      bodyHtml: 'Hoi',
      users: [colleague],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    expect((await inbox(colleague)).find((c) => c.id === sent.conversationId)?.unreadCount).toBe(1);
    expect(await unreadInbox(colleague)).toBe(1);
    expect((await inbox(sender)).some((c) => c.id === sent.conversationId)).toBe(false);
    await readAsStaff(colleague, sent.conversationId);
    expect(await unreadInbox(colleague)).toBe(0);
  });

  it('needs a signed-in staff member', async () => {
    const anonymous = new Browser(t.app);
    expect((await anonymous.get('/api/conversations/unread')).statusCode).toBe(401);
  });
});
