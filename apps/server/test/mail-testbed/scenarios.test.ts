import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ProbeOptions, probeMailServer } from '../../src/adapters/smtp-probe/index.ts';
import { queryWithDnssecState } from '../../src/features/mail-security/dnssec-state.ts';
import {
  checkMailDomain,
  createMailCheckContext,
  type MailCheckContext,
  type MailDomainReport,
} from '../../src/features/mail-security/index.ts';

type ProbeWithConnection = NonNullable<ProbeOptions['withConnection']>;

import { type MailTestbed, startMailTestbed } from './testbed.ts';
import { sh, shAsync } from './tools.ts';

let testbed: MailTestbed;
/** Most connections ever open at once per address, measured around the context's connection lock. */
const maxOpenPerAddress = new Map<string, number>();
const openPerAddress = new Map<string, number>();

function countConnections<T>(lock: (address: string, run: () => Promise<T>) => Promise<T>) {
  return (address: string, run: () => Promise<T>) =>
    lock(address, async () => {
      const open = (openPerAddress.get(address) ?? 0) + 1;
      openPerAddress.set(address, open);
      maxOpenPerAddress.set(address, Math.max(open, maxOpenPerAddress.get(address) ?? 0));
      try {
        return await run();
      } finally {
        openPerAddress.set(address, (openPerAddress.get(address) ?? 1) - 1);
      }
    });
}
let context: MailCheckContext;
const reports = new Map<string, MailDomainReport>();

beforeAll(async () => {
  testbed = await startMailTestbed(1);
  context = createMailCheckContext({
    resolver: testbed.resolver,
    extraCa: testbed.extraCa,
    smtpTimeouts: { connectMs: 2000, greetingMs: 1500, commandMs: 2000, handshakeMs: 2000 },
    probe: (options) =>
      probeMailServer({
        ...options,
        withConnection: countConnections(
          options.withConnection ?? ((_a, run) => run()),
        ) as ProbeWithConnection,
      }),
  });
  // Every scenario at once through one context: this is also the test of sharing scans and DNS answers.
  const all = await Promise.all(testbed.scenarios.map((s) => checkMailDomain(s.domain, { context })));
  for (const report of all) reports.set(report.domain, report);
});

afterAll(async () => {
  await testbed?.stop();
});

describe('scenario matrix on the offline test bed', () => {
  const names = [
    'good.test',
    'daneta.test',
    'danetabad.test',
    'mismatch.test',
    'norollover.test',
    'bogustlsa.test',
    'unsigned.test',
    'insecuremx.test',
    'ststest.test',
    'stsnomx.test',
    'stsbadcert.test',
    'selfsigned.test',
    'stsselfsigned.test',
    'tls10.test',
    'weak.test',
    'rsa2048.test',
    'plain.test',
    'silent.test',
    'spfplus.test',
    'spfq.test',
    'spflookups.test',
    'spfinclude.test',
    'spftwo.test',
    'dmarcnone.test',
    'dmarctesting.test',
    'sub.orgfb.test',
    'sub.orgnone.test',
    'dmarcext.test',
    'dmarcextok.test',
    'dkimnone.test',
    'nullmx.test',
    'bogus.test',
    'expired.test',
  ];
  it.each(names)('%s gives the expected statuses, score and delivery decision', (domain) => {
    const scenario = testbed.scenarios.find((s) => s.domain === domain);
    const report = reports.get(domain);
    expect(scenario, 'scenario defined').toBeDefined();
    expect(report, 'report made').toBeDefined();
    if (!scenario || !report) return;
    const statuses = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
    expect(statuses).toMatchObject(scenario.expect.checks);
    expect(report.score).toBe(scenario.expect.score);
    expect(report.delivery).toBe(scenario.expect.delivery);
  });

  it('covers every scenario the test bed defines', () => {
    expect(testbed.scenarios.map((s) => s.domain).sort()).toEqual([...names].sort());
  });

  it('reports every promised check id with a valid status for every domain', () => {
    const promised = [
      'dnssec',
      'dnssec_mx',
      'spf',
      'spf_policy',
      'dkim',
      'dmarc',
      'dmarc_policy',
      'starttls',
      'tls_version',
      'tls_ciphers',
      'certificate',
      'dane_exists',
      'dane_valid',
      'dane_rollover',
      'mta_sts',
      'tls_rpt',
    ];
    for (const report of reports.values()) {
      expect(report.checks.map((c) => c.id)).toEqual(expect.arrayContaining(promised));
      for (const check of report.checks)
        expect(['pass', 'fail', 'warning', 'info', 'not_tested', 'error']).toContain(check.status);
    }
  });

  it('names the reason for bogus and expired zones (extended DNS errors)', () => {
    expect(reports.get('expired.test')?.checks.find((c) => c.id === 'dnssec')?.detail).toMatch(
      /bogus: EDE 7/,
    );
    expect(reports.get('bogus.test')?.checks.find((c) => c.id === 'dnssec')?.detail).toMatch(
      /bogus: EDE (6|9)/,
    );
    expect(reports.get('bogustlsa.test')?.checks.find((c) => c.id === 'dane_exists')?.detail).toMatch(
      /bogus/,
    );
  });

  it('gives advice in Dutch and English for each failure', () => {
    const advice = reports.get('tls10.test')?.advice ?? [];
    const version = advice.find((a) => a.id === 'tls_version');
    expect(version?.nl).toMatch(/TLS 1\.0/);
    expect(version?.en).toMatch(/Disable TLS 1\.0/);
    expect(reports.get('good.test')?.advice).toEqual([]);
  });

  it('scanned each mail server once per host name, however many domains use it', () => {
    // 18 distinct (MX host, address) pairs exist in the matrix; 33 domains refer to them.
    expect(context.stats.scans).toBe(18);
    expect(context.stats.scansShared).toBeGreaterThan(0);
  });

  it('never opened two connections at once to one mail server address', () => {
    expect(maxOpenPerAddress.size).toBeGreaterThan(5);
    for (const [address, most] of maxOpenPerAddress) expect(most, address).toBe(1);
  });
});

