/**
 * Characters that look alike in a mail client's font, folded to one representative: Cyrillic
 * and Greek homoglyphs, digits that pass for letters, and letter pairs that pass for one letter.
 */
const CONFUSABLE_CHARS: Readonly<Record<string, string>> = {
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  х: 'x',
  у: 'y',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ɡ: 'g',
  ı: 'i',
  ο: 'o',
  α: 'a',
  ν: 'v',
  τ: 't',
  ρ: 'p',
  κ: 'k',
  ι: 'i',
  '0': 'o',
  '1': 'l',
  '|': 'l',
  '5': 's',
};
const CONFUSABLE_PAIRS: readonly [string, string][] = [
  ['rn', 'm'],
  ['vv', 'w'],
  ['cl', 'd'],
  ['nn', 'm'],
];

/** The "skeleton" of a domain: lower case, confusables folded, so `rnicrosoft.com` and `microsoft.com` meet. */
export function skeletonOf(domain: string): string {
  let folded = '';
  for (const char of domain.normalize('NFKC').toLowerCase()) folded += CONFUSABLE_CHARS[char] ?? char;
  for (const [pair, single] of CONFUSABLE_PAIRS) folded = folded.replaceAll(pair, single);
  return folded;
}

/**
 * Optimal-string-alignment distance (Levenshtein plus swapping two neighbours), so `gmial`
 * is one edit from `gmail`. Stops early once the distance exceeds `limit`; domains are at most
 * 253 characters, so the work is bounded.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, previousPrevious[j - 2]! + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

export interface LookalikeMatch {
  domain: string;
  /** The usual domain it resembles. */
  similarTo: string;
  reason: 'confusable_characters' | 'edit_distance';
}

/**
 * Whether `domain` resembles, without being, one of the usual domains (the organisation's own,
 * its partners', the big mail providers'). One edit is allowed for names up to eight
 * characters before the top-level domain, two for longer ones, so `gmial.com`,
 * `gemeente-utrect.nl` and `gmail.co` are caught; names under four characters (`gmx`, `kpn`)
 * are compared by skeleton only, as one edit turns them into other real providers.
 */
export function findLookalikeDomain(
  domain: string,
  usualDomains: Iterable<string>,
): LookalikeMatch | undefined {
  const candidate = domain.toLowerCase();
  const usual = [...usualDomains].map((d) => d.toLowerCase());
  if (usual.includes(candidate)) return undefined;
  const skeleton = skeletonOf(candidate);
  for (const known of usual) {
    if (skeletonOf(known) === skeleton)
      return { domain: candidate, similarTo: known, reason: 'confusable_characters' };
  }
  for (const known of usual) {
    const name = known.slice(0, known.lastIndexOf('.') === -1 ? known.length : known.lastIndexOf('.'));
    if (name.length < 4) continue;
    const limit = name.length <= 8 ? 1 : 2;
    if (editDistance(candidate, known, limit) <= limit)
      return { domain: candidate, similarTo: known, reason: 'edit_distance' };
  }
  return undefined;
}
