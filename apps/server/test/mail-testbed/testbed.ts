import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDnsClient } from '../../src/adapters/dns/index.ts';
import { createTestPki, type TestPki } from './pki.ts';
import {
  buildMailHostRecords,
  buildScenarios,
  goodLeafNames,
  hosts,
  type Scenario,
  type ScenarioEnv,
} from './scenarios.ts';
import { type ReceivedMessage, startPolicyServer, startSmtpServer, type TestSmtpServer } from './servers.ts';
import { assertTestbedPrerequisites, run, sh } from './tools.ts';

export interface MailTestbed {
  net: number;
  ip: (host: number) => string;
  resolver: { host: string; port: number };
  dir: string;
  pki: TestPki;
  /** PEM of the test CA: pass as `extraCa` so MTA-STS and PKIX checks trust it. */
  extraCa: string[];
  scenarios: Scenario[];
  smtp: Record<keyof typeof hosts, TestSmtpServer | undefined>;
  received(host: keyof typeof hosts): ReceivedMessage[];
  stop(): Promise<void>;
}

/** The zones served: `test.` is the trust anchor; three children show insecure, bogus and expired. */
const childZones = ['unsigned.test', 'bogus.test', 'expired.test'] as const;

/**
 * Starts the offline mail world on 127.77.<net>.0/24: nsd with signed zones, a validating unbound,
 * mail servers on port 25 with the TLS set-ups of the scenario matrix, and MTA-STS policy hosts.
 * Each suite picks its own `net`, so suites can run side by side. Loopback only.
 */
