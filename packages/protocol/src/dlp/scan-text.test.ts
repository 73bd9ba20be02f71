import { describe, expect, it } from 'vitest';
import { scanText } from './scan-text.ts';
import type { FindingType } from './types.ts';

/** The findings as [type, matched text] pairs, for readable assertions. */
function found(text: string, types?: FindingType[]): [string, string][] {
  return scanText(text, types === undefined ? {} : { types }).map((f) => [
    f.type,
    text.slice(f.start, f.end),
  ]);
}

describe('BSN', () => {
  it('finds a valid BSN with a label at high confidence, in the usual notations', () => {
    for (const [text, value] of [
      ['BSN: 123456782', '123456782'],
      ['burgerservicenummer 1234.56.782', '1234.56.782'],
      ['Sofinummer 123 456 782.', '123 456 782'],
      ['123456782 (BSN)', '123456782'],
      ['BSN-nummer:\n111222333', '111222333'],
    ] as const) {
      const findings = scanText(text, { types: ['bsn'] });
      expect(
        findings.map((f) => text.slice(f.start, f.end)),
        text,
      ).toEqual([value]);
      expect(findings[0]!.confidence).toBeGreaterThan(0.9);
      expect(findings[0]!.rule).toBe('bsn.elfproef+label');
    }
  });
  it('reports a bare valid nine-digit number at lower confidence', () => {
    const [finding] = scanText('Het nummer is 999911120.', { types: ['bsn'] });
    expect(finding?.rule).toBe('bsn.elfproef');
    expect(finding!.confidence).toBeLessThan(0.9);
  });
  it('uses the header of a CSV column as the label', () => {
    const csv = 'naam;bsn;zaaknummer\nPiet;999911120;123456782\n';
    expect(found(csv, ['bsn'])).toEqual([['bsn', '999911120']]);
  });
  it('does not fire on invalid checksums, phone numbers, IBANs, dates, amounts and references', () => {
    const decoys = [
      'BSN 123456789',
      'Bel +31 612345678 of 0031 612345678',
      'Tel. 06 12345678',
      'IBAN NL91ABNA0417164300',
      'Geboren 12-03-1980',
      'Bedrag € 123.456.782,00',
      'Totaal EUR 123456782',
      'Zaaknummer 123456782',
      'Ordernummer: 111222333',
      'Factuur 2024/123456782',
      'Kenmerk Z-2024-123456782',
      'Referentie 123456782-01',
      'Nummer 1.123.456.782',
      'AGB-code 12345678',
      'UZI-nummer 999911120',
      '12345678901',
      'Het legacy nummer 12345672 zonder label',
      'jan123456782@example.nl',
    ];
    for (const text of decoys) expect(found(text, ['bsn']), text).toEqual([]);
  });
});

describe('IBAN', () => {
  it('finds IBANs of any IBAN country, grouped or not, with the right span', () => {
    expect(found('Rekening NL91 ABNA 0417 1643 00 t.n.v. Jansen')).toEqual([
      ['iban', 'NL91 ABNA 0417 1643 00'],
    ]);
    expect(found('Overmaken naar DE89370400440532013000.', ['iban'])).toEqual([
      ['iban', 'DE89370400440532013000'],
    ]);
    expect(found('(BE68539007547034)', ['iban'])).toEqual([['iban', 'BE68539007547034']]);
  });
  it('rejects wrong checksums, wrong lengths, unknown countries and IBAN-shaped parts of words', () => {
    for (const text of [
      'NL91ABNA0417164301',
      'NL91ABNA04171643001',
      'NL91 ABNA 0417 1643 0',
      'QQ91ABNA0417164300',
      'XNL91ABNA0417164300',
      'Nl91AbNa0417164300',
    ]) {
      expect(found(text, ['iban']), text).toEqual([]);
    }
  });
});

describe('phone', () => {
  it('finds mobile, geographic and service numbers in the usual notations', () => {
    for (const text of [
      '06-12345678',
      '06 12 34 56 78',
      '0612345678',
      '+31 6 12345678',
      '+31 (0)6 1234 5678',
      '020-1234567',
      '(020) 123 45 67',
      '0343-123456',
      '088 123 4567',
      '0031 20 123 4567',
    ]) {
      expect(found(`Bereikbaar op ${text}.`, ['phone']), text).toEqual([['phone', text]]);
    }
  });
  it('does not fire on dates, times, too short or too long numbers, or labelled references', () => {
    for (const text of [
      '01-02-2021 12:30',
      '0612345',
      '061234567890',
      '0800-1234',
      'Ordernummer 0612345678',
      'Datum 03-04-2022 10',
      '06-123',
    ]) {
      expect(found(text, ['phone']), text).toEqual([]);
    }
  });
});

