import { toBase64Url } from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin } from '../../../test/factories.ts';
import { Browser, createTwoProcesses, type TestApp } from '../../../test/harness.ts';
import {
  enrolKeys,
  lastSmsCode,
  readAsGuest,
  type StaffWithKeys,
  sendToSmsGuest as sendToSmsGuestOf,
} from '../../../test/messages.ts';

/**
 * Issue 13, item 1: nobody who knows only a guest link's path can lock the guest out, and a lock
 * after wrong codes ends (growing delay) or is ended by the sender. Two apps on one database stand
 * for two server processes (PostgreSQL with ZEGEL_TEST_DATABASE=postgres).
 */
let first: TestApp;
let second: TestApp;
let sender: StaffWithKeys;
let colleague: StaffWithKeys;

beforeAll(async () => {
  [first, second] = await createTwoProcesses();
  const { admin } = await createOrganisationWithAdmin(first);
  sender = await enrolKeys(admin);
  colleague = await enrolKeys(await createMember(first, admin));
});
afterAll(async () => {
  await second.close();
  await first.close();
});

/** Both processes share one time (sign-in steps move the first app's clock). */
function advance(ms: number) {
  first.clock.advance(ms);
}

const PHONE = '0612345671';

/** A new SMS guest (with staff `users`), the two processes' clocks in step after the send. */
async function sendToSmsGuest(extra: { users?: StaffWithKeys[] } = {}) {
  const guest = await sendToSmsGuestOf(first, sender, PHONE, extra.users);
  return guest;
}

/** A stranger who knows the link's path (from a log, a shoulder, a forwarded header) but not its fragment. */
function stranger(app: TestApp, ip: string) {
  const browser = new Browser(app.app, undefined, ip);
  browser.knowsLinks = false;
  return browser;
}

const lockMails = () =>
  first.mailer.sent.filter((m) => m.to === sender.email && m.subject.includes('geblokkeerd'));

async function wrongCodes(browser: Browser, recipientId: string, count: number) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i++)
    statuses.push((await browser.post(`/api/guest/${recipientId}/verify`, { code: '000000' })).statusCode);
  return statuses;
}

describe('a stranger with only the path', () => {
  it('cannot count codes, send SMS or see who wrote; the real guest verifies and reads at once', async () => {
    const guest = await sendToSmsGuest();
    const onFirst = stranger(first, '198.51.100.20');
    const onSecond = stranger(second, '198.51.100.21');
    const smsBefore = first.sms.sent.length + second.sms.sent.length;
    const mailsBefore = first.mailer.sent.length;
    const answers = [];
    for (let i = 0; i < 20; i++) {
      const browser = i % 2 === 0 ? onFirst : onSecond;
      answers.push(await browser.post(`/api/guest/${guest.recipientId}/verify`, { code: `00000${i % 10}` }));
    }
    for (let i = 0; i < 5; i++) answers.push(await onFirst.post(`/api/guest/${guest.recipientId}/sms`));
    answers.push(await onSecond.post(`/api/guest/${guest.recipientId}/no-code`));
    const landing = await onFirst.get(`/api/guest/${guest.recipientId}`);
    answers.push(landing);
    expect(answers.map((a) => a.statusCode)).toEqual(Array(27).fill(403));
    expect(new Set(answers.map((a) => a.json().error.code))).toEqual(new Set(['link_proof_invalid']));
    expect(landing.body).not.toContain(sender.email);
    expect(landing.body).not.toContain('+31');
    // A made-up proof and a malformed header do no better, and never a 500.
    const forged = { 'x-zegel-link-proof': toBase64Url(crypto.getRandomValues(new Uint8Array(32))) };
    for (const headers of [forged, { 'x-zegel-link-proof': 'not base64 %00' }]) {
      const response = await first.app.inject({
        method: 'POST',
        url: `/api/guest/${guest.recipientId}/verify`,
        headers: { ...headers, 'content-type': 'application/json', 'x-zegel-csrf': '1' },
        payload: JSON.stringify({ code: '000000' }),
      });
      expect(response.statusCode).toBe(403);
    }
    await first.deps.jobs.runDueJobs();
    expect(first.sms.sent.length + second.sms.sent.length).toBe(smsBefore);
    expect(first.mailer.sent.length).toBe(mailsBefore);
    const counted = await first.deps.db
      .selectFrom('guest_credentials')
      .select(['wrong_codes', 'locked_until'])
      .where('participant_id', '=', guest.recipientId)
      .executeTakeFirstOrThrow();
    expect(counted).toEqual({ wrong_codes: 0, locked_until: null });

    // The real guest, with the link from the mail, on either process.
    const real = new Browser(second.app, undefined, '203.0.113.30');
    const shown = (await real.get(`/api/guest/${guest.recipientId}`)).json();
    expect(shown.senderName).toContain(sender.email);
    expect(shown.state).toBe('active');
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    const code = lastSmsCode(second, `+31${PHONE.slice(1)}`);
    expect((await real.post(`/api/guest/${guest.recipientId}/verify`, { code })).statusCode).toBe(200);
    const read = await readAsGuest(real, guest);
    expect(read.items).toHaveLength(1);
  });
});

