import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseResolverAddress } from '../adapters/dns/index.ts';
import {
  checkMailDomain,
  createMailCheckContext,
  InvalidDomainError,
  type MailDomainReport,
  normalizeDomainName,
  scoredCheckIds,
} from '../features/mail-security/index.ts';
import { type CliIo, type Command, Exit, UsageError } from './command.ts';

const help = `Usage: zegel mailcheck DOMAIN… [--json] [--resolver HOST:PORT] [--selector S]

Checks the mail security of each domain the way internet.nl does (DNSSEC, SPF, DKIM, DMARC,
STARTTLS, TLS versions and suites, certificate, DANE) plus MTA-STS and TLS-RPT, and prints the
score, the delivery decision (dane | mta-sts | none) and advice.

Options:
  --json               print one JSON document: an array of reports
  --resolver HOST:PORT validating DNS resolver to use (default 127.0.0.1:53); it must validate
                       DNSSEC (unbound, or a resolver that sets the AD flag)
  --selector S         also check DKIM selector S (repeatable)
  --ca FILE            extra trusted CA certificate (PEM) for MTA-STS and PKIX checks

IDN domains are checked in their A-label (xn--) form.
Exit status: 0 when every scored check passes (warnings count as passing), 1 when any fails,
2 on a usage error or when a check could not be completed.
`;

/** `zegel mailcheck`: the mail-security test from the command line. */
export const mailcheckCommand: Command = {
  name: 'mailcheck',
  summary: 'Check mail domain security (DNSSEC, SPF, DKIM, DMARC, STARTTLS, DANE) and the delivery decision',
  help,
  async run(args: string[], io: CliIo): Promise<number> {
    // node:util parseArgs directly (strict): main.ts maps its errors to exit 2, and importing main here would be circular.
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        resolver: { type: 'string' },
        selector: { type: 'string', multiple: true },
        ca: { type: 'string', multiple: true },
      },
    });
    if (positionals.length === 0) throw new UsageError('give at least one domain');
    const resolver = parseResolverAddress(values.resolver ?? '127.0.0.1:53');
    if (!resolver)
      throw new UsageError(`--resolver must be HOST:PORT with an IP address, not "${values.resolver}"`);
    const invalid = positionals.map((d) => ({ d, r: normalizeDomainName(d) })).filter((x) => !x.r.ok);
    if (invalid.length > 0) {
      throw new UsageError(invalid.map((x) => (x.r.ok ? '' : `${x.d}: ${x.r.reason}`)).join('; '));
    }
    const extraCa = await Promise.all((values.ca ?? []).map((file) => readFile(file, 'utf8')));
    const context = createMailCheckContext({ resolver, extraCa });
    const reports: MailDomainReport[] = [];
    try {
      for (const domain of positionals)
        reports.push(await checkMailDomain(domain, { context, selectors: values.selector ?? [] }));
    } catch (error) {
      if (error instanceof InvalidDomainError) throw new UsageError(error.message);
      throw error;
    }
    if (values.json) io.out.write(`${JSON.stringify(reports.map(toJson), null, 2)}\n`);
    else for (const report of reports) io.out.write(formatReport(report));
    return exitCodeFor(reports);
  },
};

function toJson(report: MailDomainReport) {
  return {
    domain: report.domain,
    ...(report.input !== report.domain ? { input: report.input } : {}),
    score: report.score,
    delivery: report.delivery,
    deliveryReason: report.deliveryReason,
    complete: report.complete,
    checkedAt: report.checkedAt,
    checks: report.checks,
    mx: report.mx,
    advice: report.advice,
  };
}

/** 1 when a scored check fails (the domain is known not to pass), else 2 when one could not run, else 0. */
export function exitCodeFor(reports: MailDomainReport[]): number {
  const scored = reports.flatMap((r) => r.checks.filter((c) => scoredCheckIds.has(c.id)));
  if (scored.some((c) => c.status === 'fail')) return Exit.found;
  if (scored.some((c) => c.status === 'error')) return Exit.error;
  return Exit.ok;
}

const marks = {
  pass: 'ok  ',
  fail: 'FAIL',
  warning: 'warn',
  info: 'info',
  not_tested: '--  ',
  error: 'ERR ',
} as const;

function formatReport(report: MailDomainReport): string {
  const lines = [
    `${report.domain}${report.input !== report.domain ? ` (${report.input})` : ''}: score ${report.score}/100, delivery ${report.delivery}`,
    `  ${report.deliveryReason}`,
  ];
  if (!report.complete) lines.push('  (partial: some checks hit a time limit or an unreachable server)');
  for (const check of report.checks)
    lines.push(`  [${marks[check.status]}] ${check.id.padEnd(16)} ${check.detail}`);
  if (report.advice.length > 0) {
    lines.push('  Advice:');
    for (const advice of report.advice) lines.push(`   - ${advice.id}: ${advice.en}`);
  }
  return `${lines.join('\n')}\n\n`;
}