describe('agreement with independent tools', () => {
  const daneCases = [
    'mx1.good.test',
    'mx2.good.test',
    'mx.daneta.test',
    'mx.danetabad.test',
    'mx.mismatch.test',
    'mx.norollover.test',
    'mx.selfsigned.test',
    'mx.rsa2048.test',
    'mx.weak.test',
  ];

  /** The MX host's own report line for dane_valid. */
  function zegelDaneValid(mxHost: string): boolean {
    for (const report of reports.values()) {
      const server = report.mx.find((m) => m.host === mxHost);
      const check = server?.checks.find((c) => c.id === 'dane_valid');
      if (check) return check.status === 'pass';
    }
    throw new Error(`no report covers ${mxHost}`);
  }

  function addressOf(mxHost: string): string {
    return sh(`dig +short @${testbed.resolver.host} ${mxHost} A`).trim();
  }

  it.each(daneCases)('openssl s_client -dane_tlsa_rrdata agrees on %s', async (mxHost) => {
    const rrdata = sh(`dig +short @${testbed.resolver.host} _25._tcp.${mxHost} TLSA`)
      .trim()
      .split('\n')
      .map((line) => line.replace(/\s+/g, ' ').trim())
      .map((line) => {
        const [u, s, m, ...hex] = line.split(' ');
        return `${u} ${s} ${m} ${hex.join('')}`;
      });
    expect(rrdata.length).toBeGreaterThan(0);
    const args = rrdata.map((r) => `-dane_tlsa_rrdata "${r}"`).join(' ');
    const output = await shAsync(
      `echo QUIT | timeout 10 openssl s_client -brief -crlf -starttls smtp -connect ${addressOf(mxHost)}:25 -servername ${mxHost} ` +
        `-dane_tlsa_domain ${mxHost} ${args} -verify_return_error 2>&1 || true`,
    );
    const opensslVerified = /Verification: OK/.test(output) && /DANE TLSA/.test(output);
    expect(zegelDaneValid(mxHost)).toBe(opensslVerified);
  });

  it.each(daneCases)('ldns-dane agrees on %s', async (mxHost) => {
    const chainFile = join(testbed.dir, `${mxHost}.chain.pem`);
    const chain = await shAsync(
      `echo QUIT | timeout 10 openssl s_client -showcerts -crlf -starttls smtp -connect ${addressOf(mxHost)}:25 -servername ${mxHost} 2>/dev/null || true`,
    );
    writeFileSync(
      chainFile,
      (chain.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).join('\n'),
    );
    const status = (
      await shAsync(
        `ldns-dane -c ${chainFile} -n -T -r ${testbed.resolver.host} verify ${mxHost} 25 >/dev/null 2>&1; echo $?`,
      )
    ).trim();
    expect(zegelDaneValid(mxHost)).toBe(status === '0');
  });

  const dnssecCases = [
    ['good.test', 'SOA'],
    ['unsigned.test', 'SOA'],
    ['bogus.test', 'SOA'],
    ['expired.test', 'SOA'],
    ['_25._tcp.mx1.good.test', 'TLSA'],
    ['_25._tcp.mx.bogustlsa.test', 'TLSA'],
    ['_25._tcp.mx.unsigned.test', 'TLSA'],
  ] as const;

  it.each(dnssecCases)(
    'delv (its own validation from the trust anchor) agrees on %s %s',
    async (name, type) => {
      const ds = readFileSync(join(testbed.dir, 'trust-anchor.ds'), 'utf8').trim().split(/\s+/);
      const [keyTag, algorithm, digestType, ...digest] = ds.slice(ds.indexOf('DS') + 1);
      const anchors = join(testbed.dir, 'delv-anchors.conf');
      writeFileSync(
        anchors,
        `trust-anchors { "test." static-ds ${keyTag} ${algorithm} ${digestType} "${digest.join('')}"; };\n`,
      );
      const output = sh(
        `delv @${testbed.resolver.host} -a ${anchors} +root=test. ${name} ${type} 2>&1 || true`,
      );
      const delvState = /fully validated/.test(output)
        ? 'secure'
        : /unsigned answer/.test(output)
          ? 'insecure'
          : /resolution failed|validation failed|broken trust chain|insecurity proof failed/.test(output)
            ? 'bogus'
            : `unknown: ${output}`;
      const zegel = await queryWithDnssecState(context.dns, name, type);
      expect(zegel.state).toBe(delvState);
    },
  );
});
