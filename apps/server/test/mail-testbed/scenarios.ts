import type { CheckId, CheckStatus, DeliveryDecision } from '../../src/features/mail-security/types.ts';

/** Addresses and TLSA data the scenarios refer to; filled in by the test bed. */
export interface ScenarioEnv {
  ip: (host: number) => string;
  tlsa: {
    goodLeaf: string;
    ca: string;
    tls10Leaf: string;
    weakLeaf: string;
    rsa2048Leaf: string;
    selfSigned: string;
  };
}

export interface Scenario {
  domain: string;
  /** Zone lines with absolute names; the test bed files each into the zone that holds it. */
  records: string[];
  /** MTA-STS policy body served at https://mta-sts.<domain>/.well-known/mta-sts.txt. */
  policy?: string;
  /** Serve the policy from the host with the untrusted certificate. */
  isPolicyCertBad?: boolean;
  expect: { checks: Partial<Record<CheckId, CheckStatus>>; score: number; delivery: DeliveryDecision };
}

/** Host numbers of the servers inside 127.77.<net>.0/24. */
export const hosts = {
  resolver: 1,
  nsd: 2,
  mxGood: 10,
  mxGood2: 11,
  mxTls10: 12,
  mxWeak: 13,
  mxRsa2048: 14,
  mxSelfSigned: 15,
  mxPlain: 16,
  mxSilent: 17,
  policy: 20,
  policyBad: 21,
} as const;

const wrongDigest = 'ab'.repeat(32);
const dkimKey = 'v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';

/** MX hosts and their TLSA records, shared by many scenario domains (so their scans are shared too). */
export function buildMailHostRecords(env: ScenarioEnv): string[] {
  const { ip, tlsa } = env;
  const a = (name: string, host: number) => `${name}. A ${ip(host)}`;
  const t = (name: string, data: string) => `_25._tcp.${name}. TLSA ${data}`;
  return [
    a('mx1.good.test', hosts.mxGood),
    a('mx2.good.test', hosts.mxGood2),
    t('mx1.good.test', `3 1 1 ${tlsa.goodLeaf}`),
    t('mx1.good.test', `2 1 1 ${tlsa.ca}`),
    t('mx2.good.test', `3 1 1 ${tlsa.goodLeaf}`),
    t('mx2.good.test', `2 1 1 ${tlsa.ca}`),
    a('mx.daneta.test', hosts.mxGood),
    t('mx.daneta.test', `2 1 1 ${tlsa.ca}`),
    a('mx.danetabad.test', hosts.mxGood),
    t('mx.danetabad.test', `2 1 1 ${wrongDigest}`),
    a('mx.mismatch.test', hosts.mxGood),
    t('mx.mismatch.test', `3 1 1 ${wrongDigest}`),
    a('mx.norollover.test', hosts.mxGood),
    t('mx.norollover.test', `3 1 1 ${tlsa.goodLeaf}`),
    a('mx.bogustlsa.test', hosts.mxGood),
    t('mx.bogustlsa.test', `3 1 1 ${tlsa.goodLeaf}`),
    a('mx.unsigned.test', hosts.mxGood),
    t('mx.unsigned.test', `3 1 1 ${tlsa.goodLeaf}`),
    a('mx.ststest.test', hosts.mxGood),
    a('mx.stsnomx.test', hosts.mxGood),
    a('mx.stsbadcert.test', hosts.mxGood),
    a('mx.tls10.test', hosts.mxTls10),
    a('mx.weak.test', hosts.mxWeak),
    t('mx.weak.test', `3 1 1 ${tlsa.weakLeaf}`),
    a('mx.rsa2048.test', hosts.mxRsa2048),
    t('mx.rsa2048.test', `3 1 1 ${tlsa.rsa2048Leaf}`),
    a('mx.selfsigned.test', hosts.mxSelfSigned),
    t('mx.selfsigned.test', `3 1 1 ${tlsa.selfSigned}`),
    a('mx2.selfsigned.test', hosts.mxSelfSigned),
    a('mx.plain.test', hosts.mxPlain),
    a('mx.silent.test', hosts.mxSilent),
  ];
}

/** Names on the main test certificate (served at mxGood and mxGood2). */
export const goodLeafNames = [
  'mx1.good.test',
  'mx2.good.test',
  'mx.daneta.test',
  'mx.danetabad.test',
  'mx.mismatch.test',
  'mx.norollover.test',
  'mx.bogustlsa.test',
  'mx.unsigned.test',
  'mx.ststest.test',
  'mx.stsnomx.test',
  'mx.stsbadcert.test',
];

