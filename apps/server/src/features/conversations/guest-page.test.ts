import {
  deriveGuestKeyPair,
  encodeLinkSecret,
  fromBase64Url,
  parseLinkSecret,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin } from '../../../test/factories.ts';
import { Browser, createTwoProcesses, type TestApp } from '../../../test/harness.ts';
import {
  enrolKeys,
  lastSmsCode,
  type StaffWithKeys,
  sendToSmsGuest as sendToSmsGuestOf,
} from '../../../test/messages.ts';

/** Two apps on one database stand for two server processes behind a load balancer. */
let first: TestApp;
let second: TestApp;
let sender: StaffWithKeys;

beforeAll(async () => {
  [first, second] = await createTwoProcesses();
  sender = await enrolKeys((await createOrganisationWithAdmin(first)).admin);
});
afterAll(async () => {
  await second.close();
  await first.close();
});

const sendToSmsGuest = () => sendToSmsGuestOf(first, sender, '0612345670');

describe('guessing codes', () => {
  it('locks the guest after five wrong codes counted across processes, audits it and tells the sender', async () => {
    const guest = await sendToSmsGuest();
    const onFirst = new Browser(first.app, undefined, '203.0.113.1');
    const onSecond = new Browser(second.app, undefined, '203.0.113.2');
    expect((await onFirst.post(`/api/guest/${guest.recipientId}/sms`)).statusCode).toBe(200);
    const code = lastSmsCode(first, '+31612345670');
    const wrong = code === '000000' ? '999999' : '000000';
    const left: number[] = [];
    for (const browser of [onFirst, onSecond, onFirst, onSecond]) {
      const response = await browser.post(`/api/guest/${guest.recipientId}/verify`, { code: wrong });
      left.push(response.json().error.details.attemptsLeft);
    }
    expect(left).toEqual([4, 3, 2, 1]);
    const fifth = await onSecond.post(`/api/guest/${guest.recipientId}/verify`, { code: wrong });
    expect(fifth.statusCode).toBe(423);
    // Even the right code no longer opens anything, on either process.
    const right = await onFirst.post(`/api/guest/${guest.recipientId}/verify`, { code });
    expect(right.json().error.code).toBe('message_locked');
    expect((await onFirst.get(`/api/guest/${guest.recipientId}`)).json().state).toBe('locked');
    await first.deps.jobs.runDueJobs();
    expect(first.mailer.sent.some((m) => m.to === sender.email && m.subject.includes('geblokkeerd'))).toBe(
      true,
    );
    const audit = await first.deps.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('subject_person', '=', guest.address)
      .execute();
    expect(audit.filter((a) => a.action === 'guest.verification_failed')).toHaveLength(5);
    expect(audit.some((a) => a.action === 'guest.locked')).toBe(true);
    const detail = (await sender.browser.get(`/api/conversations/${guest.conversationId}`)).json();
    expect(detail.participants.find((p: { id: string }) => p.id === guest.recipientId).lockedAt).toEqual(
      expect.any(String),
    );
  });

  it('throttles verification attempts per client address across processes', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 16; i++) {
      const guest = await sendToSmsGuest();
      const app = i % 2 === 0 ? first : second;
      const response = await new Browser(app.app, undefined, ip).post(
        `/api/guest/${guest.recipientId}/verify`,
        { code: '123456' },
      );
      statuses.push(response.statusCode);
      if (response.statusCode === 429) break;
      // A second wrong try on the same guest keeps each guest well below its own lock.
      statuses.push(
        (
          await new Browser(app.app, undefined, ip).post(`/api/guest/${guest.recipientId}/verify`, {
            code: '654321',
          })
        ).statusCode,
      );
    }
    expect(statuses).toContain(429);
    expect(statuses.filter((s) => s === 401)).toHaveLength(30);
  });

  it('says "I don\'t have the code" to the sender', async () => {
    const guest = await sendToSmsGuest();
    expect((await new Browser(first.app).post(`/api/guest/${guest.recipientId}/no-code`)).statusCode).toBe(
      200,
    );
    await first.deps.jobs.runDueJobs();
    expect(first.mailer.sent.some((m) => m.to === sender.email && m.subject.includes('geen code'))).toBe(
      true,
    );
  });
});

