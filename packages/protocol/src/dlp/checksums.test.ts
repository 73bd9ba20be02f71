import { describe, expect, it } from 'vitest';
import { hasValidIbanChecksum, isValidBsn, isValidIban } from './checksums.ts';
import { ibanLengths } from './iban-countries.ts';

describe('isValidBsn', () => {
  it('accepts the reference vectors', () => {
    for (const bsn of ['123456782', '111222333', '999911120']) expect(isValidBsn(bsn)).toBe(true);
  });
  it('rejects a wrong checksum, all zeros, wrong lengths and non-digits', () => {
    for (const bad of ['123456789', '000000000', '12345678', '1234567820', '12345678a', '', '12345 782']) {
      expect(isValidBsn(bad)).toBe(false);
    }
  });
  it('left-pads an eight-digit legacy number', () => {
    // 012345672: 0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2−2 = 110, a multiple of 11.
    expect(isValidBsn('12345672')).toBe(true);
    expect(isValidBsn('12345673')).toBe(false);
  });
});

describe('isValidIban', () => {
  it('accepts valid IBANs of several countries, compact or grouped, any case', () => {
    for (const iban of [
      'NL91ABNA0417164300',
      'NL91 ABNA 0417 1643 00',
      'nl91abna0417164300',
      'DE89370400440532013000',
      'GB29NWBK60161331926819',
      'BE68539007547034',
      'FR1420041010050500013M02606',
      'NO9386011117947',
      'MT84MALT011000012345MTLCAST001S',
    ]) {
      expect(isValidIban(iban), iban).toBe(true);
    }
  });
  it('rejects a wrong check digit, a wrong length, an unknown country and junk', () => {
    for (const bad of [
      'NL91ABNA0417164301',
      'NL91ABNA041716430',
      'XX91ABNA0417164300',
      'NL',
      '',
      'NL91-ABNA-0417',
    ]) {
      expect(isValidIban(bad), bad).toBe(false);
    }
  });
  it('knows a length for every country and checks the mod-97 arithmetic', () => {
    expect(Object.keys(ibanLengths).length).toBeGreaterThanOrEqual(89);
    for (const length of Object.values(ibanLengths)) expect(length).toBeGreaterThanOrEqual(15);
    expect(hasValidIbanChecksum('NL91ABNA0417164300')).toBe(true);
    expect(hasValidIbanChecksum('NL91ABNA04171643!0')).toBe(false);
  });
});
