import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { extractAttachmentText, scanText } from '@zegel/protocol/dlp';
import { type Command, Exit, UsageError } from './command.ts';
import { parseCommandArgs } from './main.ts';

async function readAll(stream: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return new Uint8Array(Buffer.concat(chunks));
}

export const scanCommand: Command = {
  name: 'scan',
  summary: 'Scan a file or standard input for sensitive data (BSN, IBAN, health data, …)',
  help: `Usage: zegel scan [FILE|-] [--min-confidence N]

Scans FILE (or standard input, for "-" or no FILE) with the same detectors the composer
uses, and prints one JSON object per finding per line:
  {"type":"bsn","start":31,"end":40,"confidence":0.97,"rule":"bsn.elfproef+label"}
type is one of bsn, iban, phone, postcode, email, date_of_birth, id_document, care_id,
health, special_category. start/end are UTF-16 offsets into the text; for PDF, DOCX and
XLSX files that is the extracted text. The values themselves are never printed.

Options:
  --min-confidence N   report findings with confidence >= N (0-1, default 0.5)

Exit status: 0 nothing found, 1 something found, 2 error (missing or unreadable file).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs({
      args,
      allowPositionals: true,
      options: { 'min-confidence': { type: 'string' } },
    });
    if (positionals.length > 1) throw new UsageError('give at most one FILE');
    const minConfidence = values['min-confidence'] === undefined ? 0.5 : Number(values['min-confidence']);
    if (!(minConfidence >= 0 && minConfidence <= 1))
      throw new UsageError('--min-confidence must be between 0 and 1');
    const file = positionals[0] ?? '-';
    let bytes: Uint8Array;
    try {
      bytes = file === '-' ? await readAll(io.in) : new Uint8Array(await readFile(file));
    } catch (error) {
      const code = (error as { code?: string }).code;
      io.err.write(`zegel scan: cannot read ${file}${code ? ` (${code})` : ''}\n`);
      return Exit.error;
    }
    const extracted = await extractAttachmentText(bytes, file === '-' ? '' : file);
    if (extracted.status === 'unreadable') {
      io.err.write(`zegel scan: ${file} could not be scanned: ${extracted.reason} (${extracted.detail})\n`);
      return Exit.error;
    }
    const findings = scanText(extracted.text, { minConfidence });
    for (const { type, start, end, confidence, rule } of findings) {
      io.out.write(`${JSON.stringify({ type, start, end, confidence, rule })}\n`);
    }
    return findings.length > 0 ? Exit.found : Exit.ok;
  },
};
