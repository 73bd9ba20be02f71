import { createHash } from 'node:crypto';
import { hasLeadingZeroBits } from '@zegel/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin } from '../../../test/factories.ts';
import { Browser, createTwoProcesses, type TestApp } from '../../../test/harness.ts';
import { createTeamWithKeys, enrolKeys } from '../../../test/messages.ts';

let first: TestApp;
let second: TestApp;
let slug: string;
let openTeam: string;
let closedTeam: string;
let ipCounter = 0;
/** A fresh client address per test so the per-network limits do not spill over. */
const nextIp = () => `198.51.100.${++ipCounter}`;

beforeAll(async () => {
  [first, second] = await createTwoProcesses();
  const { admin, org } = await createOrganisationWithAdmin(first, 'Parket Test');
  slug = org.slug;
  const member = await enrolKeys(await createMember(first, admin));
  const team = async (name: string, open: boolean) => {
    // An open team is listed once it can receive: it has a key made for its members.
    const id = open
      ? (await createTeamWithKeys(admin, [member], name)).id
      : ((await admin.browser.post('/api/admin/teams', { name, description: '' })).json().id as string);
    if (open) {
      const set = await admin.browser.patch(`/api/teams/${id}/contact-settings`, {
        acceptsNewConversations: true,
      });
      expect(set.statusCode).toBe(200);
    }
    return id;
  };
  openTeam = await team('Parket Oost', true);
  closedTeam = await team('Griffie', false);
});
afterAll(async () => {
  await second.close();
  await first.close();
});

function solve(challenge: string, difficulty: number): string {
  for (let nonce = 0; ; nonce++) {
    const hash = createHash('sha256').update(`${challenge}${nonce}`).digest();
    if (hasLeadingZeroBits(hash, difficulty)) return String(nonce);
  }
}

async function challenge(browser: Browser) {
  const response = await browser.post(`/api/contact/${slug}/challenge`, undefined);
  expect(response.statusCode).toBe(200);
  return response.json() as { challenge: string; difficulty: number };
}

async function requestCode(browser: Browser, email: string, teamId = openTeam) {
  const issued = await challenge(browser);
  return browser.post(`/api/contact/${slug}/teams/${teamId}/email-code`, {
    email,
    challenge: issued.challenge,
    nonce: solve(issued.challenge, issued.difficulty),
  });
}

const codeMailedTo = (t: TestApp, email: string) => {
  const mail = t.mailer.sent.filter((m) => m.to === email).at(-1);
  const code = mail?.text.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error('no code mailed');
  return code;
};

