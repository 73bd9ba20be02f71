import { parseCsvRecords } from '../../csv.ts';
import { normalizeDomainName } from './domain-name.ts';

export { csvCell, toCsv } from '../../csv.ts';

/** One line of a pasted or uploaded list: a usable domain, or the reason it is not one. */
export type DomainListEntry =
  | { line: number; input: string; domain: string; error: null }
  | { line: number; input: string; domain: null; error: string };

export type DomainListResult =
  | { ok: true; entries: DomainListEntry[]; duplicates: number }
  | { ok: false; reason: string; lines?: { line: number; error: string }[] };

/** Header names taken as "the domain column" (Dutch and English). */
const DOMAIN_HEADERS = new Set(['domain', 'domein', 'domeinnaam', 'maildomein', 'mail domain', 'maildomain']);

/**
 * Reads a list of partner domains: one domain per line, or a CSV (comma, semicolon as Dutch
 * spreadsheets write it, or tab) with a `domain`/`domein` column. Quoted fields follow RFC 4180.
 * Blank lines and `#` comments are skipped; a domain listed twice is checked once (the first line
 * counts). Each name is normalised as the checks need it (IDN to A-label); a line that is not a
 * domain name becomes an entry with its error rather than failing the whole list.
 */
export function parseDomainList(text: string, maxEntries: number): DomainListResult {
  const source = text.replace(/^\uFEFF/, '');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing binary input is the point
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(source))
    return { ok: false, reason: 'The file is not text (it contains control characters); save it as CSV.' };
  const parsed = parseCsvRecords(source);
  if (!parsed.ok) return parsed;
  const records = parsed.records.filter(
    (r) => r.cells.some((c) => c.trim() !== '') && !r.cells[0]?.trim().startsWith('#'),
  );
  if (records.length === 0) return { ok: false, reason: 'The list is empty: give at least one domain name.' };

  let column = 0;
  const first = records[0];
  if (first) {
    const headerIndex = first.cells.findIndex((c) => DOMAIN_HEADERS.has(c.trim().toLowerCase()));
    if (headerIndex >= 0) {
      column = headerIndex;
      records.shift();
    } else if (first.cells.filter((c) => c.trim() !== '').length > 1) {
      return {
        ok: false,
        reason: `Line ${first.line} has several columns but none is called "domain" (or "domein"); add that header or give one domain per line.`,
      };
    }
  }

  const seen = new Set<string>();
  const entries: DomainListEntry[] = [];
  let duplicates = 0;
  for (const record of records) {
    const input = (record.cells[column] ?? '').trim();
    if (input === '') {
      entries.push({ line: record.line, input, domain: null, error: 'no domain name in the domain column' });
    } else {
      const normalized = normalizeDomainName(input);
      if (!normalized.ok) {
        entries.push({ line: record.line, input, domain: null, error: normalized.reason });
      } else if (seen.has(normalized.domain)) {
        duplicates++;
        continue;
      } else {
        seen.add(normalized.domain);
        entries.push({ line: record.line, input, domain: normalized.domain, error: null });
      }
    }
    if (entries.length > maxEntries)
      return {
        ok: false,
        reason: `The list has more than ${maxEntries} domains; split it into parts of at most ${maxEntries}.`,
      };
  }
  if (entries.length === 0) return { ok: false, reason: 'The list is empty: give at least one domain name.' };
  if (entries.every((e) => e.domain === null)) {
    const shown = entries.slice(0, 5).map((e) => `line ${e.line} "${e.input}": ${e.error}`);
    return {
      ok: false,
      reason: `No line holds a valid domain name (${shown.join('; ')}${entries.length > 5 ? '; …' : ''}).`,
      lines: entries.slice(0, 50).map((e) => ({ line: e.line, error: `"${e.input}": ${e.error}` })),
    };
  }
  return { ok: true, entries, duplicates };
}