export async function startMailTestbed(
  net: number,
  options: { extraRecords?: string[] } = {},
): Promise<MailTestbed> {
  assertTestbedPrerequisites();
  const ip = (host: number) => `127.77.${net}.${host}`;
  const dir = mkdtempSync(join(tmpdir(), `zegel-mail-testbed-${net}-`));
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  try {
    const pki = createTestPki(dir);
    const keys = {
      good: pki.issue('good', goodLeafNames, 'ec'),
      tls10: pki.issue('tls10', ['mx.tls10.test'], 'ec'),
      weak: pki.issue('weak', ['mx.weak.test'], 'rsa3072'),
      rsa2048: pki.issue('rsa2048', ['mx.rsa2048.test'], 'rsa2048'),
      selfSigned: pki.selfSigned('selfsigned', ['mx.selfsigned.test', 'mx2.selfsigned.test']),
      policyBad: pki.selfSigned('policybad', ['mta-sts.stsbadcert.test']),
    };
    const env: ScenarioEnv = {
      ip,
      tlsa: {
        goodLeaf: pki.spkiSha256(keys.good.certPath),
        ca: pki.spkiSha256(pki.caPath),
        tls10Leaf: pki.spkiSha256(keys.tls10.certPath),
        weakLeaf: pki.spkiSha256(keys.weak.certPath),
        rsa2048Leaf: pki.spkiSha256(keys.rsa2048.certPath),
        selfSigned: pki.spkiSha256(keys.selfSigned.certPath),
      },
    };
    const scenarios = buildScenarios(env);
    const policyNames = scenarios
      .filter((s) => s.policy && !s.isPolicyCertBad)
      .map((s) => `mta-sts.${s.domain}`);
    const policyKeys = pki.issue('policy', policyNames, 'ec');

    signZones(dir, ip, [
      ...buildMailHostRecords(env),
      ...scenarios.flatMap((s) => s.records),
      ...(options.extraRecords ?? []),
    ]);
    children.push(startNsd(dir, ip(hosts.nsd)));
    children.push(startUnbound(dir, ip(hosts.resolver), ip(hosts.nsd)));
    const resolver = { host: ip(hosts.resolver), port: 53 };
    await waitForResolver(resolver, children);

    const modern = { minVersion: 'TLSv1.2' as const, ciphers: 'ECDHE+AESGCM:ECDHE+CHACHA20' };
    const smtp: MailTestbed['smtp'] = {
      resolver: undefined,
      nsd: undefined,
      policy: undefined,
      policyBad: undefined,
      mxGood: await startSmtpServer(ip(hosts.mxGood), {
        tls: { key: keys.good.key, cert: keys.good.chain, ...modern },
      }),
      mxGood2: await startSmtpServer(ip(hosts.mxGood2), {
        tls: { key: keys.good.key, cert: keys.good.chain, ...modern },
      }),
      mxTls10: await startSmtpServer(ip(hosts.mxTls10), {
        tls: {
          key: keys.tls10.key,
          cert: keys.tls10.chain,
          minVersion: 'TLSv1',
          maxVersion: 'TLSv1',
          ciphers: 'ALL:@SECLEVEL=0',
        },
      }),
      mxWeak: await startSmtpServer(ip(hosts.mxWeak), {
        tls: {
          key: keys.weak.key,
          cert: keys.weak.chain,
          minVersion: 'TLSv1.2',
          maxVersion: 'TLSv1.2',
          ciphers: 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA:AES256-SHA256',
        },
      }),
      mxRsa2048: await startSmtpServer(ip(hosts.mxRsa2048), {
        tls: { key: keys.rsa2048.key, cert: keys.rsa2048.chain, ...modern },
      }),
      mxSelfSigned: await startSmtpServer(ip(hosts.mxSelfSigned), {
        tls: { key: keys.selfSigned.key, cert: keys.selfSigned.chain, ...modern },
      }),
      mxPlain: await startSmtpServer(ip(hosts.mxPlain), {}),
      mxSilent: await startSmtpServer(ip(hosts.mxSilent), { isSilent: true }),
    };
    for (const server of Object.values(smtp)) if (server) closers.push(() => server.close());

    const goodPolicies = new Map(
      scenarios
        .filter((s) => s.policy && !s.isPolicyCertBad)
        .map((s) => [`mta-sts.${s.domain}`, s.policy as string]),
    );
    const badPolicies = new Map(
      scenarios
        .filter((s) => s.policy && s.isPolicyCertBad)
        .map((s) => [`mta-sts.${s.domain}`, s.policy as string]),
    );
    const policyServer = await startPolicyServer(ip(hosts.policy), policyKeys, goodPolicies);
    closers.push(() => policyServer.close());
    const policyBadServer = await startPolicyServer(ip(hosts.policyBad), keys.policyBad, badPolicies);
    closers.push(() => policyBadServer.close());

    return {
      net,
      ip,
      resolver,
      dir,
      pki,
      extraCa: [pki.caPem],
      scenarios,
      smtp,
      received: (host) => smtp[host]?.received ?? [],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

function zoneFor(name: string): string {
  const bare = name.replace(/\.$/, '');
  return childZones.find((z) => bare === z || bare.endsWith(`.${z}`)) ?? 'test';
}

/** Writes and signs the zones with ldns, then breaks `bogus` (wrong DS) and `expired` (old signatures) on purpose. */
function signZones(dir: string, ip: (host: number) => string, records: string[]): void {
  const zonesDir = join(dir, 'zones');
  mkdirSync(zonesDir);
  const byZone = new Map<string, string[]>();
  for (const record of records) {
    const zone = zoneFor(record.split(' ')[0] ?? '');
    byZone.set(zone, [...(byZone.get(zone) ?? []), record]);
  }
  const header = (zone: string) => [
    `$TTL 30`,
    `${zone}. SOA ns.test. hostmaster.test. 1 3600 600 86400 30`,
    `${zone}. NS ns.test.`,
  ];
  const keygen = (zone: string, isKsk: boolean) =>
    run('ldns-keygen', ['-a', 'ECDSAP256SHA256', ...(isKsk ? ['-k'] : []), `${zone}.`], {
      cwd: zonesDir,
    }).trim();
  const dsOf = (base: string) =>
    readFileSync(join(zonesDir, `${base}.ds`), 'utf8')
      .trim()
      .replace(/\s+/g, ' ');

  const parentExtra: string[] = [`ns.test. A ${ip(hosts.nsd)}`];
  for (const zone of childZones) {
    writeFileSync(
      join(zonesDir, `${zone}.zone`),
      `${[...header(zone), ...(byZone.get(zone) ?? [])].join('\n')}\n`,
    );
    parentExtra.push(`${zone}. NS ns.test.`);
    if (zone === 'unsigned.test') {
      run('cp', [`${zone}.zone`, `${zone}.zone.signed`], { cwd: zonesDir });
      continue;
    }
    const ksk = keygen(zone, true);
    const zsk = keygen(zone, false);
    const expiry = zone === 'expired.test' ? ['-i', '20200101000000', '-e', '20200201000000'] : [];
    run('ldns-signzone', ['-n', ...expiry, '-o', `${zone}.`, `${zone}.zone`, ksk, zsk], { cwd: zonesDir });
    // bogus.test: the parent points at a key that never signed the zone, so validation fails (EDE 9/6).
    parentExtra.push(zone === 'bogus.test' ? dsOf(keygen(zone, true)) : dsOf(ksk));
  }
  writeFileSync(
    join(zonesDir, 'test.zone'),
    `${[...header('test'), ...parentExtra, ...(byZone.get('test') ?? [])].join('\n')}\n`,
  );
  const ksk = keygen('test', true);
  const zsk = keygen('test', false);
  run('ldns-signzone', ['-n', '-o', 'test.', 'test.zone', ksk, zsk], { cwd: zonesDir });
  // bogustlsa: drop the TLSA signature, as internet.nl's connection-test zones do for their "bogus" name.
  const signed = readFileSync(join(zonesDir, 'test.zone.signed'), 'utf8')
    .split('\n')
    .filter((line) => !/^_25\._tcp\.mx\.bogustlsa\.test\.\s+\d+\s+IN\s+RRSIG\s+TLSA/.test(line))
    .join('\n');
  writeFileSync(join(zonesDir, 'test.zone.signed'), signed);
  writeFileSync(join(dir, 'trust-anchor.ds'), `${dsOf(ksk)}\n`);
}

function startNsd(dir: string, address: string): ChildProcess {
  const zones = ['test', ...childZones]
    .map((z) => `zone:\n  name: "${z}."\n  zonefile: "${dir}/zones/${z}.zone.signed"\n`)
    .join('');
  writeFileSync(
    join(dir, 'nsd.conf'),
    `server:\n  ip-address: ${address}\n  port: 53\n  do-ip6: no\n  database: ""\n  username: ""\n  chroot: ""\n` +
      `  zonesdir: "${dir}"\n  pidfile: "${dir}/nsd.pid"\n  logfile: "${dir}/nsd.log"\n  xfrdfile: "${dir}/xfrd.state"\n` +
      `  xfrdir: "${dir}"\n  zonelistfile: "${dir}/zone.list"\n  server-count: 1\n  verbosity: 1\n` +
      `remote-control:\n  control-enable: no\n${zones}`,
  );
  return spawn('/usr/sbin/nsd', ['-d', '-c', join(dir, 'nsd.conf')], { stdio: 'ignore' });
}

function startUnbound(dir: string, address: string, nsdAddress: string): ChildProcess {
  writeFileSync(join(dir, 'root.hints'), `. 3600 IN NS ns.test.\nns.test. 3600 IN A ${nsdAddress}\n`);
  writeFileSync(
    join(dir, 'unbound.conf'),
    `server:\n  interface: ${address}\n  port: 53\n  do-ip6: no\n  do-daemonize: no\n  username: ""\n  chroot: ""\n` +
      `  directory: "${dir}"\n  pidfile: "${dir}/unbound.pid"\n  logfile: "${dir}/unbound.log"\n  use-syslog: no\n` +
      `  verbosity: 1\n  module-config: "validator iterator"\n  do-not-query-localhost: no\n` +
      `  trust-anchor-file: "${dir}/trust-anchor.ds"\n  ede: yes\n  val-log-level: 2\n  val-sig-skew-min: 0\n  val-sig-skew-max: 0\n` +
      `  cache-max-ttl: 30\n  cache-max-negative-ttl: 5\n  access-control: 127.0.0.0/8 allow\n  root-hints: "${dir}/root.hints"\n` +
      `  local-zone: "." refuse\n  local-zone: "test." transparent\n  qname-minimisation: no\n  aggressive-nsec: no\n` +
      `  num-threads: 1\n  harden-referral-path: no\n  target-fetch-policy: "0 0 0 0 0"\n` +
      `stub-zone:\n  name: "test."\n  stub-addr: ${nsdAddress}@53\n` +
      `remote-control:\n  control-enable: no\n`,
  );
  return spawn('/usr/sbin/unbound', ['-d', '-c', join(dir, 'unbound.conf')], { stdio: 'ignore' });
}

async function waitForResolver(
  resolver: { host: string; port: number },
  children: ChildProcess[],
): Promise<void> {
  const dns = createDnsClient({ server: resolver, timeoutMs: 300, attempts: 1, maxCacheTtlSeconds: 0 });
  for (let i = 0; i < 60; i++) {
    for (const child of children) {
      if (child.exitCode !== null)
        throw new Error(`test bed daemon ${String(child.spawnfile)} exited with ${child.exitCode}`);
    }
    try {
      const answer = await dns.query('test.', 'SOA');
      if (answer.rcode === 'NOERROR' && answer.ad) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('unbound/nsd did not give a validated answer for test. within 12 s');
}

export { sh };
