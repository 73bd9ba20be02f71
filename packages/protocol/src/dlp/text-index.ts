import {
  astralAt,
  CharClass,
  classOfAstral,
  classOfUnit,
  hasLetterOrNumber,
  isAsciiDigitCode,
  isAsciiLetterCode,
} from './chars.ts';
import { IntList } from './int-list.ts';
import type { LabelKind } from './labels.ts';
import { isAbbreviation, isCapitalOnly, labelKindOf, lexicon, NONE } from './lexicon.ts';
import type { ScanOptions } from './types.ts';

/**
 * The one pass over the text that every detector shares: words (with their lexicon id), runs
 * of digits, "@" signs and line starts. Detectors look for candidates in these lists instead
 * of re-reading the text, and answer "which label is nearest before this number?" or "which
 * column header is above this cell?" with a binary search, which keeps the whole scan linear
 * however many candidates there are.
 */
export interface TextIndex {
  text: string;
  /** Words as `WORD` matches them: letter runs of at most 48 code points. */
  wordStarts: Int32Array;
  wordEnds: Int32Array;
  /** Per word, its id in the scanner's lexicon (labels, vocabulary, person words), or −1. */
  wordIds: Int32Array;
  /** Maximal runs of ASCII digits: every number detector's candidates begin or end at one. */
  digitStarts: Int32Array;
  digitEnds: Int32Array;
  atSigns: Int32Array;
  lineStarts: Int32Array;
  /** For each line, the first line of its block (blocks are separated by empty lines). */
  blockFirstLine: Int32Array;
  counter: { steps: number };
  /** Table headers already read, by line. */
  headers: Map<number, TableHeader>;
  /** Where the last column count stopped, so cells of one row are not recounted from its start. */
  columnCursor: { line: number; position: number; column: number };
}

/** Words are letter runs; 48 letters at most so a megabyte of letters cannot make one huge token. */
export const WORD = /\p{L}[\p{L}\p{M}]{0,47}/gu;
const MAX_WORD_CODE_POINTS = 48;

/** The lists the tokenizer fills. */
class Tokens {
  readonly wordStarts = new IntList();
  readonly wordEnds = new IntList();
  readonly wordIds = new IntList();
  readonly digitStarts = new IntList();
  readonly digitEnds = new IntList();
  readonly atSigns = new IntList();
  readonly lineStarts = new IntList();
  readonly blockFirstLine = new IntList();
}

export function indexText(text: string, options: ScanOptions = {}): TextIndex {
  const counter = options.counter ?? { steps: 0 };
  const tokens = new Tokens();
  tokens.lineStarts.push(0);
  tokens.blockFirstLine.push(0);
  let lineHasText = false;
  let blockStart = 0;
  const length = text.length;
  for (let p = 0; p < length; ) {
    const code = text.charCodeAt(p);
    if (code >= 48 && code <= 57) {
      const start = p++;
      while (p < length && isAsciiDigitCode(text.charCodeAt(p))) p++;
      tokens.digitStarts.push(start);
      tokens.digitEnds.push(p);
      lineHasText = true;
    } else if (code < 128 ? isAsciiLetterCode(code) : startsWord(text, p, code)) {
      p = readWord(text, p, tokens);
      lineHasText = true;
    } else {
      if (code === 10) {
        if (!lineHasText) blockStart = tokens.lineStarts.length;
        tokens.lineStarts.push(p + 1);
        tokens.blockFirstLine.push(blockStart);
        lineHasText = false;
      } else if (code === 64) {
        tokens.atSigns.push(p);
        lineHasText = true;
      } else if (!lineHasText && (classOfUnit(code) & CharClass.space) === 0) lineHasText = true;
      p++;
    }
  }
  // One step per token and line, as the work per token is bounded.
  counter.steps += tokens.wordStarts.length + tokens.digitStarts.length + tokens.lineStarts.length;
  return {
    text,
    wordStarts: tokens.wordStarts.values(),
    wordEnds: tokens.wordEnds.values(),
    wordIds: tokens.wordIds.values(),
    digitStarts: tokens.digitStarts.values(),
    digitEnds: tokens.digitEnds.values(),
    atSigns: tokens.atSigns.values(),
    lineStarts: tokens.lineStarts.values(),
    blockFirstLine: tokens.blockFirstLine.values(),
    counter,
    headers: new Map(),
    columnCursor: { line: -1, position: 0, column: 0 },
  };
}

