import { type CsvRecord, parseCsvRecords, toCsv } from '../../csv.ts';
import type { MeldpuntChannelRow, MeldpuntRow } from './directory-store.ts';

/** The directory's CSV columns, Dutch header first; English names are read too. */
const COLUMNS = [
  ['naam', 'name'],
  ['organisatie', 'organisation'],
  ['gemeentecodes', 'municipalities'],
  ['openingstijden', 'opening_hours'],
  ['aparte_politieroute', 'separate_police_route'],
  ['kanalen', 'channels'],
] as const;

export type DirectoryCsvResult =
  | { ok: true; entries: (MeldpuntRow & { line: number })[] }
  | { ok: false; lines: { line: number; error: string }[] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;
const YES = new Set(['ja', 'yes', 'true', '1']);
const NO = new Set(['nee', 'no', 'false', '0', '']);
const listOf = (cell: string) => cell.split(/[\s|]+/).filter(Boolean);

function parseChannel(token: string): MeldpuntChannelRow | string {
  const [kind, ...rest] = token.split(':');
  const value = rest.join(':');
  if (kind === 'team' && UUID.test(value)) return { kind: 'team', teamId: value.toLowerCase() };
  if ((kind === 'email' || kind === 'e-mail') && EMAIL.test(value) && value.length <= 254)
    return { kind: 'email', address: value.toLowerCase() };
  return `"${token}" is not a channel (write team:<team id> or email:<address>)`;
}

function columnIndexes(header: CsvRecord): number[] | string {
  const names = header.cells.map((c) => c.trim().toLowerCase());
  const indexes = COLUMNS.map((aliases) =>
    names.findIndex((n) => (aliases as readonly string[]).includes(n)),
  );
  const missing = COLUMNS.filter((_, i) => indexes[i] === -1).map((aliases) => aliases[0]);
  return missing.length ? `the header lacks the column(s) ${missing.join(', ')}` : indexes;
}

function parseEntry(record: CsvRecord, indexes: number[]): MeldpuntRow | string[] {
  const cell = (i: number) => (record.cells[indexes[i] as number] ?? '').trim();
  const errors: string[] = [];
  const [name, organisation, codes, hours, separate, channelCell] = [0, 1, 2, 3, 4, 5].map(cell) as string[];
  if (!name || name.length > 200) errors.push('the name is empty or longer than 200 characters');
  if (!organisation || organisation.length > 200) errors.push('the organisation is empty or too long');
  const gemeentecodes = listOf(codes ?? '');
  if (gemeentecodes.length === 0 || gemeentecodes.length > 400) errors.push('give 1 to 400 gemeentecodes');
  for (const code of gemeentecodes)
    if (!/^[0-9]{4}$/.test(code)) errors.push(`"${code}" is not a CBS gemeentecode (four digits)`);
  if ((hours ?? '').length > 300) errors.push('the opening hours are longer than 300 characters');
  const separateLower = (separate ?? '').toLowerCase();
  if (!YES.has(separateLower) && !NO.has(separateLower)) errors.push('aparte_politieroute must be ja or nee');
  const channels = listOf(channelCell ?? '').map(parseChannel);
  for (const c of channels) if (typeof c === 'string') errors.push(c);
  if (channels.length === 0 || channels.length > 5) errors.push('give one to five channels');
  if (errors.length) return errors;
  return {
    id: crypto.randomUUID(),
    name: name as string,
    organisation_name: organisation as string,
    opening_hours: hours as string,
    separate_police_route: YES.has(separateLower),
    channels: channels as MeldpuntChannelRow[],
    gemeentecodes: [...new Set(gemeentecodes)],
  };
}

/**
 * Reads a directory CSV: a header naming the six columns, then one meldpunt per line, its
 * gemeentecodes and channels separated by spaces or `|`. Every line's problems are listed at once;
 * a municipality covered twice is an error, so routing never has to choose.
 */
export function parseDirectoryCsv(text: string): DirectoryCsvResult {
  const parsed = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  if (!parsed.ok) return { ok: false, lines: [{ line: 0, error: parsed.reason }] };
  const records = parsed.records.filter((r) => r.cells.some((c) => c.trim() !== ''));
  const header = records.shift();
  const indexes = header ? columnIndexes(header) : 'the file is empty';
  if (typeof indexes === 'string') return { ok: false, lines: [{ line: header?.line ?? 1, error: indexes }] };
  const lines: { line: number; error: string }[] = [];
  const entries: (MeldpuntRow & { line: number })[] = [];
  const coveredBy = new Map<string, number>();
  for (const record of records) {
    const entry = parseEntry(record, indexes);
    if (Array.isArray(entry)) {
      lines.push(...entry.map((error) => ({ line: record.line, error })));
      continue;
    }
    for (const code of entry.gemeentecodes) {
      const earlier = coveredBy.get(code);
      if (earlier !== undefined)
        lines.push({ line: record.line, error: `gemeente ${code} is already covered on line ${earlier}` });
      coveredBy.set(code, record.line);
    }
    entries.push({ ...entry, line: record.line });
  }
  return lines.length ? { ok: false, lines: lines.slice(0, 100) } : { ok: true, entries };
}

const channelText = (c: MeldpuntChannelRow) =>
  c.kind === 'team' ? `team:${c.teamId}` : `email:${c.address}`;

/** The directory as CSV, in the form `parseDirectoryCsv` reads back. */
export function directoryToCsv(entries: MeldpuntRow[]): string {
  return toCsv(
    COLUMNS.map((aliases) => aliases[0]),
    entries.map((e) => [
      e.name,
      e.organisation_name,
      e.gemeentecodes.join(' '),
      e.opening_hours,
      e.separate_police_route ? 'ja' : 'nee',
      e.channels.map(channelText).join(' '),
    ]),
  );
}