describe('forged and wrong links', () => {
  it('answers 404 for unknown recipient ids and for staff participant ids, 400 for non-ids', async () => {
    const guest = await sendToSmsGuest();
    const browser = new Browser(first.app);
    expect((await browser.get(`/api/guest/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect(
      (await browser.post(`/api/guest/${crypto.randomUUID()}/verify`, { code: '123456' })).statusCode,
    ).toBe(404);
    const staff = await first.deps.db
      .selectFrom('participants')
      .select('id')
      .where('conversation_id', '=', guest.conversationId)
      .where('kind', '=', 'user')
      .executeTakeFirstOrThrow();
    expect((await browser.get(`/api/guest/${staff.id}`)).statusCode).toBe(404);
    expect((await browser.get('/api/guest/not-an-id')).statusCode).toBe(400);
  });

  it('a session for one guest does not open another guest’s message', async () => {
    const a = await sendToSmsGuest();
    const b = await sendToSmsGuest();
    const browser = new Browser(first.app, undefined, '198.51.100.50');
    await browser.post(`/api/guest/${a.recipientId}/sms`);
    expect(
      (await browser.post(`/api/guest/${a.recipientId}/verify`, { code: lastSmsCode(first, '+31612345670') }))
        .statusCode,
    ).toBe(200);
    expect((await browser.get(`/api/guest/${a.recipientId}/conversation`)).statusCode).toBe(200);
    // Cookies are scoped to the guest's path; even sent along explicitly, they do not fit b.
    const token = browser.cookies.get('zegel_guest') as string;
    const response = await first.app.inject({
      method: 'GET',
      url: `/api/guest/${b.recipientId}/conversation`,
      headers: { cookie: `zegel_guest=${token}` },
    });
    expect(response.statusCode).toBe(401);
    const set = (await browser.post(`/api/guest/${a.recipientId}/sign-out`)).cookies as {
      name: string;
      path?: string;
    }[];
    expect(set.find((c) => c.name === 'zegel_guest')?.path).toBe(`/api/guest/${a.recipientId}`);
  });

  it('a missing or wrong fragment gives no key: parsing fails or the derived key does not match', async () => {
    const guest = await sendToSmsGuest();
    expect(() => parseLinkSecret('')).toThrow();
    expect(() => parseLinkSecret('#abc')).toThrow();
    const browser = new Browser(first.app, undefined, '198.51.100.51');
    await browser.post(`/api/guest/${guest.recipientId}/sms`);
    await browser.post(`/api/guest/${guest.recipientId}/verify`, {
      code: lastSmsCode(first, '+31612345670'),
    });
    const conversation = (await browser.get(`/api/guest/${guest.recipientId}/conversation`)).json();
    const wrongSecret = encodeLinkSecret(new Uint8Array(32).fill(9));
    const derived = await deriveGuestKeyPair({
      guestId: guest.recipientId,
      linkSecret: parseLinkSecret(wrongSecret),
      serverShare: fromBase64Url(conversation.serverShare),
    });
    expect(toBase64Url(derived.publicKey)).not.toBe(conversation.guestPublicKey);
  });
});

describe('code lifetime', () => {
  it('refuses an SMS code after ten minutes', async () => {
    const guest = await sendToSmsGuest();
    const browser = new Browser(first.app, undefined, '198.51.100.60');
    await browser.post(`/api/guest/${guest.recipientId}/sms`);
    const code = lastSmsCode(first, '+31612345670');
    first.clock.advance(10 * 60_000 + 1000);
    const late = await browser.post(`/api/guest/${guest.recipientId}/verify`, { code });
    expect(late.statusCode).toBe(401);
    expect(late.json().error.code).toBe('verification_failed');
    first.clock.advance(-(10 * 60_000 + 1000));
  });
});
