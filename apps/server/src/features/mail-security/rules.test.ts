import { describe, expect, it } from 'vitest';
import type { MailServerFacts } from './check-mail-server.ts';
import { parseMtaStsPolicy, policyCoversHost } from './check-mta-sts.ts';
import { decideDelivery } from './delivery-decision.ts';
import { normalizeDomainName } from './domain-name.ts';
import { computeScore } from './score.ts';
import {
  classifyCertificateKey,
  classifyKeyExchange,
  classifySignature,
  classifySuite,
} from './tls-policy.ts';
import type { ScoredCheck } from './types.ts';

describe('NCSC-NL classification', () => {
  it.each([
    ['TLS_AES_256_GCM_SHA384', 'good'],
    ['TLS_AES_128_GCM_SHA256', 'sufficient'],
    ['TLS_AES_128_CCM_8_SHA256', 'insufficient'],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'sufficient'],
    ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'sufficient'],
    ['TLS_DHE_RSA_WITH_AES_256_GCM_SHA384', 'phase_out'],
    ['TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', 'phase_out'],
    ['TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', 'insufficient'],
    ['TLS_RSA_WITH_AES_128_GCM_SHA256', 'insufficient'],
    ['TLS_RSA_WITH_3DES_EDE_CBC_SHA', 'insufficient'],
  ])('%s is %s', (suite, level) => {
    expect(classifySuite(suite)).toBe(level);
  });

  it('rates key exchange, keys and signatures', () => {
    expect(classifyKeyExchange('ECDH X25519 253')).toBe('good');
    expect(classifyKeyExchange('DH 2048')).toBe('insufficient');
    expect(classifyKeyExchange('DH 3072')).toBe('phase_out');
    expect(classifyCertificateKey('rsa', 2048, undefined)).toBe('phase_out');
    expect(classifyCertificateKey('rsa', 1024, undefined)).toBe('insufficient');
    expect(classifyCertificateKey('ec', 256, 'secp256k1')).toBe('insufficient');
    expect(classifySignature('1.2.840.113549.1.1.5').level).toBe('insufficient');
    expect(classifySignature(undefined).level).toBe('insufficient');
  });
});

describe('domain names', () => {
  it('maps IDN to A-labels and refuses junk', () => {
    expect(normalizeDomainName('ZORG.nl.')).toEqual({ ok: true, domain: 'zorg.nl' });
    expect(normalizeDomainName('gemeente-ümmen.nl')).toMatchObject({
      ok: true,
      domain: 'xn--gemeente-mmen-4ob.nl',
    });
    for (const bad of ['', 'nl', 'a b.nl', 'x@y.nl', '-a.nl', 'a_b.nl', '10.0.0.1'])
      expect(normalizeDomainName(bad).ok).toBe(false);
  });
});

describe('MTA-STS policy', () => {
  it('parses a policy and matches wildcards one label deep', () => {
    const policy = parseMtaStsPolicy(
      'version: STSv1\r\nmode: enforce\r\nmx: *.zorg.nl\r\nmx: mail.example.nl\r\nmax_age: 604800\r\n',
      'a1',
    );
    expect(typeof policy).toBe('object');
    if (typeof policy === 'string') return;
    expect(policyCoversHost(policy, 'mx1.zorg.nl')).toBe(true);
    expect(policyCoversHost(policy, 'a.b.zorg.nl')).toBe(false);
    expect(policyCoversHost(policy, 'zorg.nl')).toBe(false);
    expect(policyCoversHost(policy, 'MAIL.example.nl.')).toBe(true);
  });

  it('rejects policies without version, with a bad mode or max_age', () => {
    expect(parseMtaStsPolicy('mode: enforce\nmx: a.nl\nmax_age: 1\n', 'x')).toMatch(/version/);
    expect(parseMtaStsPolicy('version: STSv1\nmode: strict\nmx: a.nl\nmax_age: 1\n', 'x')).toMatch(/mode/);
    expect(parseMtaStsPolicy('version: STSv1\nmode: enforce\nmx: a.nl\n', 'x')).toMatch(/max_age/);
  });
});

describe('delivery decision', () => {
  const server = (over: Partial<MailServerFacts> = {}): MailServerFacts => ({
    host: 'mx.zorg.nl',
    tlsa: {
      state: 'secure',
      records: [{ usage: 3, selector: 1, matchingType: 1, certificate: new Uint8Array(32) }],
      reason: '',
    },
    addressSecure: true,
    starttlsOk: true,
    supportsModernTls: true,
    daneMatched: true,
    pkixValid: true,
    ...over,
  });
  const enforce = {
    state: 'found' as const,
    detail: '',
    policy: { mode: 'enforce' as const, mx: ['mx.zorg.nl'], maxAge: 1, id: 'a' },
  };
  const absent = { state: 'absent' as const, detail: '' };

  it('chooses dane, then mta-sts, else none', () => {
    expect(
      decideDelivery({ hasMailServers: true, mxSecure: true, servers: [server()], mtaSts: absent }).decision,
    ).toBe('dane');
    const noTlsa = server({ tlsa: { state: 'none', records: [], reason: '' }, daneMatched: false });
    expect(
      decideDelivery({ hasMailServers: true, mxSecure: true, servers: [noTlsa], mtaSts: enforce }).decision,
    ).toBe('mta-sts');
    expect(
      decideDelivery({ hasMailServers: true, mxSecure: true, servers: [noTlsa], mtaSts: absent }).decision,
    ).toBe('none');
  });

  it('never falls back from broken DANE to MTA-STS, nor uses DANE under an insecure MX RRset', () => {
    expect(
      decideDelivery({
        hasMailServers: true,
        mxSecure: true,
        servers: [server({ daneMatched: false })],
        mtaSts: enforce,
      }).decision,
    ).toBe('none');
    const bogus = server({ tlsa: { state: 'bogus', records: [], reason: '' }, daneMatched: false });
    expect(
      decideDelivery({ hasMailServers: true, mxSecure: true, servers: [bogus], mtaSts: enforce }).decision,
    ).toBe('none');
    expect(
      decideDelivery({ hasMailServers: true, mxSecure: false, servers: [server()], mtaSts: absent }).decision,
    ).toBe('none');
    expect(
      decideDelivery({
        hasMailServers: true,
        mxSecure: true,
        servers: [server(), server({ host: 'b', daneMatched: false })],
        mtaSts: absent,
      }).decision,
    ).toBe('none');
  });
});

describe('score', () => {
  const check = (id: ScoredCheck['id'], points: number, maxPoints = 10): ScoredCheck => ({
    id,
    status: points === maxPoints ? 'pass' : 'fail',
    detail: '',
    points,
    maxPoints,
  });
  const auth = ['spf', 'spf_policy', 'dkim', 'dmarc', 'dmarc_policy'].map((id) =>
    check(id as ScoredCheck['id'], 10),
  );

  it('averages categories and takes the worst server', () => {
    const good = [check('dnssec_mx', 10), check('starttls', 10), check('dane_valid', 10)];
    const bad = [check('dnssec_mx', 2), check('starttls', 10), check('dane_valid', 0)];
    expect(computeScore({ domainDnssec: check('dnssec', 10), auth, servers: [good] })).toBe(100);
    // dnssec min(1, 0.2) = 0.2; auth 1; tls min(1, 0.5) = 0.5 → 56.7
    expect(computeScore({ domainDnssec: check('dnssec', 10), auth, servers: [good, bad] })).toBe(57);
    expect(computeScore({ domainDnssec: check('dnssec', 10), auth, servers: [] })).toBe(100);
  });
});
