import { capitalOnlyLabels, type LabelKind, labelKinds } from './labels.ts';
import type { ScanOptions } from './types.ts';

/**
 * One linear pass over the text that every detector shares: the words (lower-cased, with
 * offsets) and the line starts. Detectors then answer "which label is nearest before this
 * number?" or "which column header is above this cell?" with a binary search instead of
 * re-reading the text, which keeps the whole scan linear however many candidates there are.
 */
export interface TextIndex {
  text: string;
  wordStarts: number[];
  wordEnds: number[];
  words: string[];
  lineStarts: number[];
  /** For each line, the first line of its block (blocks are separated by empty lines). */
  blockFirstLine: number[];
  counter: { steps: number };
}

/** Words are letter runs; 48 letters at most so a megabyte of letters cannot make one huge token. */
export const WORD = /\p{L}[\p{L}\p{M}]{0,47}/gu;

export function indexText(text: string, options: ScanOptions = {}): TextIndex {
  const counter = options.counter ?? { steps: 0 };
  const wordStarts: number[] = [];
  const wordEnds: number[] = [];
  const words: string[] = [];
  for (const match of text.matchAll(WORD)) {
    wordStarts.push(match.index);
    wordEnds.push(match.index + match[0].length);
    words.push(match[0].toLowerCase());
    counter.steps++;
  }
  const lineStarts = [0];
  const blockFirstLine = [0];
  let blockStart = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    const previousStart = lineStarts[lineStarts.length - 1]!;
    if (text.slice(previousStart, i).trim() === '') blockStart = lineStarts.length;
    lineStarts.push(i + 1);
    blockFirstLine.push(blockStart);
    counter.steps++;
  }
  return { text, wordStarts, wordEnds, words, lineStarts, blockFirstLine, counter };
}

/** Index of the last element of `sorted` that is ≤ value, or −1. */
export function findLastAtOrBefore(sorted: readonly number[], value: number): number {
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
  const word = index.words[i]!;
  const kind = labelKinds.get(word);
  if (kind === undefined) return undefined;
  if (capitalOnlyLabels.has(word)) {
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
  const startsLine = !/[\p{L}\p{N}]/u.test(index.text.slice(Math.max(lineStart, start - maxChars), start));
  for (let seen = 0; i >= 0 && seen < maxWords; i--, seen++) {
    index.counter.steps++;
    const distance = start - index.wordEnds[i]!;
    if (distance > maxChars) break;
    if (!startsLine && index.wordEnds[i]! < lineStart) break;
    if (endsSentenceBetween(index, index.wordEnds[i]!, start)) break;
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

/**
 * For a cell of a CSV/TSV table (or the tab-separated text extracted from a spreadsheet): the
 * label in the header row of the same column. Walks back at most 4 KiB within the line, so a
 * megabyte-long line costs a constant per candidate, not a rescan.
 */
export function findColumnLabel(index: TextIndex, position: number): NearbyLabel | undefined {
  const { text } = index;
  const line = findLastAtOrBefore(index.lineStarts, position);
  const headerLine = index.blockFirstLine[line];
  if (line <= 0 || headerLine === undefined || headerLine === line) return undefined;
  const lineStart = index.lineStarts[line]!;
  if (position - lineStart > MAX_CELL_WALK) return undefined;
  const headerStart = index.lineStarts[headerLine]!;
  const headerEnd = Math.min(
    (index.lineStarts[headerLine + 1] ?? text.length + 1) - 1,
    headerStart + MAX_CELL_WALK,
  );
  const header = text.slice(headerStart, headerEnd);
  const delimiter = header.includes('\t')
    ? '\t'
    : header.includes(';')
      ? ';'
      : header.includes(',')
        ? ','
        : '';
  if (delimiter === '') return undefined;
  let column = 0;
  for (let p = lineStart; p < position; p++) {
    index.counter.steps++;
    if (text[p] === delimiter) column++;
  }
  const cell = header.split(delimiter)[column];
  if (cell === undefined) return undefined;
  const cellOffset =
    headerStart + header.split(delimiter).slice(0, column).join(delimiter).length + (column > 0 ? 1 : 0);
  for (const match of cell.matchAll(WORD)) {
    index.counter.steps++;
    const i = findLastAtOrBefore(index.wordStarts, cellOffset + match.index);
    if (i >= 0 && index.wordStarts[i] === cellOffset + match.index) {
      const kind = labelOfWord(index, i);
      if (kind !== undefined) return { kind, distance: position - cellOffset };
    }
  }
  return undefined;
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

/** Abbreviations whose full stop does not end a sentence. */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'dhr',
  'mw',
  'mevr',
  'hr',
  'geb',
  'nr',
  'tel',
  'mob',
  'mg',
  'ml',
  'dr',
  'drs',
  'ir',
  'mr',
  'ca',
  'bijv',
  'o.a',
]);

/** Whether a sentence ends at `p` (a newline, or . ! ? followed by white space, not after an abbreviation). */
function isSentenceEnd(index: TextIndex, p: number): boolean {
  const char = index.text[p];
  if (char === '\n') return true;
  if (char !== '.' && char !== '!' && char !== '?') return false;
  const next = index.text[p + 1];
  if (next !== ' ' && next !== '\n' && next !== undefined) return false;
  if (char !== '.') return true;
  const w = findLastAtOrBefore(index.wordEnds, p);
  return !(w >= 0 && index.wordEnds[w] === p && ABBREVIATIONS.has(index.words[w]!));
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
  for (; i < index.words.length && index.wordEnds[i]! <= to; i++) {
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
  const first = index.text[index.wordStarts[i]!]!;
  if (first === first.toLowerCase() || index.words[i]!.length < 2) return false;
  let p = index.wordStarts[i]! - 1;
  while (p >= 0 && (index.text[p] === ' ' || index.text[p] === '\t')) p--;
  if (p < 0) return false;
  const before = index.text[p]!;
  return /[\p{L},]/u.test(before);
}