describe('links from before link proofs', () => {
  it('keep working without a proof until the message expires (no hash stored)', async () => {
    const guest = await sendToSmsGuest();
    await first.deps.db
      .updateTable('guest_credentials')
      .set({ link_proof_hash: null })
      .where('participant_id', '=', guest.recipientId)
      .execute();
    const oldPage = stranger(first, '198.51.100.90');
    expect((await oldPage.get(`/api/guest/${guest.recipientId}`)).statusCode).toBe(200);
    expect((await oldPage.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
  });
});

describe('the sender unlocks', () => {
  it('ends the lock at once from the sent message, audited; the guest verifies', async () => {
    const guest = await sendToSmsGuest({ users: [colleague] });
    const real = new Browser(second.app, undefined, '203.0.113.60');
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    await wrongCodes(real, guest.recipientId, 5);
    const detail = (await sender.browser.get(`/api/conversations/${guest.conversationId}`)).json();
    const shown = detail.participants.find((p: { id: string }) => p.id === guest.recipientId);
    expect(shown.state).toBe('locked');
    expect(shown.lockedUntil).toEqual(expect.any(String));

    const unlock = `/api/conversations/${guest.conversationId}/participants/${guest.recipientId}/unlock`;
    expect((await sender.browser.post(unlock)).statusCode).toBe(200);
    const after = (await sender.browser.get(`/api/conversations/${guest.conversationId}`)).json();
    expect(after.participants.find((p: { id: string }) => p.id === guest.recipientId).state).toBe('active');
    expect((await real.get(`/api/guest/${guest.recipientId}`)).json().state).toBe('active');
    advance(61_000); // the SMS resend wait, not the lock
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    const code = lastSmsCode(second, `+31${PHONE.slice(1)}`);
    expect((await real.post(`/api/guest/${guest.recipientId}/verify`, { code })).statusCode).toBe(200);
    const audit = await first.deps.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id'])
      .where('subject_person', '=', guest.address)
      .where('action', '=', 'guest.unlocked')
      .execute();
    expect(audit).toEqual([{ action: 'guest.unlocked', actor_user_id: sender.id }]);
  });

  it('is the sender’s alone: anonymous, a recipient colleague, another organisation and wrong ids are refused', async () => {
    const guest = await sendToSmsGuest({ users: [colleague] });
    const real = new Browser(first.app, undefined, '203.0.113.70');
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    await wrongCodes(real, guest.recipientId, 5);
    const unlock = (conversationId: string, participantId: string) =>
      `/api/conversations/${conversationId}/participants/${participantId}/unlock`;
    const path = unlock(guest.conversationId, guest.recipientId);
    const outsider = await enrolKeys((await createOrganisationWithAdmin(first, 'Gemeente Elders')).admin);
    expect((await new Browser(first.app).post(path)).statusCode).toBe(401);
    expect((await colleague.browser.post(path)).statusCode).toBe(403);
    expect((await outsider.browser.post(path)).statusCode).toBe(404);
    expect((await sender.browser.post(unlock(guest.conversationId, crypto.randomUUID()))).statusCode).toBe(
      404,
    );
    const detail = (await sender.browser.get(`/api/conversations/${guest.conversationId}`)).json();
    const staffParticipant = detail.participants.find((p: { kind: string }) => p.kind === 'user').id;
    expect((await sender.browser.post(unlock(guest.conversationId, staffParticipant))).statusCode).toBe(404);
    expect((await sender.browser.post(unlock(guest.conversationId, 'not-a-uuid'))).statusCode).toBe(400);
    // None of these ended the lock.
    expect((await real.get(`/api/guest/${guest.recipientId}`)).json().state).toBe('locked');
  });
});

describe('a lock after wrong codes', () => {
  // Sent before any test here moves the clock past the sender's session.
  let longGuest: Awaited<ReturnType<typeof sendToSmsGuest>>;
  beforeAll(async () => {
    longGuest = await sendToSmsGuest();
  });

  it('ends after a minute, doubles the next time, tells the sender once, and resets after a success', async () => {
    const guest = await sendToSmsGuest();
    const real = new Browser(first.app, undefined, '203.0.113.40');
    const alsoReal = new Browser(second.app, undefined, '203.0.113.41');
    const mailsBefore = lockMails().length;
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    expect(await wrongCodes(real, guest.recipientId, 4)).toEqual([401, 401, 401, 401]);
    const fifth = await alsoReal.post(`/api/guest/${guest.recipientId}/verify`, { code: '000000' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.details.retryAfterSeconds).toBe(60);
    const landing = (await real.get(`/api/guest/${guest.recipientId}`)).json();
    expect(landing.state).toBe('locked');
    expect(new Date(landing.lockedUntil).getTime()).toBe(first.clock.now().getTime() + 60_000);

    advance(30_000);
    const during = await real.post(`/api/guest/${guest.recipientId}/verify`, { code: '123456' });
    expect(during.statusCode).toBe(423);
    expect(during.json().error.details.retryAfterSeconds).toBe(30);
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(423);

    advance(31_000);
    expect((await alsoReal.get(`/api/guest/${guest.recipientId}`)).json().state).toBe('active');
    advance(15 * 60_000); // past the per-guest attempt window, so only the lock is measured
    expect(await wrongCodes(alsoReal, guest.recipientId, 4)).toEqual([401, 401, 401, 401]);
    const again = await real.post(`/api/guest/${guest.recipientId}/verify`, { code: '000000' });
    expect(again.json().error.details.retryAfterSeconds).toBe(120);

    advance(121_000);
    expect((await real.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    const code = lastSmsCode(first, `+31${PHONE.slice(1)}`);
    expect((await real.post(`/api/guest/${guest.recipientId}/verify`, { code })).statusCode).toBe(200);
    await first.deps.jobs.runDueJobs();
    expect(lockMails().length - mailsBefore).toBe(1);

    // After a success the next lock is a first one again: a minute, and a notice.
    advance(15 * 60_000);
    await wrongCodes(alsoReal, guest.recipientId, 4);
    const afterSuccess = await alsoReal.post(`/api/guest/${guest.recipientId}/verify`, { code: '000000' });
    expect(afterSuccess.json().error.details.retryAfterSeconds).toBe(60);
    await first.deps.jobs.runDueJobs();
    expect(lockMails().length - mailsBefore).toBe(2);
    const audit = await first.deps.db
      .selectFrom('audit_events')
      .select('action')
      .where('subject_person', '=', guest.address)
      .where('action', '=', 'guest.locked')
      .execute();
    expect(audit).toHaveLength(3);
  });

  it('stops at an hour however often it happens', async () => {
    const guest = longGuest;
    const real = new Browser(first.app, undefined, '203.0.113.50');
    const waits: number[] = [];
    for (let lock = 0; lock < 8; lock++) {
      await wrongCodes(real, guest.recipientId, 4);
      const locked = await real.post(`/api/guest/${guest.recipientId}/verify`, { code: '000000' });
      const wait = locked.json().error.details.retryAfterSeconds as number;
      waits.push(wait);
      advance(Math.max(wait * 1000, 15 * 60_000) + 1000);
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});