describe('proof of work', () => {
  it('is required, checked and single use', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const issued = await challenge(browser);
    expect(issued.difficulty).toBeGreaterThanOrEqual(16);
    const url = `/api/contact/${slug}/teams/${openTeam}/email-code`;
    const email = 'pow@example.nl';
    expect((await browser.post(url, { email })).statusCode).toBe(400);
    let wrong = 0;
    while (hasLeadingZeroBits(createHash('sha256').update(`${issued.challenge}${wrong}`).digest(), 16))
      wrong++;
    const bad = await browser.post(url, { email, challenge: issued.challenge, nonce: String(wrong) });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('verification_failed');
    // The failed attempt used the challenge up: even the right nonce no longer works.
    const retried = await browser.post(url, {
      email,
      challenge: issued.challenge,
      nonce: solve(issued.challenge, issued.difficulty),
    });
    expect(retried.statusCode).toBe(401);

    const fresh = await challenge(browser);
    const body = { email, challenge: fresh.challenge, nonce: solve(fresh.challenge, fresh.difficulty) };
    expect((await browser.post(url, body)).statusCode).toBe(200);
    const replay = await new Browser(second.app, undefined, nextIp()).post(url, body);
    expect(replay.statusCode).toBe(401);
  });

  it('is spent once when two processes receive the same solution at the same time', async () => {
    const issued = await challenge(new Browser(first.app, undefined, nextIp()));
    const body = {
      email: 'race@example.nl',
      challenge: issued.challenge,
      nonce: solve(issued.challenge, issued.difficulty),
    };
    const url = `/api/contact/${slug}/teams/${openTeam}/email-code`;
    const statuses = await Promise.all(
      [first, second, first, second].map((t) => new Browser(t.app, undefined, nextIp()).post(url, body)),
    );
    expect(statuses.map((r) => r.statusCode).sort()).toEqual([200, 401, 401, 401]);
  });

  it('expires', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const issued = await challenge(browser);
    first.clock.advance(11 * 60_000);
    const response = await browser.post(`/api/contact/${slug}/teams/${openTeam}/email-code`, {
      email: 'late@example.nl',
      challenge: issued.challenge,
      nonce: solve(issued.challenge, issued.difficulty),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe('proving the e-mail address', () => {
  it('mails a one-time code that gives a send token once, and never logs or stores it in clear', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const email = 'Jan.Jansen@Example.nl';
    const response = await requestCode(browser, email);
    expect(response.statusCode).toBe(200);
    const { verificationId } = response.json();
    const code = codeMailedTo(first, 'jan.jansen@example.nl');
    const url = `/api/contact/${slug}/teams/${openTeam}/verify`;
    const wrongCode = code === '000000' ? '111111' : '000000';
    expect((await browser.post(url, { verificationId, code: wrongCode })).statusCode).toBe(401);
    const ok = await new Browser(second.app, undefined, nextIp()).post(url, { verificationId, code });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().sendToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect((await browser.post(url, { verificationId, code })).statusCode).toBe(401);

    const logs = JSON.stringify([first.logs, second.logs]);
    expect(logs).not.toContain(code);
    expect(logs).not.toContain('jan.jansen');
    const audit = await first.deps.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'subject_person'])
      .where('subject_person', '=', 'jan.jansen@example.nl')
      .execute();
    expect(audit.map((a) => `${a.action}:${a.outcome}`).sort()).toEqual([
      'contact.address_verified:success',
      'contact.code_requested:success',
      'contact.verification_failed:failure',
      'contact.verification_failed:failure',
    ]);
    expect(JSON.stringify(audit)).not.toContain(code);
    const rows = await first.deps.db.selectFrom('contact_verifications').selectAll().execute();
    expect(JSON.stringify(rows)).not.toContain(code);
    expect(JSON.stringify(rows)).not.toContain(ok.json().sendToken);
  });

  it('closes the attempt after five wrong codes and when the code has expired', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const response = await requestCode(browser, 'guesser@example.nl');
    const { verificationId } = response.json();
    const code = codeMailedTo(first, 'guesser@example.nl');
    const url = `/api/contact/${slug}/teams/${openTeam}/verify`;
    for (let i = 0; i < 5; i++) {
      const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      expect((await browser.post(url, { verificationId, code: guess })).statusCode).toBe(401);
    }
    expect((await browser.post(url, { verificationId, code })).statusCode).toBe(401);

    const late = await requestCode(browser, 'late-code@example.nl');
    const lateCode = codeMailedTo(first, 'late-code@example.nl');
    first.clock.advance(11 * 60_000);
    expect(
      (await browser.post(url, { verificationId: late.json().verificationId, code: lateCode })).statusCode,
    ).toBe(401);
  });

  it('refuses a team that only replies, with a clear message', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const response = await requestCode(browser, 'someone@example.nl', closedTeam);
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('contact_closed');
    expect(first.mailer.sent.some((m) => m.to === 'someone@example.nl')).toBe(false);
  });
});

describe('flood protection across two server processes on one database', () => {
  it('throttles codes to one address, whatever the network address', async () => {
    const statuses: number[] = [];
    let limited: { code: string; message: string; details: { retryAfterSeconds: number } } | undefined;
    for (let i = 0; i < 6; i++) {
      const app = i % 2 === 0 ? first : second;
      const response = await requestCode(new Browser(app.app, undefined, nextIp()), 'flood@example.nl');
      statuses.push(response.statusCode);
      if (response.statusCode === 429) limited = response.json().error;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
    expect(limited?.code).toBe('rate_limited');
    expect(limited?.message).toMatch(/e-mail address/);
    expect(limited?.details.retryAfterSeconds).toBeGreaterThan(0);
  });

  it('throttles codes from one network address, whatever the e-mail address', async () => {
    const ip = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const app = i % 2 === 0 ? first : second;
      statuses.push(
        (await requestCode(new Browser(app.app, undefined, ip), `person${i}@example.nl`)).statusCode,
      );
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const other = await requestCode(new Browser(first.app, undefined, nextIp()), 'person99@example.nl');
    expect(other.statusCode).toBe(200);
  });
});

describe('script in any field', () => {
  it('is refused in the address and never reaches a mail as markup', async () => {
    const browser = new Browser(first.app, undefined, nextIp());
    const response = await requestCode(browser, '<script>alert(1)</script>@example.nl');
    expect(response.statusCode).toBe(400);
  });
});
