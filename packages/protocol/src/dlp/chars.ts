/** Character tests on a single UTF-16 unit; `undefined` (outside the text) is never anything. */
export function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

export function isLetter(char: string | undefined): boolean {
  return char !== undefined && (classOfUnit(char.charCodeAt(0)) & CharClass.letter) !== 0;
}

export function isLetterOrDigit(char: string | undefined): boolean {
  return isDigit(char) || isLetter(char);
}

/** Keeps only the digits of a string. */
export function digitsOf(value: string): string {
  let digits = '';
  for (const char of value) if (isDigit(char)) digits += char;
  return digits;
}

export function isAsciiDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

export function isAsciiUpperCode(code: number): boolean {
  return code >= 65 && code <= 90;
}

/** Bit flags of what a character is, in the Unicode sense the patterns' `\p{…}` use. */
export const CharClass = {
  letter: 1, // \p{L}
  mark: 2, // \p{M}
  number: 4, // \p{N}
  /** What `String.prototype.trim` removes. */
  space: 8,
  known: 128,
} as const;

/**
 * Classes of the UTF-16 units, filled in on first sight: the scanner classifies every
 * character of the text, and a regular-expression test per character would cost more than
 * the rest of the scan. A lone surrogate is none of letter, mark or number, as in `u` mode.
 */
const unitClasses = new Uint8Array(65536);
const astralClasses = new Map<number, number>();
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;
const NUMBER = /^\p{N}$/u;
const TRIMMED = /^\s$/;

function classify(char: string): number {
  return (
    CharClass.known |
    (LETTER.test(char) ? CharClass.letter : 0) |
    (MARK.test(char) ? CharClass.mark : 0) |
    (NUMBER.test(char) ? CharClass.number : 0) |
    (TRIMMED.test(char) ? CharClass.space : 0)
  );
}

export function classOfUnit(code: number): number {
  const known = unitClasses[code]!;
  if (known !== 0) return known;
  const computed = classify(String.fromCharCode(code));
  unitClasses[code] = computed;
  return computed;
}

/** Class of a code point above U+FFFF (written as a surrogate pair). */
export function classOfAstral(codePoint: number): number {
  let known = astralClasses.get(codePoint);
  if (known === undefined) {
    known = classify(String.fromCodePoint(codePoint));
    astralClasses.set(codePoint, known);
  }
  return known;
}

/** The code point at `p` when a surrogate pair starts there, else −1. */
export function astralAt(text: string, p: number, end = text.length): number {
  const high = text.charCodeAt(p);
  if (high < 0xd800 || high > 0xdbff || p + 1 >= end) return -1;
  const low = text.charCodeAt(p + 1);
  if (low < 0xdc00 || low > 0xdfff) return -1;
  return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
}

/** Whether [from, to) holds a letter or a number, as `/[\p{L}\p{N}]/u` on that slice would say. */
export function hasLetterOrNumber(text: string, from: number, to: number): boolean {
  const wanted = CharClass.letter | CharClass.number;
  for (let p = from; p < to; p++) {
    const codePoint = astralAt(text, p, to);
    if (codePoint >= 0) {
      if ((classOfAstral(codePoint) & wanted) !== 0) return true;
      p++;
    } else if ((classOfUnit(text.charCodeAt(p)) & wanted) !== 0) return true;
  }
  return false;
}
