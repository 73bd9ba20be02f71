import type { BulkCheck, MailCheckHistoryPage, MailDomainCheck } from '@zegel/protocol/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { createFakeChecker, fakeReport } from '../../../test/fake-mail-checker.ts';
import { createTestApp, type TestApp } from '../../../test/harness.ts';
import { decideDelivery, FRESH_CHECK_MS } from './delivery-setting.ts';

let t: TestApp;
let admin: TestUser;
let member: TestUser;
let organisationId: string;
let fake: ReturnType<typeof createFakeChecker>;
const base = '/api/admin/mail-security';

beforeAll(async () => {
  t = await createTestApp();
  const created = await createOrganisationWithAdmin(t, 'Gemeente Maildorp');
  admin = created.admin;
  organisationId = created.org.id;
  member = await createMember(t, admin);
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  fake = createFakeChecker({ domainTimeoutMs: 300, bulkTimeoutMs: 5000, bulkConcurrency: 3 });
  t.deps.mailCheck = fake;
});

async function auditActions(): Promise<string[]> {
  const events = (await admin.browser.get('/api/admin/audit?limit=500')).json().events as {
    action: string;
  }[];
  return events.map((e) => e.action);
}

describe('checking one domain', () => {
  it('runs the check, stores it with who asked, and records it in the audit trail', async () => {
    const response = await admin.browser.post(`${base}/checks`, {
      domain: 'dane.partner.nl',
      selectors: ['s1'],
    });
    expect(response.statusCode).toBe(200);
    const check = response.json() as MailDomainCheck;
    expect(check).toMatchObject({
      domain: 'dane.partner.nl',
      score: 100,
      delivery: 'dane',
      isReady: true,
      complete: true,
      requestedBy: { name: expect.any(String) },
      bulkId: null,
    });
    expect(check.checks.map((c) => c.id)).toContain('dane_valid');
    expect(check.mx[0]?.host).toBe('mx.dane.partner.nl');
    expect(fake.calls).toEqual(['dane.partner.nl']);
    expect(await auditActions()).toContain('mail_security.checked');
  });

  it('checks an IDN in A-label form and keeps what was typed', async () => {
    const check = (
      await admin.browser.post(`${base}/checks`, { domain: 'Bücher.nl' })
    ).json() as MailDomainCheck;
    expect(check.domain).toBe('xn--bcher-kva.nl');
    expect(check.input).toBe('Bücher.nl');
    expect(check.isReady).toBe(false);
    expect(check.advice[0]).toMatchObject({ nl: expect.any(String), en: expect.any(String) });
  });

  it.each([
    ['an invalid name', { domain: 'under_score.nl' }],
    ['an e-mail address', { domain: 'info@gemeente.nl' }],
    ['an IP address', { domain: '192.0.2.1' }],
    ['a name without a dot', { domain: 'localhost' }],
    ['an empty name', { domain: '' }],
    ['no domain at all', {}],
    ['an unknown field', { domain: 'example.nl', extra: true }],
    ['a malformed selector', { domain: 'example.nl', selectors: ['bad selector'] }],
  ])('refuses %s with 400 before any check', async (_name, body) => {
    const response = await admin.browser.post(`${base}/checks`, body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(fake.calls).toEqual([]);
  });

  it('answers within the time limit when the check hangs: every check error, incomplete, not ready', async () => {
    const started = Date.now();
    const response = await admin.browser.post(`${base}/checks`, { domain: 'slow.partner.nl' });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response.statusCode).toBe(200);
    const check = response.json() as MailDomainCheck;
    expect(check).toMatchObject({ complete: false, delivery: 'none', isReady: false, score: 0 });
    expect(check.checks.every((c) => c.status === 'error')).toBe(true);
    expect(check.checks[0]?.detail).toMatch(/not finished within/);
  });

  it('turns an unexpected failure of the engine into an error report', async () => {
    const check = (await admin.browser.post(`${base}/checks`, { domain: 'crash.partner.nl' })).json();
    expect(check.checks[0].detail).toMatch(/resolver exploded/);
    expect(check.complete).toBe(false);
  });
});