interface DomainOptions {
  mx?: string[];
  spf?: string[];
  dmarc?: string[];
  dkim?: boolean;
  tlsRpt?: boolean;
}

/** The usual records of a well-configured domain, each replaceable. */
function domainRecords(domain: string, options: DomainOptions = {}): string[] {
  const mx = options.mx ?? ['mx1.good.test'];
  const spf = options.spf ?? ['v=spf1 ip4:127.77.0.0/16 -all'];
  const dmarc = options.dmarc ?? [`v=DMARC1; p=reject; rua=mailto:dmarc@${domain}`];
  return [
    ...mx.map((m, i) => `${domain}. MX ${10 * (i + 1)} ${m}.`),
    ...spf.map((s) => `${domain}. TXT "${s}"`),
    ...dmarc.map((d) => `_dmarc.${domain}. TXT "${d}"`),
    ...(options.dkim === false ? [] : [`sel1._domainkey.${domain}. TXT "${dkimKey}"`]),
    ...(options.tlsRpt === false
      ? []
      : [`_smtp._tls.${domain}. TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${domain}"`]),
  ];
}

function stsRecords(domain: string, env: ScenarioEnv, isBad = false): string[] {
  return [
    `_mta-sts.${domain}. TXT "v=STSv1; id=20260101"`,
    `mta-sts.${domain}. A ${env.ip(isBad ? hosts.policyBad : hosts.policy)}`,
  ];
}

const policy = (mode: string, mx: string[]) =>
  `version: STSv1\nmode: ${mode}\n${mx.map((m) => `mx: ${m}\n`).join('')}max_age: 86400\n`;

const allPass: Partial<Record<CheckId, CheckStatus>> = {
  dnssec: 'pass',
  dnssec_mx: 'pass',
  spf: 'pass',
  spf_policy: 'pass',
  dkim: 'pass',
  dmarc: 'pass',
  dmarc_policy: 'pass',
  starttls: 'pass',
  tls_version: 'pass',
  tls_ciphers: 'pass',
  certificate: 'pass',
  dane_exists: 'pass',
  dane_valid: 'pass',
};

/**
 * The scenario matrix of issue 7 and the reference (§4.10). Scores follow internet.nl's model with
 * the categories dnssec, auth and tls (see docs/mail-security.md for the arithmetic).
 */
