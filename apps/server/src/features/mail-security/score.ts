import type { CheckStatus, ScoredCheck } from './types.ts';

/**
 * internet.nl's model (reference §1.1): a category scores Σ points ÷ Σ maximum; for categories
 * measured per server the worst server counts; the total is the unweighted mean of the categories
 * with a maximum above 0, here dnssec, auth and tls (ipv6 and rpki are out of scope).
 */
export function computeScore(input: {
  domainDnssec: ScoredCheck;
  auth: ScoredCheck[];
  servers: ScoredCheck[][];
}): number {
  const ratio = (checks: ScoredCheck[]) => {
    const max = checks.reduce((sum, c) => sum + c.maxPoints, 0);
    return max === 0 ? undefined : checks.reduce((sum, c) => sum + c.points, 0) / max;
  };
  const dnssecParts = [
    ratio([input.domainDnssec]),
    ...input.servers.map((s) => ratio(s.filter((c) => c.id === 'dnssec_mx'))),
  ];
  const tlsParts = input.servers.map((s) => ratio(s.filter((c) => c.id !== 'dnssec_mx')));
  const categories = [minimum(dnssecParts), ratio(input.auth), minimum(tlsParts)].filter(
    (c): c is number => c !== undefined,
  );
  if (categories.length === 0) return 0;
  return Math.round((100 * categories.reduce((a, b) => a + b, 0)) / categories.length);
}

function minimum(values: (number | undefined)[]): number | undefined {
  const defined = values.filter((v): v is number => v !== undefined);
  return defined.length === 0 ? undefined : Math.min(...defined);
}

const severity: Record<CheckStatus, number> = {
  fail: 5,
  error: 4,
  warning: 3,
  info: 2,
  pass: 1,
  not_tested: 0,
};

/** Folds one check id over all MX hosts into one line: the worst status wins, details are joined. */
export function foldChecks(
  id: ScoredCheck['id'],
  perServer: ScoredCheck[][],
  whenEmpty: string,
): ScoredCheck {
  const checks = perServer.flatMap((s) => s.filter((c) => c.id === id));
  if (checks.length === 0) return { id, status: 'not_tested', detail: whenEmpty, points: 0, maxPoints: 0 };
  const worst = checks.reduce((a, b) => (severity[b.status] > severity[a.status] ? b : a));
  const shown = checks.filter((c) => c.status === worst.status);
  return {
    id,
    status: worst.status,
    detail: shown.map((c) => c.detail).join(' | '),
    points: Math.min(...checks.map((c) => c.points)),
    maxPoints: worst.maxPoints,
  };
}

/** The ids whose status counts for the score and therefore for the CLI's exit code. */
export const scoredCheckIds = new Set<ScoredCheck['id']>([
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
  'tls_key_exchange',
  'certificate',
  'dane_exists',
  'dane_valid',
]);
