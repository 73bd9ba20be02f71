import { extractDocx, extractXlsx, listZipEntries } from './office.ts';
import { type AttachmentFormat, type ExtractResult, unreadable } from './result.ts';

export { AttachmentFormat, type ExtractResult, UnreadableReason } from './result.ts';

/** Attachments larger than this are not scanned (reported as too large), to keep a browser tab alive. */
export const MAX_ATTACHMENT_BYTES = 100 * 1024 * 1024;

/**
 * Text of an attachment for the scanner: PDF, DOCX, XLSX, CSV and plain text. The format is
 * taken from the content (magic bytes, zip entries), the file name only tells CSV from text; an
 * unknown binary, a damaged or encrypted file comes back as `{ status: 'unreadable', reason }`
 * so the composer can say "could not be checked" instead of "nothing found". Pure JavaScript
 * without `node:*`, so it runs in a browser worker and in the gateway alike.
 */
export async function extractAttachmentText(bytes: Uint8Array, fileName = ''): Promise<ExtractResult> {
  const format = detectFormat(bytes, fileName);
  if (bytes.length > MAX_ATTACHMENT_BYTES) {
    return unreadable(format, 'too_large', `larger than ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB`);
  }
  switch (format) {
    case 'pdf': {
      // PDF.js is large: loaded only when a PDF is actually attached, not with the composer.
      const { extractPdf } = await import('./pdf.ts');
      return extractPdf(bytes);
    }
    case 'docx':
      return extractDocx(bytes);
    case 'xlsx':
      return extractXlsx(bytes);
    case 'csv':
    case 'text':
      return decodeText(bytes, format);
    case 'unknown':
      return unreadable('unknown', 'unsupported_format', describeUnknown(bytes));
  }
}

const CFB_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Decides the format from the bytes; the name is only used to call a text file CSV. */
export function detectFormat(bytes: Uint8Array, fileName = ''): AttachmentFormat {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf';
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    const entries = listZipEntries(bytes) ?? [];
    if (entries.includes('word/document.xml')) return 'docx';
    if (entries.includes('xl/workbook.xml')) return 'xlsx';
    return 'unknown';
  }
  if (startsWith(bytes, CFB_MAGIC) || looksBinary(bytes)) return 'unknown';
  return /\.(csv|tsv)$/i.test(fileName) ? 'csv' : 'text';
}

/** NUL bytes in the first 8 KiB (outside UTF-16 text) mean a binary file. */
function looksBinary(bytes: Uint8Array): boolean {
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) return false;
  const head = bytes.subarray(0, 8192);
  return head.includes(0);
}

function describeUnknown(bytes: Uint8Array): string {
  if (startsWith(bytes, CFB_MAGIC)) {
    return 'an old Office file or an encrypted Office document (OLE container); save it as DOCX/XLSX/PDF';
  }
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return 'a zip archive that is not a DOCX or XLSX document';
  return 'a binary format that cannot be read as text';
}

/** UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is read as Windows-1252, as old Dutch exports are. */
function decodeText(bytes: Uint8Array, format: 'csv' | 'text'): ExtractResult {
  if (startsWith(bytes, [0xff, 0xfe]))
    return { status: 'ok', format, text: new TextDecoder('utf-16le').decode(bytes) };
  if (startsWith(bytes, [0xfe, 0xff]))
    return { status: 'ok', format, text: new TextDecoder('utf-16be').decode(bytes) };
  try {
    return { status: 'ok', format, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    return { status: 'ok', format, text: new TextDecoder('windows-1252').decode(bytes) };
  }
}
