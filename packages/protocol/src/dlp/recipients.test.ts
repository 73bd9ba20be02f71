import { describe, expect, it } from 'vitest';
import { editDistance, findLookalikeDomain, skeletonOf } from './lookalike.ts';
import { checkRecipients, domainOf, type Recipient } from './recipients.ts';

const context = {
  internalDomains: ['zorgorg.nl'],
  usualDomains: ['gemeente-utrecht.nl', 'ggd-regio.nl'],
  knownAddresses: new Set(['j.jansen@gemeente-utrecht.nl']),
};
const to = (address: string): Recipient => ({ address, field: 'to' });

describe('look-alike domains', () => {
  it('measures edits, counting a swap of neighbours as one', () => {
    expect(editDistance('gmial', 'gmail')).toBe(1);
    expect(editDistance('gemeente-utrect.nl', 'gemeente-utrecht.nl')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
  it('catches typos and confusable characters of usual domains', () => {
    expect(findLookalikeDomain('gmial.com', ['gmail.com'])).toMatchObject({
      similarTo: 'gmail.com',
      reason: 'edit_distance',
    });
    expect(findLookalikeDomain('gemeente-utrect.nl', ['gemeente-utrecht.nl'])?.similarTo).toBe(
      'gemeente-utrecht.nl',
    );
    expect(findLookalikeDomain('rnicrosoft.com', ['microsoft.com'])?.reason).toBe('confusable_characters');
    expect(
      findLookalikeDomain('gemeente-utrecht.nl', ['gemeente-utrecht.nl'.replace('e', 'е')])?.reason,
    ).toBe('confusable_characters');
    expect(findLookalikeDomain('g00gle.com', ['google.com'])?.similarTo).toBe('google.com');
    expect(skeletonOf('PAYPAL.COM')).toBe(skeletonOf('paypa1.com'));
  });
  it('leaves the usual domain itself and clearly different domains alone', () => {
    expect(findLookalikeDomain('gmail.com', ['gmail.com'])).toBeUndefined();
    expect(findLookalikeDomain('Gmail.COM', ['gmail.com'])).toBeUndefined();
    expect(findLookalikeDomain('rijksoverheid.nl', ['gemeente-utrecht.nl', 'gmail.com'])).toBeUndefined();
    expect(findLookalikeDomain('gmx.de', ['gmx.nl'])).toBeUndefined();
    expect(findLookalikeDomain('', ['gmail.com'])).toBeUndefined();
  });
});

describe('checkRecipients', () => {
  it('flags a look-alike domain even without sensitive content', () => {
    const issues = checkRecipients([to('piet@gemeente-utrect.nl')], context, false);
    expect(issues).toEqual([
      { rule: 'lookalike_domain', addresses: ['piet@gemeente-utrect.nl'], similarTo: 'gemeente-utrecht.nl' },
    ]);
    expect(checkRecipients([to('a@gmial.com')], context, false)[0]).toMatchObject({ similarTo: 'gmail.com' });
  });
  it('flags internal and external recipients mixed', () => {
    const issues = checkRecipients(
      [to('collega@zorgorg.nl'), to('j.jansen@gemeente-utrecht.nl')],
      context,
      false,
    );
    expect(issues.map((i) => i.rule)).toEqual(['mixed_internal_external']);
    expect(checkRecipients([to('a@zorgorg.nl'), to('b@team.zorgorg.nl')], context, true)).toEqual([]);
  });
  it('suggests Bcc for many visible external addresses, not for Bcc ones', () => {
    const many = Array.from({ length: 6 }, (_, i) => `ouder${i}@example.org`);
    expect(checkRecipients(many.map(to), context, false).map((i) => i.rule)).toEqual([
      'many_visible_external',
    ]);
    const hidden = many.map((address): Recipient => ({ address, field: 'bcc' }));
    expect(checkRecipients(hidden, context, false)).toEqual([]);
    expect(checkRecipients(many.slice(0, 5).map(to), context, false)).toEqual([]);
  });
  it('flags first-time and free-mail recipients only for sensitive content', () => {
    const recipients = [
      to('J.Jansen@gemeente-utrecht.nl'),
      to('nieuw@ggd-regio.nl'),
      to('moeder@hotmail.com'),
    ];
    expect(checkRecipients(recipients, context, false)).toEqual([]);
    const issues = checkRecipients(recipients, context, true);
    expect(issues).toEqual([
      { rule: 'first_time_recipient', addresses: ['nieuw@ggd-regio.nl', 'moeder@hotmail.com'] },
      { rule: 'free_mail_sensitive', addresses: ['moeder@hotmail.com'] },
    ]);
  });
  it('copes with malformed addresses and no recipients', () => {
    expect(checkRecipients([], context, true)).toEqual([]);
    expect(domainOf('no-at-sign')).toBe('');
    expect(domainOf(' x@Example.NL. ')).toBe('example.nl');
    const issues = checkRecipients([to('no-at-sign')], context, true);
    expect(issues.map((i) => i.rule)).toEqual(['first_time_recipient']);
  });
});
