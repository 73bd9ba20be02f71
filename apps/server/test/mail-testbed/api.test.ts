import type { BulkCheck, MailCheckHistoryPage, MailDomainCheck } from '@zegel/protocol/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDelivery } from '../../src/features/mail-security/delivery-setting.ts';
import { createOrganisationWithAdmin, type TestUser } from '../factories.ts';
import { createTestApp, type TestApp } from '../harness.ts';
import { type MailTestbed, startMailTestbed } from './testbed.ts';

/**
 * The admin API against the offline test bed: the resolver and extra CA come from the
 * configuration (ZEGEL_DNS_RESOLVER, ZEGEL_MAILCHECK_CA), as in production.
 */
let testbed: MailTestbed;
let t: TestApp;
let admin: TestUser;
let organisationId: string;
const base = '/api/admin/mail-security';

beforeAll(async () => {
  testbed = await startMailTestbed(5);
  t = await createTestApp({
    config: {
      dnsResolver: `${testbed.resolver.host}:${testbed.resolver.port}`,
      mailcheckCa: testbed.pki.caPath,
    },
  });
  const created = await createOrganisationWithAdmin(t, 'Gemeente Testbed');
  admin = created.admin;
  organisationId = created.org.id;
}, 120_000);
afterAll(async () => {
  await t?.close();
  await testbed?.stop();
});

describe('mail-security API on the test bed', () => {
  it('checks a DANE domain: score 100, delivery dane, stored as history', async () => {
    const response = await admin.browser.post(`${base}/checks`, { domain: 'good.test' });
    expect(response.statusCode).toBe(200);
    const check = response.json() as MailDomainCheck;
    expect(check).toMatchObject({
      domain: 'good.test',
      score: 100,
      delivery: 'dane',
      isReady: true,
      complete: true,
    });
    expect(check.checks.find((c) => c.id === 'dane_valid')?.status).toBe('pass');
    expect(check.mx.map((m) => m.host).sort()).toEqual(['mx1.good.test', 'mx2.good.test']);
    const history = (
      await admin.browser.get(`${base}/checks?domain=good.test`)
    ).json() as MailCheckHistoryPage;
    expect(history.checks[0]?.id).toBe(check.id);
  });

  it('trusts the configured extra CA: an unsigned domain with MTA-STS enforce gets mta-sts', async () => {
    const check = (await admin.browser.post(`${base}/checks`, { domain: 'unsigned.test' })).json();
    expect(check).toMatchObject({ delivery: 'mta-sts', score: 65, isReady: true });
  });

  it('decides delivery from the stored checks once the organisation allows it', async () => {
    expect(await decideDelivery(t.deps, organisationId, 'good.test')).toBe('secure_link');
    await admin.browser.patch(`${base}/settings`, { allowDirectDelivery: true });
    expect(await decideDelivery(t.deps, organisationId, 'good.test')).toBe('dane');
    expect(await decideDelivery(t.deps, organisationId, 'unsigned.test')).toBe('mta-sts');
    await admin.browser.post(`${base}/checks`, { domain: 'mismatch.test' });
    expect(await decideDelivery(t.deps, organisationId, 'mismatch.test')).toBe('secure_link');
  });

  it('bulk-checks a partner list: ready, not ready, a name that does not exist, and an invalid line', async () => {
    const csv =
      'organisatie;domein\nA;good.test\nB;tls10.test\nC;bestaat-niet.test\nD;geen domein\nE;GOOD.test\nF;bücher.test\n';
    const response = await admin.browser.post(`${base}/bulk`, { csv });
    expect(response.statusCode).toBe(200);
    const bulk = response.json() as BulkCheck;
    expect(bulk.rows.map((r) => [r.domain ?? r.input, r.status])).toEqual([
      ['good.test', 'ready'],
      ['tls10.test', 'not_ready'],
      ['bestaat-niet.test', 'not_ready'],
      ['geen domein', 'invalid'],
      ['xn--bcher-kva.test', 'not_ready'],
    ]);
    expect(bulk.rows[1]?.failing).toContain('tls_version');
    const exported = await admin.browser.get(`${base}/bulk/${bulk.id}.csv`);
    expect(exported.body).toMatch(/^2,good\.test,good\.test,ready,100,dane,,\r$/m);
  }, 120_000);

  it('stops a bulk check at its time limit when a mail server says nothing, with partial results', async () => {
    t.deps.mailCheck = { ...t.deps.mailCheck, bulkTimeoutMs: 2500, domainTimeoutMs: 2000 };
    const started = Date.now();
    const bulk = (
      await admin.browser.post(`${base}/bulk`, { csv: 'silent.test\ngood.test\n' })
    ).json() as BulkCheck;
    expect(Date.now() - started).toBeLessThan(10_000);
    const silent = bulk.rows.find((r) => r.domain === 'silent.test');
    expect(silent?.status === 'error' || silent?.status === 'not_ready').toBe(true);
    expect(bulk.complete).toBe(false);
    expect(bulk.rows.find((r) => r.domain === 'good.test')?.status).toBe('ready');
  }, 60_000);
});
