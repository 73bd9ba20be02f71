import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number as E.164 (`+31612345678`), or undefined when it is not a valid number.
 * Numbers without a country code are read as Dutch; landlines are refused (no SMS).
 */
export function normalisePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!trimmed || trimmed.length > 40) return undefined;
  const parsed = parsePhoneNumberFromString(trimmed, 'NL');
  // The full metadata checks number ranges, not only lengths; a landline cannot receive an SMS.
  if (!parsed?.isValid() || parsed.getType() === 'FIXED_LINE') return undefined;
  return parsed.number;
}

/** What a guest and the sender are shown: country code and the last two digits only. */
export function maskPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  const country = parsed ? `+${parsed.countryCallingCode}` : e164.slice(0, 3);
  const national = parsed ? parsed.nationalNumber : e164.slice(3);
  return `${country} ${'•'.repeat(Math.max(0, national.length - 2))}${national.slice(-2)}`;
}
