import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisationWithAdmin, signInWithPassword, totpCode } from '../../../test/factories.ts';
import { Browser, createTwoProcesses, loginSecretFor, type TestApp } from '../../../test/harness.ts';
import { signInPatiently, solveQuickly } from '../../../test/sign-in-attempts.ts';

/**
 * No staff lock-out by strangers (issue 13, item 2): failures from browsers without the
 * account's device cookie slow those browsers down (delays, then a proof of work) but never lock
 * the account, and a browser that signed in before is not touched by them at all. Two server
 * processes share one database (PostgreSQL under `npm run test:pg`).
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

/** Both processes' clocks move together. */
const clock = {
  advance(ms: number) {
    first.clock.advance(ms);
  },
};

async function ownerWithTrustedBrowser(name: string) {
  const { admin } = await createOrganisationWithAdmin(first, name);
  const trusted = new Browser(second.app, undefined, '192.0.2.10');
  const signedIn = await signInWithPassword(admin, trusted);
  expect(signedIn.json()).toEqual({ stage: 'second_factor' });
  expect(trusted.cookies.get('zegel_sign_in_device')).toMatch(/^[\w-]+\.\d+\.[\w-]+$/);
  const pre = (await trusted.post('/api/auth/prelogin', { email: admin.email })).json();
  const wrongSecret = await loginSecretFor('not the password at all', pre.kdfSalt, pre.kdfParams);
  return { admin, trusted, wrongSecret };
}

let strangers = 0;
async function strangerFails(times: number, email: string, wrongSecret: string) {
  strangers++;
  const stranger = new Browser(first.app, undefined, `203.0.113.${100 + strangers}`);
  let delays = 0;
  let puzzles = 0;
  for (let i = 0; i < times; i++) {
    const attempt = await signInPatiently(stranger, clock, email, wrongSecret);
    expect(attempt.response.json().error.code).toBe('invalid_credentials');
    delays += attempt.delays;
    puzzles += attempt.puzzles;
  }
  return { delays, puzzles };
}

describe('twenty wrong sign-ins from a stranger', () => {
  it('leave the owner able to sign in at once from a browser that signed in before', {
    timeout: 60_000,
  }, async () => {
    const { admin, trusted, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Storm');
    const stranger = await strangerFails(20, admin.email, wrongSecret);
    expect(stranger.delays).toBe(4);
    expect(stranger.puzzles).toBe(11);
    const owner = await signInWithPassword(admin, trusted);
    expect(owner.statusCode, owner.body).toBe(200);
    const code = totpCode(admin.totpSecret, first.clock);
    expect((await trusted.post('/api/auth/second-factor', { code, trustDevice: false })).json()).toEqual({
      stage: 'full',
    });
  });

  it('give an unknown browser growing delays and then a puzzle, never a lock', async () => {
    const { admin, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Vertraging');
    const stranger = new Browser(first.app, undefined, '203.0.113.67');
    const waits: number[] = [];
    for (let failures = 0; failures < 9; ) {
      const response = await stranger.post('/api/auth/sign-in', {
        email: admin.email,
        loginSecret: wrongSecret,
      });
      if (response.statusCode === 429) {
        expect(response.json().error.code).toBe('sign_in_delayed');
        const seconds = response.json().error.details.retryAfterSeconds;
        expect(response.headers['retry-after']).toBe(String(seconds));
        waits.push(seconds);
        clock.advance(seconds * 1000);
      } else {
        expect(response.json().error.code).toBe('invalid_credentials');
        failures++;
      }
    }
    expect(waits).toEqual([1, 2, 4]);
    // The owner on a new computer: one puzzle, then in.
    const fresh = new Browser(second.app, undefined, '192.0.2.11');
    const pre = (await fresh.post('/api/auth/prelogin', { email: admin.email })).json();
    const rightSecret = await loginSecretFor(admin.password, pre.kdfSalt, pre.kdfParams);
    const owner = await signInPatiently(fresh, clock, admin.email, rightSecret);
    expect(owner.response.json()).toEqual({ stage: 'second_factor' });
    // It waits out the fourth delay (8 s), then solves one puzzle, then is in.
    expect(owner).toMatchObject({ delays: 1, puzzles: 1 });
  });
});

describe('a parallel burst over two processes', () => {
  it('holds back the strangers and lets the trusted browser in at the same moment', async () => {
    const { admin, trusted, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Golf');
    const pre = (await trusted.post('/api/auth/prelogin', { email: admin.email })).json();
    const rightSecret = await loginSecretFor(admin.password, pre.kdfSalt, pre.kdfParams);
    const strangers = Array.from(
      { length: 50 },
      (_, n) => new Browser(n % 2 ? second.app : first.app, undefined, `198.51.100.${n + 101}`),
    );
    const [owner, ...responses] = await Promise.all([
      trusted.post('/api/auth/sign-in', { email: admin.email, loginSecret: rightSecret }),
      ...strangers.map((b) => b.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret })),
    ]);
    expect(owner?.json()).toEqual({ stage: 'second_factor' });
    const codes = responses.map((r) => r.json().error.code);
    expect(codes.filter((c) => c === 'invalid_credentials')).toHaveLength(6);
    expect(codes.filter((c) => c === 'sign_in_delayed')).toHaveLength(44);
  });
});

describe('the puzzle', () => {
  it('is used up by one attempt and is bound to the address it was asked for', async () => {
    const { admin, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Puzzel');
    await strangerFails(10, admin.email, wrongSecret);
    const stranger = new Browser(first.app, undefined, '203.0.113.68');
    const asked = await stranger.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret });
    expect(asked.json().error.code).toBe('proof_of_work_required');
    const { challenge, difficulty } = asked.json().error.details;
    expect(difficulty).toBeGreaterThanOrEqual(14);
    const proofOfWork = { challenge, nonce: solveQuickly(challenge, difficulty) };
    const other = await stranger.post('/api/auth/sign-in', {
      email: `other-${admin.email}`,
      loginSecret: wrongSecret,
      proofOfWork,
    });
    expect(other.json().error.code).toBe('invalid_credentials'); // the other address is not held back
    const used = await stranger.post('/api/auth/sign-in', {
      email: admin.email,
      loginSecret: wrongSecret,
      proofOfWork,
    });
    expect(used.json().error.code).toBe('invalid_credentials');
    const again = await stranger.post('/api/auth/sign-in', {
      email: admin.email,
      loginSecret: wrongSecret,
      proofOfWork,
    });
    expect(again.json().error.code).toBe('proof_of_work_required');
    const forged = await stranger.post('/api/auth/sign-in', {
      email: admin.email,
      loginSecret: wrongSecret,
      proofOfWork: { challenge: `${challenge}x`, nonce: proofOfWork.nonce },
    });
    expect(forged.json().error.code).toBe('proof_of_work_required');
  });
});

