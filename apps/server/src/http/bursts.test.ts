import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, uniqueEmail } from '../../test/factories.ts';
import { Browser, createTwoProcesses, loginSecretFor, type TestApp } from '../../test/harness.ts';
import { enrolKeys, guestLinkFromMail, sendSecureMessage } from '../../test/messages.ts';

/**
 * Limits under bursts (issue 13, item 3): fifty guesses fired at once, spread over two processes
 * on one database, get no more checks than the limit allows, because each attempt is counted
 * before it is checked, in one atomic step.
 */
let first: TestApp;
let second: TestApp;

beforeAll(async () => {
  [first, second] = await createTwoProcesses();
});
afterAll(async () => {
  await second.close();
  await first.close();
});

const BURST = 50;
const countCodes = (responses: { json(): { error?: { code: string } } }[]) => {
  const counts = new Map<string, number>();
  for (const r of responses) {
    const code = r.json().error?.code ?? 'ok';
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
};

describe('a burst of wrong passwords', () => {
  it('checks at most ten of fifty parallel attempts for one account, and holds the rest back', async () => {
    const { admin } = await createOrganisationWithAdmin(first, 'Gemeente Burst');
    const browsers = Array.from(
      { length: BURST },
      (_, n) => new Browser(n % 2 ? second.app : first.app, undefined, `198.51.100.${n + 1}`),
    );
    const pre = (await browsers[0]?.post('/api/auth/prelogin', { email: admin.email }))?.json();
    const wrongSecret = await loginSecretFor('not the password at all', pre.kdfSalt, pre.kdfParams);
    const responses = await Promise.all(
      browsers.map((b) => b.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret })),
    );
    const counts = countCodes(responses);
    // Browsers without the account's device cookie: five free attempts, the sixth starts a delay
    // (issue 13, item 2), and every attempt was counted before its check.
    expect(counts.get('invalid_credentials')).toBe(6);
    expect(counts.get('sign_in_delayed')).toBe(BURST - 6);
  });
});

describe('a burst of wrong guest codes', () => {
  it('checks at most five of fifty parallel codes, then the guest is locked', async () => {
    const { admin } = await createOrganisationWithAdmin(first, 'Gemeente Codes');
    const sender = await enrolKeys(admin);
    const address = uniqueEmail('gast');
    const sent = await sendSecureMessage(first, sender, {
      subject: 's',
      bodyHtml: 'b',
      guests: [{ address, method: 'sms', phone: '0612345699' }],
    });
    expect(sent.response.statusCode, sent.response.body).toBe(201);
    await first.deps.jobs.runDueJobs();
    const { recipientId } = guestLinkFromMail(first, address);
    const guest = new Browser(first.app, undefined, '192.0.2.77');
    expect((await guest.post(`/api/guest/${recipientId}/sms`)).statusCode).toBe(200);
    // Different network addresses, so only the per-guest counters stand between them and the code.
    const guessers = Array.from(
      { length: BURST },
      (_, n) => new Browser(n % 2 ? second.app : first.app, undefined, `203.0.113.${n + 1}`),
    );
    const responses = await Promise.all(
      guessers.map((b, n) => b.post(`/api/guest/${recipientId}/verify`, { code: String(100000 + n) })),
    );
    const counts = countCodes(responses);
    const row = await first.deps.db
      .selectFrom('guest_credentials')
      .select(['wrong_codes', 'locked_at', 'lock_count'])
      .where('participant_id', '=', recipientId)
      .executeTakeFirstOrThrow();
    // The fifth wrong code started one lock (which sets the count back for after it).
    expect(row.lock_count).toBe(1);
    expect(row.wrong_codes).toBe(0);
    expect(row.locked_at).toBeInstanceOf(Date);
    expect(counts.get('verification_failed')).toBe(4);
    expect((counts.get('message_locked') ?? 0) + (counts.get('rate_limited') ?? 0)).toBe(BURST - 4);
  });
});
