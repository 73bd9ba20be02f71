/**
 * Mail-security check on the offline test bed (needs root and .ci/install-mail-testbed.sh):
 * one domain with two MX hosts cold and warm, and 100 domains sharing those MX hosts checked
 * concurrently, against the same DNS queries sent one after another in the same run.
 */
import {
  createDnsClient,
  type DnsClient,
  type DnsRecordType,
} from '../apps/server/src/adapters/dns/index.ts';
import { checkMailDomain, createMailCheckContext } from '../apps/server/src/features/mail-security/index.ts';
import { startMailTestbed } from '../apps/server/test/mail-testbed/testbed.ts';

const domainCount = 100;
const extraRecords = Array.from({ length: domainCount }, (_, i) => {
  const d = `bench${i}.test`;
  return [
    `${d}. MX 10 mx1.good.test.`,
    `${d}. MX 20 mx2.good.test.`,
    `${d}. TXT "v=spf1 mx -all"`,
    `_dmarc.${d}. TXT "v=DMARC1; p=reject"`,
    `sel1._domainkey.${d}. TXT "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="`,
  ];
}).flat();

/** Wraps a DNS client and records every question that reached the wire or the cache. */
function recordQueries(dns: DnsClient, log: [string, DnsRecordType, boolean][]): DnsClient {
  return {
    stats: dns.stats,
    query(name, type, options) {
      log.push([name, type, options?.cd ?? false]);
      return dns.query(name, type, options);
    },
  };
}

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const testbed = await startMailTestbed(9, { extraRecords });
try {
  const resolver = testbed.resolver;
  const settings = { resolver, extraCa: testbed.extraCa };

  const context = createMailCheckContext(settings);
  let start = process.hrtime.bigint();
  const cold = await checkMailDomain('good.test', { context });
  const coldMs = ms(start);
  start = process.hrtime.bigint();
  await checkMailDomain('good.test', { context });
  const warmMs = ms(start);
  console.log(
    `one domain, two MX hosts: cold ${coldMs.toFixed(1)} ms (score ${cold.score}, ${cold.delivery}), warm ${warmMs.toFixed(1)} ms, ratio ${(coldMs / warmMs).toFixed(1)}x`,
  );

  const log: [string, DnsRecordType, boolean][] = [];
  const raw = createDnsClient({ server: resolver });
  const shared = createMailCheckContext({ ...settings, dns: recordQueries(raw, log) });
  const domains = Array.from({ length: domainCount }, (_, i) => `bench${i}.test`);
  start = process.hrtime.bigint();
  const reports = await Promise.all(domains.map((d) => checkMailDomain(d, { context: shared })));
  const concurrentMs = ms(start);
  const passing = reports.filter((r) => r.delivery === 'dane').length;
  console.log(
    `${domainCount} domains sharing 2 MX hosts, concurrent: ${concurrentMs.toFixed(1)} ms (${(concurrentMs / domainCount).toFixed(2)} ms/domain), ` +
      `${shared.stats.scans} TLS scans, ${shared.stats.scansShared} shared; ${raw.stats.sent} DNS queries sent, ${raw.stats.cached} answered from cache; ${passing}/${domainCount} dane`,
  );

  // Baseline: every question the concurrent run asked, sent one after another without a cache.
  const sequential = createDnsClient({ server: resolver, maxCacheTtlSeconds: 0 });
  start = process.hrtime.bigint();
  for (const [name, type, cd] of log) await sequential.query(name, type, { cd });
  const sequentialMs = ms(start);
  console.log(
    `baseline: the same ${log.length} DNS questions one after another, no cache: ${sequentialMs.toFixed(1)} ms`,
  );
  console.log(
    `ratio concurrent check (DNS + TLS) / sequential DNS alone: ${(concurrentMs / sequentialMs).toFixed(2)}`,
  );
} finally {
  await testbed.stop();
}