function startsWord(text: string, p: number, code: number): boolean {
  const codePoint = astralAt(text, p);
  const charClass = codePoint >= 0 ? classOfAstral(codePoint) : classOfUnit(code);
  return (charClass & CharClass.letter) !== 0;
}

/** Reads one word from `start` (a letter) the way `WORD` would, walking the lexicon trie on the way. */
function readWord(text: string, start: number, tokens: Tokens): number {
  let node = 0;
  let p = start;
  const end = Math.min(text.length, start + MAX_WORD_CODE_POINTS);
  // The inner loop of the whole scan: ASCII letters, one trie table lookup each.
  for (; p < end; p++) {
    const code = text.charCodeAt(p);
    if (code >= 128 || !isAsciiLetterCode(code)) break;
    if (node !== NONE) {
      const symbol = asciiSymbols[code]!;
      node = symbol === NONE ? NONE : transitions[node * alphabetSize + symbol]!;
    }
  }
  if (p < end && text.charCodeAt(p) >= 128) {
    const rest = readNonAsciiWordPart(text, start, p, node);
    p = rest.end;
    node = rest.node;
  }
  tokens.wordStarts.push(start);
  tokens.wordEnds.push(p);
  tokens.wordIds.push(lexicon.wordAt(node));
  return p;
}

const { transitions, alphabetSize, asciiSymbols } = lexicon;

/** The rest of a word once a non-ASCII unit appears: letters and marks by Unicode class, pairs as one. */
function readNonAsciiWordPart(
  text: string,
  start: number,
  from: number,
  fromNode: number,
): { end: number; node: number } {
  let node = fromNode;
  let p = from;
  let points = codePointsBetween(text, start, from);
  for (; points < MAX_WORD_CODE_POINTS && p < text.length; points++) {
    const code = text.charCodeAt(p);
    const codePoint = astralAt(text, p);
    const charClass =
      code < 128
        ? isAsciiLetterCode(code)
          ? CharClass.letter
          : 0
        : codePoint >= 0
          ? classOfAstral(codePoint)
          : classOfUnit(code);
    const allowed = points === 0 ? CharClass.letter : CharClass.letter | CharClass.mark;
    if ((charClass & allowed) === 0) break;
    node = codePoint >= 0 ? NONE : lexicon.step(node, code);
    p += codePoint >= 0 ? 2 : 1;
  }
  return { end: p, node };
}

function codePointsBetween(text: string, from: number, to: number): number {
  let points = 0;
  for (let p = from; p < to; p++, points++) if (astralAt(text, p, to) >= 0) p++;
  return points;
}

/** Index of the last element of `sorted` that is ≤ value, or −1. */
export function findLastAtOrBefore(sorted: Int32Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= value) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found;
}

function labelOfWord(index: TextIndex, i: number): LabelKind | undefined {
  const id = index.wordIds[i]!;
  if (id === NONE) return undefined;
  const kind = labelKindOf[id];
  if (kind === undefined) return undefined;
  if (isCapitalOnly[id]) {
    const original = index.text.slice(index.wordStarts[i], index.wordEnds[i]);
    if (original !== original.toUpperCase()) return undefined;
  }
  return kind;
}

export interface NearbyLabel {
  kind: LabelKind;
  /** Characters between the label and the candidate. */
  distance: number;
}

/**
 * The nearest label word before `position`, looking back at most `maxWords` words and
 * `maxChars` characters; if there is none, a label written right after the candidate
 * ("123456782 (BSN)"), and if there is none either, the header of the table column it sits in.
 */
