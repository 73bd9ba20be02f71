import { describe, expect, it } from 'vitest';
import { type DlpPolicy, defaultPolicy, evaluatePolicy, summarizeForAudit } from './policy.ts';
import { checkRecipients, type Recipient } from './recipients.ts';
import { scanText } from './scan-text.ts';

const internalDomains = ['zorgorg.nl'];
const body = 'Mevrouw Jansen, BSN 123456782, rekening NL91ABNA0417164300.';
const findings = scanText(body);
const external: Recipient[] = [{ address: 'piet@gemeente-utrecht.nl', field: 'to' }];

function evaluate(
  recipients: Recipient[],
  policy: DlpPolicy = defaultPolicy,
  channel: 'plain' | 'secure' = 'plain',
) {
  const recipientIssues = checkRecipients(
    recipients,
    { internalDomains, usualDomains: ['gemeente-utrecht.nl'] },
    true,
  );
  return evaluatePolicy({ findings, recipients, recipientIssues, policy, internalDomains, channel });
}

describe('evaluatePolicy', () => {
  it('blocks plain sending of a BSN under the default policy and shows why', () => {
    const verdict = evaluate(external);
    expect(verdict.isBlocked).toBe(true);
    expect(verdict.highestAction).toBe('block');
    expect(verdict.shown.map((i) => [i.rule, i.action])).toEqual([
      ['bsn', 'block'],
      ['iban', 'warn'],
      ['first_time_recipient', 'warn'],
    ]);
    expect(verdict.shown[0]!.message).toMatch(/burgerservicenummer/);
  });
  it('lets a BSN go securely to a known, verified recipient with a note and nothing to confirm', () => {
    const known: Recipient[] = [{ ...external[0]!, isVerified: true }];
    const verdict = evaluatePolicy({
      findings,
      recipients: known,
      recipientIssues: checkRecipients(
        known,
        {
          internalDomains,
          usualDomains: ['gemeente-utrecht.nl'],
          knownAddresses: new Set([known[0]!.address]),
        },
        true,
      ),
      policy: defaultPolicy,
      internalDomains,
      channel: 'secure',
    });
    expect(verdict.isBlocked).toBe(false);
    expect(verdict.shown).toEqual([]);
    expect(verdict.items.map((i) => [i.rule, i.action])).toEqual([
      ['bsn', 'audit'],
      ['iban', 'audit'],
    ]);
    expect(verdict.notes.map((i) => i.rule)).toEqual(['bsn', 'iban']);
  });
  it('asks to confirm a BSN sent securely to a first-time recipient, and never blocks it', () => {
    const verdict = evaluate([{ ...external[0]!, isVerified: true }], defaultPolicy, 'secure');
    expect(verdict.isBlocked).toBe(false);
    expect(verdict.shown.map((i) => [i.rule, i.action])).toEqual([
      ['bsn', 'warn'],
      ['iban', 'warn'],
      ['first_time_recipient', 'warn'],
    ]);
    expect(verdict.notes).toEqual([]);
  });
  it('asks to confirm a BSN sent securely to a known recipient whom the link alone lets in', () => {
    const linkOnly: Recipient[] = [{ ...external[0]!, isVerified: false }];
    const verdict = evaluatePolicy({
      findings,
      recipients: linkOnly,
      recipientIssues: [],
      policy: defaultPolicy,
      internalDomains,
      channel: 'secure',
    });
    expect(verdict.shown.map((i) => [i.rule, i.action])).toEqual([
      ['bsn', 'warn'],
      ['iban', 'warn'],
    ]);
    expect(verdict.isBlocked).toBe(false);
  });
  it('asks to confirm a BSN sent securely to a look-alike domain', () => {
    const lookalike: Recipient[] = [{ address: 'piet@gemeente-utrect.nl', field: 'to', isVerified: true }];
    const verdict = evaluatePolicy({
      findings,
      recipients: lookalike,
      recipientIssues: checkRecipients(
        lookalike,
        {
          internalDomains,
          usualDomains: ['gemeente-utrecht.nl'],
          knownAddresses: new Set(['piet@gemeente-utrect.nl']),
        },
        true,
      ),
      policy: defaultPolicy,
      internalDomains,
      channel: 'secure',
    });
    expect(verdict.shown.map((i) => i.rule)).toEqual(['bsn', 'iban', 'lookalike_domain']);
    expect(verdict.shown[0]?.action).toBe('warn');
  });
  it('applies each level as configured, with off meaning nothing at all', () => {
    const policy: DlpPolicy = {
      rules: { bsn: 'suggest', iban: 'off', first_time_recipient: 'audit' },
      exemptDomains: [],
    };
    const verdict = evaluate(external, policy);
    expect(verdict.isBlocked).toBe(false);
    expect(verdict.items.map((i) => [i.rule, i.action])).toEqual([
      ['bsn', 'suggest'],
      ['first_time_recipient', 'audit'],
    ]);
    expect(verdict.shown.map((i) => i.rule)).toEqual(['bsn']);
  });
  it('skips content rules for exempt domains and for internal-only mail', () => {
    const exempt = evaluate(external, { ...defaultPolicy, exemptDomains: ['gemeente-utrecht.nl'] });
    expect(exempt.items).toEqual([]);
    expect(exempt.isBlocked).toBe(false);
    expect(evaluate([{ address: 'collega@zorgorg.nl', field: 'to' }]).items).toEqual([]);
    const mixed = evaluate([...external, { address: 'x@gmial.com', field: 'cc' }], {
      ...defaultPolicy,
      exemptDomains: ['gemeente-utrecht.nl'],
    });
    expect(mixed.isBlocked).toBe(true);
    expect(mixed.items.find((i) => i.rule === 'lookalike_domain')?.addresses).toEqual(['x@gmial.com']);
  });
  it('returns an empty verdict when there is nothing to say', () => {
    const verdict = evaluatePolicy({
      findings: [],
      recipients: [],
      recipientIssues: [],
      policy: defaultPolicy,
      internalDomains,
      channel: 'plain',
    });
    expect(verdict).toEqual({ isBlocked: false, highestAction: 'off', shown: [], items: [], notes: [] });
  });
});

describe('summarizeForAudit', () => {
  it('records an override with counts and domains, never the values or the addresses', () => {
    const policy: DlpPolicy = { ...defaultPolicy, rules: { ...defaultPolicy.rules, bsn: 'warn' } };
    const verdict = evaluate(external, policy);
    const summary = summarizeForAudit(verdict, external, { channel: 'plain', overridden: true });
    expect(summary.outcome).toBe('sent_after_override');
    expect(summary.rules).toContainEqual({ rule: 'bsn', action: 'warn', count: 1 });
    expect(summary.recipientDomains).toEqual(['gemeente-utrecht.nl']);
    const serialised = JSON.stringify(summary);
    for (const secret of ['123456782', 'NL91ABNA0417164300', 'piet@', 'Jansen'])
      expect(serialised).not.toContain(secret);
  });
  it('records a block as blocked and a clean message as sent', () => {
    expect(
      summarizeForAudit(evaluate(external), external, { channel: 'plain', overridden: true }).outcome,
    ).toBe('blocked');
    const clean = evaluatePolicy({
      findings: [],
      recipients: external,
      recipientIssues: [],
      policy: defaultPolicy,
      internalDomains,
      channel: 'plain',
    });
    expect(summarizeForAudit(clean, external, { channel: 'plain', overridden: true }).outcome).toBe('sent');
  });
});
