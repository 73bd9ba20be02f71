/**
 * CSV in and out for the admin pages' imports and exports (partner domains, the meldpunt
 * directory): RFC 4180 records, and cells a spreadsheet will not run as formulas.
 */

export interface CsvRecord {
  line: number;
  cells: string[];
}

/** RFC 4180 records with the delimiter guessed from the first line; records know their line. */
export function parseCsvRecords(
  text: string,
): { ok: true; records: CsvRecord[] } | { ok: false; reason: string } {
  const firstLine = text.split(/\r\n|\n|\r/, 1)[0] ?? '';
  const delimiter =
    firstLine.includes(';') && !firstLine.includes(',') ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    cells.push(cell);
    records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
  };
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch === '"' && cell.trim() === '') {
      // A quoted field: runs to the closing quote; "" is a quote inside it.
      const start = line;
      cell = '';
      i++;
      for (;;) {
        if (i >= text.length)
          return { ok: false, reason: `Line ${start}: a quote (") is opened but never closed.` };
        const q = text[i] as string;
        if (q === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line++;
        cell += q;
        i++;
      }
      while (i < text.length && (text[i] === ' ' || text[i] === '\t') && delimiter !== '\t') i++;
      const next = text[i];
      if (next !== undefined && next !== delimiter && next !== '\n' && next !== '\r')
        return { ok: false, reason: `Line ${line}: unexpected text after a closing quote.` };
      continue;
    }
    if (ch === delimiter) {
      cells.push(cell);
      cell = '';
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    cell += ch;
    i++;
  }
  if (cell !== '' || cells.length > 0) endRecord();
  return { ok: true, records };
}

/** One CSV cell; a leading = + - @ is neutralised so a spreadsheet does not run it as a formula. */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",;\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