export function findLabel(
  index: TextIndex,
  start: number,
  end: number,
  maxChars = 48,
  maxWords = 8,
): NearbyLabel | undefined {
  let i = findLastAtOrBefore(index.wordEnds, start);
  // A label on the line above counts only when the number starts its own line ("BSN:\n123456782"
  // as PDFs extract); in "Piet;999911120" the line above is a table header, handled below.
  const lineStart = index.lineStarts[findLastAtOrBefore(index.lineStarts, start)] ?? 0;
  const startsLine = !hasLetterOrNumber(index.text, Math.max(lineStart, start - maxChars), start);
  // Sentence ends are looked for once per character: [checkedFrom, start) had none.
  let checkedFrom = start;
  for (let seen = 0; i >= 0 && seen < maxWords; i--, seen++) {
    index.counter.steps++;
    const wordEnd = index.wordEnds[i]!;
    const distance = start - wordEnd;
    if (distance > maxChars) break;
    if (!startsLine && wordEnd < lineStart) break;
    if (endsSentenceBetween(index, wordEnd, checkedFrom)) break;
    checkedFrom = wordEnd;
    const kind = labelOfWord(index, i);
    if (kind !== undefined) return { kind, distance };
  }
  const next = findLastAtOrBefore(index.wordStarts, end + 3);
  if (next >= 0 && index.wordStarts[next]! >= end && index.wordStarts[next]! - end <= 3) {
    const kind = labelOfWord(index, next);
    if (kind !== undefined && kind !== 'other_number' && kind !== 'amount') return { kind, distance: 0 };
  }
  return findColumnLabel(index, start);
}

const MAX_CELL_WALK = 4096;

/** The header row of a table block: its delimiter, and per column where the cell starts and its label. */
interface TableHeader {
  delimiter: string;
  cellStarts: number[];
  labels: (LabelKind | undefined)[];
}

/**
 * For a cell of a CSV/TSV table (or the tab-separated text extracted from a spreadsheet): the
 * label in the header row of the same column. Reads at most 4 KiB of a header, once per table,
 * and counts delimiters at most 4 KiB into a row, resuming where the previous cell of the same
 * row stopped, so a megabyte-long line costs a constant per candidate, not a rescan.
 */
export function findColumnLabel(index: TextIndex, position: number): NearbyLabel | undefined {
  const line = findLastAtOrBefore(index.lineStarts, position);
  const headerLine = index.blockFirstLine[line];
  if (line <= 0 || headerLine === undefined || headerLine === line) return undefined;
  const lineStart = index.lineStarts[line]!;
  if (position - lineStart > MAX_CELL_WALK) return undefined;
  const header = tableHeader(index, headerLine);
  if (header.delimiter === '') return undefined;
  const column = columnAt(index, line, position, header.delimiter);
  const kind = header.labels[column];
  if (kind === undefined) return undefined;
  return { kind, distance: position - header.cellStarts[column]! };
}

function tableHeader(index: TextIndex, headerLine: number): TableHeader {
  const known = index.headers.get(headerLine);
  if (known !== undefined) return known;
  const { text } = index;
  const headerStart = index.lineStarts[headerLine]!;
  const headerEnd = Math.min(
    (index.lineStarts[headerLine + 1] ?? text.length + 1) - 1,
    headerStart + MAX_CELL_WALK,
  );
  const row = text.slice(headerStart, headerEnd);
  const delimiter = row.includes('\t') ? '\t' : row.includes(';') ? ';' : row.includes(',') ? ',' : '';
  const header: TableHeader = { delimiter, cellStarts: [], labels: [] };
  if (delimiter !== '') {
    let cellStart = headerStart;
    for (const cell of row.split(delimiter)) {
      header.cellStarts.push(cellStart);
      header.labels.push(firstLabelIn(index, cellStart, cellStart + cell.length));
      cellStart += cell.length + 1;
    }
  }
  index.headers.set(headerLine, header);
  return header;
}

