import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMember, createOrganisationWithAdmin, type TestUser } from '../../../test/factories.ts';
import { Browser, createTestApp, type TestApp } from '../../../test/harness.ts';

let t: TestApp;
let admin: TestUser;
let member: TestUser;
beforeAll(async () => {
  t = await createTestApp();
  ({ admin } = await createOrganisationWithAdmin(t));
  member = await createMember(t, admin);
});
afterAll(async () => {
  await t.close();
});

const BSN = '123456782';
const auditEvents = async () =>
  (await admin.browser.get('/api/admin/audit?limit=500')).json().events as {
    action: string;
    outcome: string;
    objectId: string | null;
    details: Record<string, unknown>;
  }[];

const override = {
  outcome: 'overridden',
  rules: [
    { rule: 'bsn', action: 'warn', count: 1 },
    { rule: 'first_time_recipient', action: 'warn', count: 2 },
  ],
  recipientDomains: ['gmail.com', 'zorg-partner.nl'],
};

describe('the leak-prevention policy', () => {
  it('starts at the documented defaults and gives any staff member the organisation domains', async () => {
    const response = await member.browser.get('/api/dlp/policy');
    expect(response.statusCode).toBe(200);
    const policy = response.json();
    expect(policy.rules).toMatchObject({
      bsn: 'block',
      iban: 'warn',
      health: 'warn',
      phone: 'audit',
      email: 'off',
      lookalike_domain: 'warn',
    });
    expect(Object.keys(policy.rules)).toHaveLength(15);
    expect(policy.exemptDomains).toEqual([]);
    expect(Array.isArray(policy.internalDomains)).toBe(true);
    expect(policy.updatedAt).toBeNull();
  });

  it('lets an admin change levels and exempt domains, keeps the rest, and audits the change', async () => {
    const response = await admin.browser.patch('/api/admin/dlp/policy', {
      rules: { bsn: 'warn', phone: 'off' },
      exemptDomains: ['zorg-partner.nl'],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().rules).toMatchObject({ bsn: 'warn', phone: 'off', iban: 'warn' });
    const read = (await member.browser.get('/api/dlp/policy')).json();
    expect(read.rules.bsn).toBe('warn');
    expect(read.exemptDomains).toEqual(['zorg-partner.nl']);
    expect(read.updatedAt).not.toBeNull();
    const again = await admin.browser.patch('/api/admin/dlp/policy', { rules: { iban: 'block' } });
    expect(again.json().rules).toMatchObject({ bsn: 'warn', iban: 'block' });
    expect(again.json().exemptDomains).toEqual(['zorg-partner.nl']);
    const event = (await auditEvents()).find((e) => e.action === 'dlp.policy_updated');
    expect(event?.details).toMatchObject({ rules: expect.any(Object) });
  });

  it('refuses members, anonymous callers and invalid policies', async () => {
    expect((await member.browser.patch('/api/admin/dlp/policy', { rules: { bsn: 'off' } })).statusCode).toBe(
      403,
    );
    expect((await new Browser(t.app).get('/api/dlp/policy')).statusCode).toBe(401);
    for (const body of [
      {},
      { rules: {} },
      { rules: { bsn: 'maybe' } },
      { rules: { unknown_rule: 'warn' } },
      { exemptDomains: ['not a domain'] },
      { exemptDomains: ['https://example.nl'] },
      { exemptDomains: ['123456782.nl'] },
      { exemptDomains: Array.from({ length: 101 }, (_, i) => `d${i}.nl`) },
      { rules: { bsn: 'warn' }, note: 'extra' },
    ]) {
      const response = await admin.browser.patch('/api/admin/dlp/policy', body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
    }
  });
});

describe('leak-prevention audit reports from the composer', () => {
  it('records an override with rule names, counts and domains only', async () => {
    const conversationId = crypto.randomUUID();
    const response = await member.browser.post('/api/dlp/overrides', { ...override, conversationId });
    expect(response.statusCode).toBe(200);
    const event = (await auditEvents()).find((e) => e.action === 'dlp.override');
    expect(event).toMatchObject({
      outcome: 'success',
      objectId: conversationId,
      details: {
        rules: override.rules,
        recipientDomains: ['gmail.com', 'zorg-partner.nl'],
      },
    });
  });

  it('records blocked sends and audit-only sends', async () => {
    expect(
      (await member.browser.post('/api/dlp/overrides', { ...override, outcome: 'blocked' })).statusCode,
    ).toBe(200);
    expect(
      (
        await member.browser.post('/api/dlp/overrides', {
          outcome: 'audited',
          rules: [{ rule: 'phone', action: 'audit', count: 3 }],
          recipientDomains: ['example.nl'],
          unscannedAttachments: 1,
        })
      ).statusCode,
    ).toBe(200);
    const events = await auditEvents();
    expect(events.find((e) => e.action === 'dlp.blocked')?.outcome).toBe('failure');
    expect(events.find((e) => e.action === 'dlp.audited')?.details).toMatchObject({
      unscannedAttachments: 1,
    });
  });

  it('refuses payloads that could carry a BSN or free text', async () => {
    const bad: unknown[] = [
      { ...override, note: `BSN ${BSN}` },
      { ...override, recipientDomains: [`${BSN}.nl`] },
      { ...override, recipientDomains: ['jan.jansen@gmail.com'] },
      { ...override, recipientDomains: [`${'a'.repeat(300)}.nl`] },
      { ...override, recipientDomains: ['06-12345678.nl'] },
      { ...override, rules: [{ rule: `bsn ${BSN}`, action: 'warn', count: 1 }] },
      { ...override, rules: [{ rule: 'bsn', action: 'warn', count: 1, value: BSN }] },
      { ...override, rules: [{ rule: 'bsn', action: 'warn', count: Number(BSN) }] },
      { ...override, rules: [{ rule: 'bsn', action: 'off', count: 1 }] },
      { ...override, rules: [] },
      { ...override, outcome: BSN },
      { ...override, conversationId: BSN },
      { ...override, recipientDomains: ['Dit is een lange tekst met een BSN 123456782 erin'] },
    ];
    for (const body of bad) {
      const response = await member.browser.post('/api/dlp/overrides', body);
      expect({ body, status: response.statusCode }).toEqual({ body, status: 400 });
    }
    expect((await new Browser(t.app).post('/api/dlp/overrides', override)).statusCode).toBe(401);
    const all = JSON.stringify(await auditEvents());
    expect(all).not.toContain(BSN);
  });

  it('limits how many reports one user can write into the audit trail', async () => {
    const flooder = await createMember(t, admin);
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++)
      statuses.push((await flooder.browser.post('/api/dlp/overrides', override)).statusCode);
    expect(statuses.filter((s) => s === 200)).toHaveLength(120);
    expect(statuses.at(-1)).toBe(429);
  });
});
