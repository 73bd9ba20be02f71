import { type Unzipped, unzipSync } from 'fflate';
import { type ExtractResult, unreadable } from './result.ts';
import { attributeOf, walkXml } from './xml-text.ts';

/** Most a single XML part may inflate to: well above any real document, well below a zip bomb. */
export const MAX_PART_BYTES = 64 * 1024 * 1024;
const MAX_TOTAL_BYTES = 256 * 1024 * 1024;

const DOCX_PARTS = /^word\/(?:document|footnotes|endnotes|comments|header\d{0,3}|footer\d{0,3})\.xml$/;
const XLSX_PARTS = /^xl\/(?:sharedStrings\.xml|worksheets\/sheet\d{1,4}\.xml)$/;

/**
 * Opens the zip container of a DOCX or XLSX and inflates only the parts that hold text, after
 * checking their declared sizes, so a zip bomb is refused before it is inflated.
 */
function unzipParts(bytes: Uint8Array, wanted: RegExp): Unzipped | 'too_large' | 'corrupt' {
  let total = 0;
  let tooLarge = false;
  try {
    const files = unzipSync(bytes, {
      filter: (file) => {
        if (!wanted.test(file.name)) return false;
        total += file.originalSize;
        if (file.originalSize > MAX_PART_BYTES || total > MAX_TOTAL_BYTES) tooLarge = true;
        return !tooLarge;
      },
    });
    return tooLarge ? 'too_large' : files;
  } catch {
    return tooLarge ? 'too_large' : 'corrupt';
  }
}

/** The names of the entries in a zip, read from its central directory without inflating anything. */
export function listZipEntries(bytes: Uint8Array): string[] | undefined {
  const names: string[] = [];
  try {
    unzipSync(bytes, {
      filter: (file) => {
        names.push(file.name);
        return false;
      },
    });
  } catch {
    return undefined;
  }
  return names;
}

const utf8 = new TextDecoder('utf-8');

function partNumber(name: string): number {
  return Number(/(\d{1,4})\.xml$/.exec(name)?.[1] ?? 0);
}

/** Text of a Word document: paragraphs on their own lines, tabs kept, headers and notes after the body. */
export function extractDocx(bytes: Uint8Array): ExtractResult {
  const parts = unzipParts(bytes, DOCX_PARTS);
  if (parts === 'too_large')
    return unreadable('docx', 'too_large', 'a part of the document is too large to inflate');
  if (parts === 'corrupt') return unreadable('docx', 'corrupt', 'the zip container is damaged');
  const document = parts['word/document.xml'];
  if (document === undefined) return unreadable('docx', 'corrupt', 'word/document.xml is missing');
  const order = Object.keys(parts).sort((a, b) =>
    a === 'word/document.xml' ? -1 : b === 'word/document.xml' ? 1 : a.localeCompare(b),
  );
  const chunks: string[] = [];
  for (const name of order) {
    let inText = false;
    let out = '';
    walkXml(
      utf8.decode(parts[name]),
      (tag) => {
        if (tag.name === 'w:t') inText = !tag.isClosing && !tag.isSelfClosing;
        else if (tag.name === 'w:tab' && !tag.isClosing) out += '\t';
        else if ((tag.name === 'w:br' || tag.name === 'w:cr') && !tag.isClosing) out += '\n';
        else if (tag.name === 'w:p' && (tag.isClosing || tag.isSelfClosing)) out += '\n';
      },
      (text) => {
        if (inText) out += text;
      },
    );
    chunks.push(out);
  }
  return { status: 'ok', format: 'docx', text: chunks.join('\n') };
}

/** "AB12" → 27 (zero-based column of a cell reference). */
function columnIndex(reference: string): number {
  let column = 0;
  for (const char of reference) {
    const code = char.charCodeAt(0);
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column - 1;
}

/**
 * Text of a spreadsheet: each sheet as tab-separated rows, sheets separated by an empty line,
 * so the first row of each sheet acts as the header the scanner reads column labels from.
 * Numbers are given as stored: a date cell is a serial number, not a date (see docs/dlp.md).
 */
export function extractXlsx(bytes: Uint8Array): ExtractResult {
  const parts = unzipParts(bytes, XLSX_PARTS);
  if (parts === 'too_large')
    return unreadable('xlsx', 'too_large', 'a part of the workbook is too large to inflate');
  if (parts === 'corrupt') return unreadable('xlsx', 'corrupt', 'the zip container is damaged');
  const sheets = Object.keys(parts)
    .filter((name) => name.startsWith('xl/worksheets/'))
    .sort((a, b) => partNumber(a) - partNumber(b));
  if (sheets.length === 0) return unreadable('xlsx', 'corrupt', 'the workbook has no worksheets');
  const shared = readSharedStrings(parts['xl/sharedStrings.xml']);
  const blocks: string[] = [];
  for (const sheet of sheets) {
    const rows: string[] = [];
    let cells: string[] = [];
    let cellType = '';
    let column = 0;
    let value = '';
    let inValue = false;
    walkXml(
      utf8.decode(parts[sheet]),
      (tag) => {
        if (tag.name === 'row' && tag.isClosing) {
          rows.push(cells.join('\t'));
          cells = [];
        } else if (tag.name === 'c' && !tag.isClosing) {
          cellType = attributeOf(tag.attributes, 't') ?? 'n';
          const reference = attributeOf(tag.attributes, 'r');
          column = reference === undefined ? cells.length : columnIndex(reference);
          value = '';
        } else if (tag.name === 'c' && (tag.isClosing || tag.isSelfClosing)) {
          while (cells.length < column) cells.push('');
          cells[column] = cellType === 's' ? (shared[Number(value)] ?? '') : value;
        } else if (tag.name === 'v' || tag.name === 't') inValue = !tag.isClosing && !tag.isSelfClosing;
      },
      (text) => {
        if (inValue) value += text;
      },
    );
    blocks.push(rows.join('\n'));
  }
  return { status: 'ok', format: 'xlsx', text: blocks.join('\n\n') };
}

function readSharedStrings(part: Uint8Array | undefined): string[] {
  if (part === undefined) return [];
  const strings: string[] = [];
  let current = '';
  let inText = false;
  walkXml(
    utf8.decode(part),
    (tag) => {
      if (tag.name === 'si' && tag.isClosing) {
        strings.push(current);
        current = '';
      } else if (tag.name === 't') inText = !tag.isClosing && !tag.isSelfClosing;
    },
    (text) => {
      if (inText) current += text;
    },
  );
  return strings;
}