describe('history', () => {
  it('pages newest first, filters by domain, and keeps organisations apart', async () => {
    for (const domain of [
      'h1.history.nl',
      'h2.history.nl',
      'h1.history.nl',
      'h3.history.nl',
      'h1.history.nl',
    ])
      expect((await admin.browser.post(`${base}/checks`, { domain })).statusCode).toBe(200);

    const seen: MailDomainCheck[] = [];
    let url = `${base}/checks?limit=2`;
    for (let pages = 0; pages < 20; pages++) {
      const page = (await admin.browser.get(url)).json() as MailCheckHistoryPage;
      seen.push(...page.checks);
      if (page.nextBefore === null) break;
      url = `${base}/checks?limit=2&before=${page.nextBefore}`;
    }
    expect(seen.slice(0, 5).map((c) => c.domain)).toEqual([
      'h1.history.nl',
      'h3.history.nl',
      'h1.history.nl',
      'h2.history.nl',
      'h1.history.nl',
    ]);
    expect(new Set(seen.map((c) => c.id)).size).toBe(seen.length);

    const one = (
      await admin.browser.get(`${base}/checks?domain=H1.History.nl.`)
    ).json() as MailCheckHistoryPage;
    expect(one.checks).toHaveLength(3);
    expect(one.checks.every((c) => c.domain === 'h1.history.nl')).toBe(true);
    expect(one.nextBefore).toBeNull();

    const other = await createOrganisationWithAdmin(t, 'Gemeente Elders');
    const foreign = (await other.admin.browser.get(`${base}/checks`)).json() as MailCheckHistoryPage;
    expect(foreign.checks).toEqual([]);
  });

  it('refuses bad paging parameters and an invalid domain filter', async () => {
    for (const query of ['limit=0', 'limit=101', 'before=abc', 'domain=a@b.nl', 'unknown=1'])
      expect((await admin.browser.get(`${base}/checks?${query}`)).statusCode).toBe(400);
  });
});