describe('postcode, e-mail, date of birth, documents, care ids', () => {
  it('finds a postcode in an address but not a bare letter pair after a year', () => {
    expect(found('Hoofdstraat 12\n3511 AB Utrecht', ['postcode'])).toEqual([['postcode', '3511 AB']]);
    expect(found('Postcode 1234AB 12', ['postcode'])).toEqual([['postcode', '1234AB 12']]);
    expect(found('In 2019 OM en politie samen', ['postcode'])).toEqual([]);
    expect(found('Hoofdstraat 12, 1234 SA Utrecht', ['postcode'])).toEqual([]);
  });
  it('finds e-mail addresses and rejects things that only look a bit like one', () => {
    expect(found('Mail j.de-vries+zorg@gemeente-utrecht.nl.', ['email'])).toEqual([
      ['email', 'j.de-vries+zorg@gemeente-utrecht.nl'],
    ]);
    for (const text of ['@home', 'a@b', 'jan@localhost', 'user@.nl', 'x@-bad.nl', 'twitter @zegel.']) {
      expect(found(text, ['email']), text).toEqual([]);
    }
  });
  it('finds a date of birth only with a label, and only a real past date', () => {
    expect(found('Geboren op 3 februari 1975', ['date_of_birth'])).toEqual([
      ['date_of_birth', '3 februari 1975'],
    ]);
    expect(found('Geboortedatum: 1975-02-03', ['date_of_birth'])).toEqual([['date_of_birth', '1975-02-03']]);
    for (const text of [
      'Afspraak op 12-03-1980',
      'Geboren 31-02-1980',
      'geb. 12-13-1980',
      'Geboren 01-01-2999',
    ]) {
      expect(found(text, ['date_of_birth']), text).toEqual([]);
    }
  });
  it('finds passport and ID-card numbers, rejecting the letter O and all-letter words', () => {
    expect(found('Paspoortnummer: NXC3RJ0H1', ['id_document'])).toEqual([['id_document', 'NXC3RJ0H1']]);
    expect(found('documentnummer IR12KL341', ['id_document'])).toEqual([['id_document', 'IR12KL341']]);
    for (const text of ['Paspoort NOC3RJ0H1', 'paspoort ABCDEFGH1', 'paspoort NX1234567X', 'nxc3rj0h1']) {
      expect(found(text, ['id_document']), text).toEqual([]);
    }
  });
  it('finds AGB, UZI and BIG numbers only with their label and length', () => {
    expect(found('AGB-code 01042119', ['care_id'])).toEqual([['care_id', '01042119']]);
    expect(found('UZI-nummer 008426371', ['care_id'])).toEqual([['care_id', '008426371']]);
    expect(found('BIG-nummer: 19012345601', ['care_id'])).toEqual([['care_id', '19012345601']]);
    for (const text of ['01042119', 'AGB-code 0104211', 'BIG-nummer 190123456', 'a big 19012345601 deal']) {
      expect(found(text, ['care_id']), text).toEqual([]);
    }
  });
});

describe('health and special categories', () => {
  it('finds a term of the vocabulary when a person is named in the sentence', () => {
    expect(found('Mevrouw is bekend met diabetes en gebruikt metformine 500 mg.')).toEqual([
      ['health', 'diabetes'],
      ['health', 'metformine'],
    ]);
    expect(found('Cliënt heeft een strafblad.')).toEqual([['special_category', 'strafblad']]);
    expect(found('Hij is lid van de vakbond.')).toEqual([['special_category', 'vakbond']]);
    expect(found('Zijn seksuele geaardheid speelt een rol, zegt hij.')).toEqual([
      ['special_category', 'seksuele geaardheid'],
    ]);
  });
  it('does not report general text without a person, even next to a sentence that has one', () => {
    expect(found('Informatieavond over diabetes voor alle belangstellenden.')).toEqual([]);
    expect(found('Hij komt morgen.\nDe folder gaat over depressie en angststoornis.')).toEqual([]);
    expect(scanText('De moskee organiseert een open dag.', { minConfidence: 0 })[0]?.confidence).toBeLessThan(
      0.5,
    );
  });
});

describe('scanText', () => {
  it('returns nothing for empty or harmless text and respects types and minConfidence', () => {
    expect(scanText('')).toEqual([]);
    expect(scanText('Tot morgen, groet Anna')).toEqual([]);
    expect(scanText('BSN 123456782, tel 0612345678', { types: ['phone'] }).map((f) => f.type)).toEqual([
      'phone',
    ]);
    expect(scanText('Nummer 999911120', { minConfidence: 0.9 })).toEqual([]);
  });
  it('reports findings in order with offsets into the original text, including after astral characters', () => {
    const text = '😀 BSN 123456782 😀 NL91ABNA0417164300';
    const findings = scanText(text);
    expect(findings.map((f) => text.slice(f.start, f.end))).toEqual(['123456782', 'NL91ABNA0417164300']);
    expect(findings.map((f) => Object.keys(f).sort())).toEqual([
      ['confidence', 'end', 'rule', 'start', 'type'],
      ['confidence', 'end', 'rule', 'start', 'type'],
    ]);
  });
});