export function buildScenarios(env: ScenarioEnv): Scenario[] {
  return [
    {
      domain: 'good.test',
      records: [
        ...domainRecords('good.test', { mx: ['mx1.good.test', 'mx2.good.test'] }),
        ...stsRecords('good.test', env),
      ],
      policy: policy('enforce', ['*.good.test']),
      expect: {
        checks: { ...allPass, dane_rollover: 'pass', mta_sts: 'pass', tls_rpt: 'pass', cert_trust: 'pass' },
        score: 100,
        delivery: 'dane',
      },
    },
    {
      domain: 'daneta.test',
      records: domainRecords('daneta.test', { mx: ['mx.daneta.test'] }),
      expect: {
        checks: { ...allPass, dane_rollover: 'info', mta_sts: 'info' },
        score: 100,
        delivery: 'dane',
      },
    },
    {
      domain: 'danetabad.test',
      records: domainRecords('danetabad.test', { mx: ['mx.danetabad.test'] }),
      expect: { checks: { dane_exists: 'pass', dane_valid: 'fail' }, score: 96, delivery: 'none' },
    },
    {
      domain: 'mismatch.test',
      records: [
        ...domainRecords('mismatch.test', { mx: ['mx.mismatch.test'] }),
        ...stsRecords('mismatch.test', env),
      ],
      policy: policy('enforce', ['mx.mismatch.test']),
      expect: {
        checks: { dane_exists: 'pass', dane_valid: 'fail', mta_sts: 'pass' },
        score: 96,
        delivery: 'none',
      },
    },
    {
      domain: 'norollover.test',
      records: domainRecords('norollover.test', { mx: ['mx.norollover.test'] }),
      expect: { checks: { ...allPass, dane_rollover: 'info' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'bogustlsa.test',
      records: domainRecords('bogustlsa.test', { mx: ['mx.bogustlsa.test'] }),
      expect: {
        checks: { dnssec: 'pass', dane_exists: 'fail', dane_valid: 'not_tested' },
        score: 92,
        delivery: 'none',
      },
    },
    {
      domain: 'unsigned.test',
      records: [
        ...domainRecords('unsigned.test', { mx: ['mx.unsigned.test'] }),
        ...stsRecords('unsigned.test', env),
      ],
      policy: policy('enforce', ['mx.unsigned.test']),
      expect: {
        checks: { dnssec: 'fail', dnssec_mx: 'fail', dane_exists: 'fail', mta_sts: 'pass', starttls: 'pass' },
        score: 65,
        delivery: 'mta-sts',
      },
    },
    {
      domain: 'insecuremx.test',
      records: domainRecords('insecuremx.test', { mx: ['mx.unsigned.test'] }),
      expect: {
        checks: { dnssec: 'pass', dnssec_mx: 'fail', dane_exists: 'fail' },
        score: 65,
        delivery: 'none',
      },
    },
    {
      domain: 'ststest.test',
      records: [
        ...domainRecords('ststest.test', { mx: ['mx.ststest.test'] }),
        ...stsRecords('ststest.test', env),
      ],
      policy: policy('testing', ['mx.ststest.test']),
      expect: { checks: { mta_sts: 'warning', dane_exists: 'fail' }, score: 92, delivery: 'none' },
    },
    {
      domain: 'stsnomx.test',
      records: [
        ...domainRecords('stsnomx.test', { mx: ['mx.stsnomx.test'] }),
        ...stsRecords('stsnomx.test', env),
      ],
      policy: policy('enforce', ['mx.elsewhere.test']),
      expect: { checks: { mta_sts: 'fail' }, score: 92, delivery: 'none' },
    },
    {
      domain: 'stsbadcert.test',
      records: [
        ...domainRecords('stsbadcert.test', { mx: ['mx.stsbadcert.test'] }),
        ...stsRecords('stsbadcert.test', env, true),
      ],
      policy: policy('enforce', ['mx.stsbadcert.test']),
      isPolicyCertBad: true,
      expect: { checks: { mta_sts: 'fail' }, score: 92, delivery: 'none' },
    },
    {
      domain: 'selfsigned.test',
      records: domainRecords('selfsigned.test', { mx: ['mx.selfsigned.test'] }),
      expect: { checks: { ...allPass, cert_trust: 'info' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'stsselfsigned.test',
      records: [
        ...domainRecords('stsselfsigned.test', { mx: ['mx2.selfsigned.test'] }),
        ...stsRecords('stsselfsigned.test', env),
      ],
      policy: policy('enforce', ['mx2.selfsigned.test']),
      expect: {
        checks: { mta_sts: 'fail', cert_trust: 'info', dane_exists: 'fail' },
        score: 92,
        delivery: 'none',
      },
    },
    {
      domain: 'tls10.test',
      records: domainRecords('tls10.test', { mx: ['mx.tls10.test'] }),
      expect: {
        checks: { starttls: 'pass', tls_version: 'fail', tls_ciphers: 'fail', dane_exists: 'fail' },
        score: 83,
        delivery: 'none',
      },
    },
    {
      domain: 'weak.test',
      records: domainRecords('weak.test', { mx: ['mx.weak.test'] }),
      expect: {
        checks: { tls_version: 'pass', tls_ciphers: 'fail', certificate: 'pass', dane_valid: 'pass' },
        score: 96,
        delivery: 'dane',
      },
    },
    {
      domain: 'rsa2048.test',
      records: domainRecords('rsa2048.test', { mx: ['mx.rsa2048.test'] }),
      expect: { checks: { ...allPass, certificate: 'warning' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'plain.test',
      records: domainRecords('plain.test', { mx: ['mx.plain.test'] }),
      expect: {
        checks: { starttls: 'fail', tls_version: 'not_tested', dane_valid: 'not_tested' },
        score: 67,
        delivery: 'none',
      },
    },
    {
      domain: 'silent.test',
      records: domainRecords('silent.test', { mx: ['mx.silent.test'] }),
      expect: { checks: { starttls: 'error', tls_version: 'not_tested' }, score: 67, delivery: 'none' },
    },
    {
      domain: 'spfplus.test',
      records: domainRecords('spfplus.test', { spf: ['v=spf1 +all'] }),
      expect: { checks: { spf: 'pass', spf_policy: 'fail' }, score: 95, delivery: 'dane' },
    },
    {
      domain: 'spfq.test',
      records: domainRecords('spfq.test', { spf: ['v=spf1 ip4:127.77.0.0/16 ?all'] }),
      expect: { checks: { spf: 'pass', spf_policy: 'fail' }, score: 95, delivery: 'dane' },
    },
    {
      domain: 'spflookups.test',
      records: [
        ...domainRecords('spflookups.test', {
          spf: ['v=spf1 include:a.spflookups.test include:b.spflookups.test a mx -all'],
        }),
        'a.spflookups.test. TXT "v=spf1 a mx ptr exists:x.test ?all"',
        'b.spflookups.test. TXT "v=spf1 a mx a:y.test -all"',
      ],
      expect: { checks: { spf: 'pass', spf_policy: 'fail' }, score: 93, delivery: 'dane' },
    },
    {
      domain: 'spfinclude.test',
      records: [
        ...domainRecords('spfinclude.test', {
          spf: ['v=spf1 include:a.spfinclude.test redirect=b.spfinclude.test'],
        }),
        'a.spfinclude.test. TXT "v=spf1 ip4:127.77.1.0/24 ?all"',
        'b.spfinclude.test. TXT "v=spf1 mx -all"',
      ],
      expect: { checks: { spf: 'pass', spf_policy: 'pass' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'spftwo.test',
      records: domainRecords('spftwo.test', { spf: ['v=spf1 -all', 'v=spf1 mx -all'] }),
      expect: { checks: { spf: 'fail', spf_policy: 'not_tested' }, score: 87, delivery: 'dane' },
    },
    {
      domain: 'dmarcnone.test',
      records: domainRecords('dmarcnone.test', { dmarc: ['v=DMARC1; p=none'] }),
      expect: { checks: { dmarc: 'pass', dmarc_policy: 'fail' }, score: 95, delivery: 'dane' },
    },
    {
      domain: 'dmarctesting.test',
      records: domainRecords('dmarctesting.test', { dmarc: ['v=DMARC1; p=quarantine; t=y'] }),
      expect: { checks: { dmarc: 'pass', dmarc_policy: 'fail' }, score: 95, delivery: 'dane' },
    },
    {
      domain: 'sub.orgfb.test',
      records: [
        ...domainRecords('sub.orgfb.test', { dmarc: [] }),
        '_dmarc.orgfb.test. TXT "v=DMARC1; p=reject; sp=quarantine"',
      ],
      expect: { checks: { dmarc: 'pass', dmarc_policy: 'pass' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'sub.orgnone.test',
      records: [
        ...domainRecords('sub.orgnone.test', { dmarc: [] }),
        '_dmarc.orgnone.test. TXT "v=DMARC1; p=reject; sp=none"',
      ],
      expect: { checks: { dmarc: 'pass', dmarc_policy: 'fail' }, score: 95, delivery: 'dane' },
    },
    {
      domain: 'dmarcext.test',
      records: domainRecords('dmarcext.test', { dmarc: ['v=DMARC1; p=reject; rua=mailto:r@reports.test'] }),
      expect: { checks: { dmarc_policy: 'warning' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'dmarcextok.test',
      records: [
        ...domainRecords('dmarcextok.test', { dmarc: ['v=DMARC1; p=reject; rua=mailto:r@reports.test'] }),
        'dmarcextok.test._report._dmarc.reports.test. TXT "v=DMARC1"',
      ],
      expect: { checks: { dmarc_policy: 'pass' }, score: 100, delivery: 'dane' },
    },
    {
      domain: 'dkimnone.test',
      records: domainRecords('dkimnone.test', { dkim: false }),
      expect: { checks: { dkim: 'fail' }, score: 93, delivery: 'dane' },
    },
    {
      domain: 'nullmx.test',
      records: [
        'nullmx.test. MX 0 .',
        'nullmx.test. TXT "v=spf1 -all"',
        '_dmarc.nullmx.test. TXT "v=DMARC1; p=reject"',
      ],
      expect: {
        checks: { mx: 'info', dkim: 'pass', starttls: 'not_tested', dane_exists: 'not_tested' },
        score: 100,
        delivery: 'none',
      },
    },
    {
      domain: 'bogus.test',
      records: domainRecords('bogus.test'),
      expect: { checks: { dnssec: 'fail', mx: 'fail', starttls: 'not_tested' }, score: 0, delivery: 'none' },
    },
    {
      domain: 'expired.test',
      records: domainRecords('expired.test'),
      expect: { checks: { dnssec: 'fail', mx: 'fail' }, score: 0, delivery: 'none' },
    },
  ];
}