describe('bulk check of partner domains', () => {
  it('reads a semicolon CSV with a domein column, dedupes, and shows ready / not ready / invalid per line', async () => {
    const csv = [
      'naam;domein',
      'Politie;dane.politie.nl',
      'Veilig Thuis;sts.veiligthuis.nl',
      'Dubbel;DANE.politie.nl',
      'Bakker;bakker.nl',
      'Fout;niet_geldig.nl',
      '"Gemeente; met puntkomma";"bücher.nl"',
      'Leeg;',
      '',
    ].join('\r\n');
    const response = await admin.browser.post(`${base}/bulk`, { csv });
    expect(response.statusCode).toBe(200);
    const bulk = response.json() as BulkCheck;
    expect(bulk.complete).toBe(true);
    expect(bulk.rows.map((r) => [r.line, r.domain, r.status])).toEqual([
      [2, 'dane.politie.nl', 'ready'],
      [3, 'sts.veiligthuis.nl', 'ready'],
      [5, 'bakker.nl', 'not_ready'],
      [6, null, 'invalid'],
      [7, 'xn--bcher-kva.nl', 'not_ready'],
      [8, null, 'invalid'],
    ]);
    expect(bulk.rows[3]?.error).toMatch(/niet_geldig/);
    expect(bulk.rows[2]?.failing).toEqual(expect.arrayContaining(['starttls', 'dane_exists']));
    expect(bulk.counts).toEqual({ ready: 2, notReady: 2, error: 0, invalid: 2 });
    expect(fake.calls.sort()).toEqual([
      'bakker.nl',
      'dane.politie.nl',
      'sts.veiligthuis.nl',
      'xn--bcher-kva.nl',
    ]);

    // Each result is history, linked to the run; the run can be read again and exported.
    const history = (
      await admin.browser.get(`${base}/checks?domain=bakker.nl`)
    ).json() as MailCheckHistoryPage;
    expect(history.checks[0]?.bulkId).toBe(bulk.id);
    expect((await admin.browser.get(`${base}/bulk/${bulk.id}`)).json()).toEqual(bulk);

    const exported = await admin.browser.get(`${base}/bulk/${bulk.id}.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^text\/csv/);
    expect(exported.headers['content-disposition']).toMatch(
      /attachment; filename="zegel-maildomeinen-.*\.csv"/,
    );
    const lines = exported.body.trim().split('\r\n');
    expect(lines[0]).toBe('line,input,domain,status,score,delivery,failing_checks,error');
    expect(lines[1]).toBe('2,dane.politie.nl,dane.politie.nl,ready,100,dane,,');
    expect(lines).toHaveLength(7);

    const actions = await auditActions();
    expect(actions).toContain('mail_security.bulk_checked');
    expect(actions).toContain('mail_security.exported');
  });

  it('takes one domain per line, with comments and blank lines', async () => {
    const bulk = (
      await admin.browser.post(`${base}/bulk`, { csv: '# partners\ndane.a.nl\n\n  sts.b.nl  \nc.nl\n' })
    ).json() as BulkCheck;
    expect(bulk.rows.map((r) => [r.line, r.domain, r.status])).toEqual([
      [2, 'dane.a.nl', 'ready'],
      [4, 'sts.b.nl', 'ready'],
      [5, 'c.nl', 'not_ready'],
    ]);
  });

  it('keeps to the concurrency limit', async () => {
    fake = createFakeChecker({ bulkConcurrency: 2 });
    t.deps.mailCheck = fake;
    const csv = Array.from({ length: 12 }, (_, i) => `p${i}.example.nl`).join('\n');
    const bulk = (await admin.browser.post(`${base}/bulk`, { csv })).json() as BulkCheck;
    expect(bulk.rows).toHaveLength(12);
    expect(fake.maxInFlight).toBe(2);
  });

  it('ends at the overall time limit with partial results marked error', async () => {
    fake = createFakeChecker({ domainTimeoutMs: 400, bulkTimeoutMs: 600, bulkConcurrency: 2 });
    t.deps.mailCheck = fake;
    const csv = ['dane.ok.nl', 'slow.a.nl', 'slow.b.nl', 'slow.c.nl', 'slow.d.nl', 'slow.e.nl'].join('\n');
    const started = Date.now();
    const response = await admin.browser.post(`${base}/bulk`, { csv });
    expect(Date.now() - started).toBeLessThan(3000);
    const bulk = response.json() as BulkCheck;
    expect(bulk.complete).toBe(false);
    expect(bulk.rows[0]?.status).toBe('ready');
    expect(bulk.rows.slice(1).every((r) => r.status === 'error' && r.error)).toBe(true);
    expect(bulk.rows.some((r) => /time limit of the bulk check/.test(r.error ?? ''))).toBe(true);
    expect(bulk.counts.error).toBe(5);
  });

  it.each([
    ['an empty list', ''],
    ['only blank lines and comments', '\n\n# nothing\n  \n'],
    ['a quote that is never closed', 'domain\n"dane.a.nl\nb.nl\n'],
    ['text after a closing quote', '"dane.a.nl"x\n'],
    ['binary data', 'PK\u0003\u0004\u0000\u0000garbage'],
    ['several columns without a domain header', 'naam,adres\nPolitie,politie.nl\n'],
    ['a header without rows', 'domain\n'],
  ])('refuses %s with 400', async (_name, csv) => {
    const response = await admin.browser.post(`${base}/bulk`, { csv });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('validation_failed');
    expect(fake.calls).toEqual([]);
  });

  it('refuses a list where no line is a domain, naming each line', async () => {
    const response = await admin.browser.post(`${base}/bulk`, { csv: 'domein\nfoo\nbar_baz.nl\n1.2.3.4\n' });
    expect(response.statusCode).toBe(400);
    const { details } = response.json().error;
    expect(details.lines.map((l: { line: number }) => l.line)).toEqual([2, 3, 4]);
    expect(details.lines[0].error).toMatch(/"foo"/);
  });

  it('refuses more than 500 domains, and CSV text over the size limit', async () => {
    const tooMany = Array.from({ length: 501 }, (_, i) => `p${i}.example.nl`).join('\n');
    const response = await admin.browser.post(`${base}/bulk`, { csv: tooMany });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/more than 500/);
    // 500 distinct plus duplicates is fine.
    const withDuplicates = `${Array.from({ length: 500 }, (_, i) => `p${i}.example.nl`).join('\n')}\np0.example.nl\n`;
    fake = createFakeChecker({ bulkConcurrency: 50 });
    t.deps.mailCheck = fake;
    expect((await admin.browser.post(`${base}/bulk`, { csv: withDuplicates })).statusCode).toBe(200);
    const huge = 'a'.repeat(200_001);
    expect((await admin.browser.post(`${base}/bulk`, { csv: huge })).statusCode).toBe(400);
    expect((await admin.browser.post(`${base}/bulk`, { csv: 1 })).statusCode).toBe(400);
    expect((await admin.browser.post(`${base}/bulk`, {})).statusCode).toBe(400);
  }, 60_000);

  it('keeps bulk runs of other organisations out of reach', async () => {
    const bulk = (await admin.browser.post(`${base}/bulk`, { csv: 'dane.x.nl' })).json() as BulkCheck;
    const other = await createOrganisationWithAdmin(t, 'Gemeente Anders');
    expect((await other.admin.browser.get(`${base}/bulk/${bulk.id}`)).statusCode).toBe(404);
    expect((await other.admin.browser.get(`${base}/bulk/${bulk.id}.csv`)).statusCode).toBe(404);
    expect((await admin.browser.get(`${base}/bulk/${crypto.randomUUID()}`)).statusCode).toBe(404);
    expect((await admin.browser.get(`${base}/bulk/not-a-uuid.csv`)).statusCode).toBe(400);
  });

  it('exports the newest result of every checked domain', async () => {
    await admin.browser.post(`${base}/checks`, { domain: 'export.example.nl' });
    await admin.browser.post(`${base}/checks`, { domain: 'dane.export.example.nl' });
    const response = await admin.browser.get(`${base}/export.csv`);
    expect(response.statusCode).toBe(200);
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toBe('domain,input,checked_at,status,score,delivery,complete,failing_checks');
    const domains = lines.slice(1).map((l) => l.split(',')[0]);
    expect(new Set(domains).size).toBe(domains.length);
    expect(lines.find((l) => l.startsWith('dane.export.example.nl,'))).toMatch(/,ready,100,dane,true,$/);
  });
});

describe('direct delivery setting and decision', () => {
  it('is off by default; an admin switches it and it is audited; members may not', async () => {
    expect((await admin.browser.get(`${base}/settings`)).json()).toEqual({ allowDirectDelivery: false });
    expect((await member.browser.patch(`${base}/settings`, { allowDirectDelivery: true })).statusCode).toBe(
      403,
    );
    expect((await admin.browser.patch(`${base}/settings`, { allowDirectDelivery: 'yes' })).statusCode).toBe(
      400,
    );
    expect((await admin.browser.patch(`${base}/settings`, {})).statusCode).toBe(400);
    const on = await admin.browser.patch(`${base}/settings`, { allowDirectDelivery: true });
    expect(on.json()).toEqual({ allowDirectDelivery: true });
    expect(await auditActions()).toContain('mail_security.settings_updated');
    await admin.browser.patch(`${base}/settings`, { allowDirectDelivery: false });
  });

  it('sends by secure link unless the setting is on and a fresh, complete check says dane or mta-sts', async () => {
    await admin.browser.post(`${base}/checks`, { domain: 'dane.decide.nl' });
    await admin.browser.post(`${base}/checks`, { domain: 'sts.decide.nl' });
    await admin.browser.post(`${base}/checks`, { domain: 'none.decide.nl' });
    await admin.browser.post(`${base}/checks`, { domain: 'partial.decide.nl' });
    expect(await decideDelivery(t.deps, organisationId, 'dane.decide.nl')).toBe('secure_link');

    await admin.browser.patch(`${base}/settings`, { allowDirectDelivery: true });
    expect(await decideDelivery(t.deps, organisationId, 'dane.decide.nl')).toBe('dane');
    expect(await decideDelivery(t.deps, organisationId, 'DANE.Decide.nl.')).toBe('dane');
    expect(await decideDelivery(t.deps, organisationId, 'sts.decide.nl')).toBe('mta-sts');
    expect(await decideDelivery(t.deps, organisationId, 'none.decide.nl')).toBe('secure_link');
    expect(await decideDelivery(t.deps, organisationId, 'partial.decide.nl')).toBe('secure_link');
    expect(await decideDelivery(t.deps, organisationId, 'never-checked.nl')).toBe('secure_link');
    expect(await decideDelivery(t.deps, organisationId, 'not a domain')).toBe('secure_link');

    // Another organisation's checks do not count, and its setting is its own.
    const other = await createOrganisationWithAdmin(t, 'Gemeente Derde');
    expect(await decideDelivery(t.deps, other.org.id, 'dane.decide.nl')).toBe('secure_link');

    // The newest check counts: a later failing check withdraws direct delivery.
    t.deps.mailCheck = { ...createFakeChecker(), check: async (input) => fakeReport(input, input, 'none') };
    await admin.browser.post(`${base}/checks`, { domain: 'sts.decide.nl' });
    expect(await decideDelivery(t.deps, organisationId, 'sts.decide.nl')).toBe('secure_link');

    // A check older than the freshness window no longer counts.
    t.clock.advance(FRESH_CHECK_MS + 1000);
    expect(await decideDelivery(t.deps, organisationId, 'dane.decide.nl')).toBe('secure_link');
  });
});
