/** Character tests on a single UTF-16 unit; `undefined` (outside the text) is never anything. */
export function isDigit(char: string | undefined): boolean {
  return char !== undefined && char >= '0' && char <= '9';
}

const LETTER = /\p{L}/u;

export function isLetter(char: string | undefined): boolean {
  return char !== undefined && LETTER.test(char);
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