describe('the device cookie', () => {
  it('counts only for the account it was given for, and not when it is altered', async () => {
    const { admin, trusted } = await ownerWithTrustedBrowser('Gemeente Koekje');
    const other = await ownerWithTrustedBrowser('Gemeente Ander');
    await strangerFails(10, other.admin.email, other.wrongSecret);
    // The first owner's cookie, used for the second account: an unknown browser there.
    const borrowed = new Browser(first.app, undefined, '203.0.113.69');
    borrowed.cookies.set('zegel_sign_in_device', trusted.cookies.get('zegel_sign_in_device') ?? '');
    const r1 = await borrowed.post('/api/auth/sign-in', {
      email: other.admin.email,
      loginSecret: other.wrongSecret,
    });
    expect(r1.json().error.code).toBe('proof_of_work_required');
    const altered = new Browser(first.app, undefined, '203.0.113.70');
    altered.cookies.set('zegel_sign_in_device', `${other.trusted.cookies.get('zegel_sign_in_device')}0`);
    const r2 = await altered.post('/api/auth/sign-in', {
      email: other.admin.email,
      loginSecret: other.wrongSecret,
    });
    expect(r2.json().error.code).toBe('proof_of_work_required');
    // The real one passes straight to the password check.
    const r3 = await other.trusted.post('/api/auth/sign-in', {
      email: other.admin.email,
      loginSecret: other.wrongSecret,
    });
    expect(r3.json().error.code).toBe('invalid_credentials');
    expect(admin.email).not.toBe(other.admin.email);
  });
});

describe('a new password', () => {
  it('ends the device cookies given for the old one', async () => {
    const { admin, trusted, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Nieuw');
    await strangerFails(10, admin.email, wrongSecret);
    const known = await trusted.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret });
    expect(known.json().error.code).toBe('invalid_credentials');
    // As a password reset does: the stored hash of the login secret changes.
    await first.deps.db
      .updateTable('users')
      .set({ login_hash: 'scrypt$changed' })
      .where('id', '=', admin.id)
      .execute();
    const after = await trusted.post('/api/auth/sign-in', { email: admin.email, loginSecret: wrongSecret });
    expect(after.json().error.code).toBe('proof_of_work_required');
  });
});

describe('the audit trail and the administrator', () => {
  it('records refused attempts without the secret and shows the storm per account', async () => {
    const { admin, wrongSecret } = await ownerWithTrustedBrowser('Gemeente Logboek');
    await strangerFails(12, admin.email, wrongSecret);
    const events = await first.deps.db
      .selectFrom('audit_events')
      .selectAll()
      .where('organisation_id', 'is not', null)
      .where('action', '=', 'auth.sign_in')
      .where('outcome', '=', 'failure')
      .execute();
    const mine = events.filter((e) => JSON.stringify(e).includes(admin.id));
    const reasons = mine.map((e) => (e.details as { reason: string }).reason);
    expect(reasons.filter((r) => r === 'wrong_password')).toHaveLength(12);
    expect(reasons.filter((r) => r === 'delayed')).toHaveLength(4);
    expect(reasons.filter((r) => r === 'proof_of_work_required')).toHaveLength(3);
    expect(JSON.stringify(mine)).not.toContain(wrongSecret);
    const signedIn = new Browser(first.app);
    const pre = (await signedIn.post('/api/auth/prelogin', { email: admin.email })).json();
    const rightSecret = await loginSecretFor(admin.password, pre.kdfSalt, pre.kdfParams);
    expect((await signInPatiently(signedIn, clock, admin.email, rightSecret)).response.statusCode).toBe(200);
    await signedIn.post('/api/auth/second-factor', {
      code: totpCode(admin.totpSecret, first.clock),
      trustDevice: false,
    });
    const storms = await signedIn.get('/api/admin/sign-in-storms');
    expect(storms.statusCode).toBe(200);
    expect(storms.json().accounts).toEqual([
      { userId: admin.id, name: `Name of ${admin.email}`, email: admin.email, failed: 12, refused: 8 },
    ]);
  });
});
