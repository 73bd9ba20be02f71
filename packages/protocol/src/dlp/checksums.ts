import { ibanLengths } from './iban-countries.ts';

const BSN_WEIGHTS = [9, 8, 7, 6, 5, 4, 3, 2, -1] as const;

/**
 * The elfproef for a BSN: Σ dᵢ·wᵢ with weights 9…2 and −1 must be a positive multiple of 11.
 * Eight-digit legacy numbers are left-padded with a zero, as the Dutch registers do.
 */
export function isValidBsn(digits: string): boolean {
  const padded = digits.length === 8 ? `0${digits}` : digits;
  if (!/^\d{9}$/.test(padded)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (padded.charCodeAt(i) - 48) * BSN_WEIGHTS[i]!;
  return sum > 0 && sum % 11 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters become 10…35, mod 97 must be 1. */
export function hasValidIbanChecksum(compact: string): boolean {
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const code = rearranged.charCodeAt(i);
    if (code >= 48 && code <= 57) remainder = (remainder * 10 + (code - 48)) % 97;
    else if (code >= 65 && code <= 90) remainder = (remainder * 100 + (code - 55)) % 97;
    else return false;
  }
  return remainder === 1;
}

/** A complete IBAN check: known country, that country's length, digits where digits belong, mod 97. */
export function isValidIban(value: string): boolean {
  const compact = value.replace(/ /g, '').toUpperCase();
  const length = ibanLengths[compact.slice(0, 2)];
  if (length === undefined || compact.length !== length) return false;
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(compact)) return false;
  return hasValidIbanChecksum(compact);
}