/** The label of the first labelling word that starts in [from, to). */
function firstLabelIn(index: TextIndex, from: number, to: number): LabelKind | undefined {
  for (let i = findLastAtOrBefore(index.wordStarts, from - 1) + 1; i < index.wordStarts.length; i++) {
    if (index.wordStarts[i]! >= to) break;
    index.counter.steps++;
    const kind = labelOfWord(index, i);
    if (kind !== undefined) return kind;
  }
  return undefined;
}

/** The column (delimiters before `position` on its line); resumes the previous count on the same line. */
function columnAt(index: TextIndex, line: number, position: number, delimiter: string): number {
  const cursor = index.columnCursor;
  if (cursor.line !== line || cursor.position > position) {
    cursor.line = line;
    cursor.position = index.lineStarts[line]!;
    cursor.column = 0;
  }
  const { text } = index;
  for (let p = cursor.position; p < position; p++) {
    index.counter.steps++;
    if (text[p] === delimiter) cursor.column++;
  }
  cursor.position = position;
  return cursor.column;
}

/** Whether a sentence ends somewhere in [from, to): a label does not reach into the next sentence. */
function endsSentenceBetween(index: TextIndex, from: number, to: number): boolean {
  for (let p = from; p < to; p++) {
    index.counter.steps++;
    const char = index.text[p];
    if ((char === '.' || char === '!' || char === '?') && isSentenceEnd(index, p)) return true;
  }
  return false;
}

/** Whether a sentence ends at `p` (a newline, or . ! ? followed by white space, not after an abbreviation). */
function isSentenceEnd(index: TextIndex, p: number): boolean {
  const char = index.text[p];
  if (char === '\n') return true;
  if (char !== '.' && char !== '!' && char !== '?') return false;
  const next = index.text[p + 1];
  if (next !== ' ' && next !== '\n' && next !== undefined) return false;
  if (char !== '.') return true;
  const w = findLastAtOrBefore(index.wordEnds, p);
  if (w < 0 || index.wordEnds[w] !== p) return true;
  const id = index.wordIds[w]!;
  return id === NONE || !isAbbreviation[id];
}

/**
 * True when a word for which `accepts(wordIndex)` holds lies within `radius` characters of
 * [start, end) in the same sentence; the walk to the sentence ends is bounded by the radius.
 */
export function hasWordNear(
  index: TextIndex,
  start: number,
  end: number,
  accepts: (wordIndex: number) => boolean,
  radius: number,
): boolean {
  let from = start;
  while (from > 0 && start - from < radius && !isSentenceEnd(index, from - 1)) {
    index.counter.steps++;
    from--;
  }
  let to = end;
  while (to < index.text.length && to - end < radius && !isSentenceEnd(index, to)) {
    index.counter.steps++;
    to++;
  }
  let i = findLastAtOrBefore(index.wordStarts, from - 1) + 1;
  for (; i < index.wordStarts.length && index.wordEnds[i]! <= to; i++) {
    index.counter.steps++;
    if (index.wordStarts[i]! >= start && index.wordEnds[i]! <= end) continue;
    if (accepts(i)) return true;
  }
  return false;
}

/**
 * A capitalised word that does not start a sentence: in Dutch that is almost always a name
 * ("blijkt dat Noor Smit is moslim"), as nouns are not capitalised.
 */
export function isNameLike(index: TextIndex, i: number): boolean {
  const start = index.wordStarts[i]!;
  const first = index.text[start]!;
  const lower = first.toLowerCase();
  // The lower-cased word is shorter than two units only if it is one unit that stays one (not İ).
  if (first === lower || (index.wordEnds[i]! - start < 2 && lower.length < 2)) return false;
  let p = start - 1;
  while (p >= 0 && (index.text[p] === ' ' || index.text[p] === '\t')) p--;
  if (p < 0) return false;
  const before = index.text[p]!;
  return /[\p{L},]/u.test(before);
}
