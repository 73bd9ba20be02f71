import type { FindingType } from '../types.ts';
import { writeDocx, writePdf, writeXlsx } from './writers.ts';

/**
 * The synthetic evaluation corpus: Dutch letters, e-mails, spreadsheets (CSV, XLSX), Word files
 * and PDFs with real-format identifiers (elfproef-valid BSNs, mod-97-valid IBANs) and many
 * decoys (invalid checksums, 11-digit numbers, case and order numbers, amounts, dates, phone
 * numbers). Generated deterministically from a seed at evaluation time, so nothing large is
 * committed and every run sees the same documents. Every person, number and address is made up.
 */

export interface CorpusLabel {
  type: FindingType;
  /** The exact text that should be found, in document order. */
  value: string;
}

export interface CorpusDocument {
  name: string;
  format: 'text' | 'csv' | 'xlsx' | 'docx' | 'pdf';
  bytes: Uint8Array;
  labels: CorpusLabel[];
}

/** mulberry32: small, fast, and the same sequence on every JavaScript engine. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const digits = (count: number) => Array.from({ length: count }, () => int(0, 9)).join('');
  return { next, int, pick, digits };
}
type Random = ReturnType<typeof createRandom>;

function bsnSum(digits: string): number {
  const weights = [9, 8, 7, 6, 5, 4, 3, 2, -1];
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * weights[i]!;
  return sum;
}

export function makeBsn(random: Random): string {
  for (;;) {
    const first = String(random.int(1, 9)) + random.digits(7);
    const partial = bsnSum(`${first}0`);
    const check = partial % 11;
    if (check < 10 && partial > 0) return first + String(check);
  }
}

/** A nine-digit number that fails the elfproef. */
function makeInvalidBsn(random: Random): string {
  for (;;) {
    const value = String(random.int(1, 9)) + random.digits(8);
    if (bsnSum(value) % 11 !== 0) return value;
  }
}

function mod97(value: string): number {
  let remainder = 0;
  for (const char of value) {
    const code = char.charCodeAt(0);
    remainder = code >= 65 ? (remainder * 100 + code - 55) % 97 : (remainder * 10 + code - 48) % 97;
  }
  return remainder;
}

const BANKS = ['ABNA', 'INGB', 'RABO', 'TRIO', 'SNSB', 'ASNB', 'KNAB', 'BUNQ'] as const;
const FOREIGN = [
  ['DE', 18],
  ['BE', 12],
  ['FR', 23],
  ['ES', 20],
  ['AT', 16],
  ['PL', 24],
] as const;

export function makeIban(random: Random, country = 'NL'): string {
  const bban =
    country === 'NL'
      ? random.pick(BANKS) + random.digits(10)
      : random.digits(FOREIGN.find(([c]) => c === country)?.[1] ?? 12);
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

function groupIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}

const FIRST = ['Anna', 'Jan', 'Fatima', 'Mohammed', 'Sanne', 'Pieter', 'Eva', 'Daan', 'Noor', 'Kees', 'Yara'];
const LAST = ['de Vries', 'Jansen', 'Bakker', 'El Amrani', 'Visser', 'Smit', 'Yilmaz', 'de Boer', 'Mulder'];
const STREETS = ['Hoofdstraat', 'Kerkweg', 'Stationsplein', 'Dorpsstraat', 'Lindenlaan', 'Molenweg', 'Beukenlaan'];
const PLACES = ['Utrecht', 'Amersfoort', 'Zwolle', 'Tilburg', 'Groningen', 'Leeuwarden', 'Gouda', 'Delft'];
const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september'];
const DIAGNOSES = ['diabetes', 'depressie', 'dementie', 'epilepsie', 'schizofrenie', 'astma', 'autisme', 'hartfalen'];
const MEDICATION = ['metformine', 'insuline', 'sertraline', 'oxazepam', 'methylfenidaat', 'quetiapine', 'lithium'];
const SPECIAL = [
  'is veroordeeld voor diefstal',
  'heeft een strafblad',
  'is moslim',
  'is lid van de vakbond',
  'is homoseksueel',
  'is van Marokkaanse afkomst',
] as const;
const SPECIAL_TERMS: Record<(typeof SPECIAL)[number], string> = {
  'is veroordeeld voor diefstal': 'veroordeeld',
  'heeft een strafblad': 'strafblad',
  'is moslim': 'moslim',
  'is lid van de vakbond': 'vakbond',
  'is homoseksueel': 'homoseksueel',
  'is van Marokkaanse afkomst': 'Marokkaanse afkomst',
};

/** Builds a text piece by piece, remembering which pieces are labelled. */
class Builder {
  text = '';
  labels: CorpusLabel[] = [];
  add(text: string): this {
    this.text += text;
    return this;
  }
  label(type: FindingType, value: string): this {
    this.labels.push({ type, value });
    this.text += value;
    return this;
  }
}

function name(random: Random): string {
  return `${random.pick(FIRST)} ${random.pick(LAST)}`;
}

function phone(random: Random): string {
  return random.pick([
    () => `06-${random.int(1, 5)}${random.digits(7)}`,
    () => `06 ${random.int(1, 5)}${random.digits(1)} ${random.digits(2)} ${random.digits(2)} ${random.digits(2)}`,
    () => `0${random.pick(['20', '30', '10', '50', '70'])}-${random.int(1, 9)}${random.digits(6)}`,
    () => `+31 6 ${random.int(1, 5)}${random.digits(7)}`,
    () => `(0${random.pick(['343', '318', '571'])}) ${random.int(1, 9)}${random.digits(5)}`,
  ])();
}

function date(random: Random, fromYear: number, toYear: number): string {
  const day = random.int(1, 28);
  const month = random.int(1, 9);
  const year = random.int(fromYear, toYear);
  return random.pick([
    () => `${String(day).padStart(2, '0')}-${String(month).padStart(2, '0')}-${year}`,
    () => `${day} ${MONTHS[month - 1]} ${year}`,
    () => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
  ])();
}

function documentNumber(random: Random): string {
  const letters = 'ABCDEFGHIJKLMNPQRSTUVWXYZ';
  const alnum = `${letters}123456789`;
  let value = random.pick(['N', 'I']) + letters[random.int(0, letters.length - 1)];
  value += letters[random.int(0, 24)];
  for (let i = 0; i < 5; i++) value += alnum[random.int(0, alnum.length - 1)];
  const middle = value.slice(2);
  if (!/\d/.test(middle)) value = `${value.slice(0, 4)}${random.int(1, 9)}${value.slice(5)}`;
  return value + String(random.int(1, 9));
}

/** Decoy sentences: nothing in them is sensitive, everything in them looks a bit like it. */
function addDecoys(b: Builder, random: Random, count: number): void {
  for (let i = 0; i < count; i++) {
    b.add(
      random.pick([
        () => `Zaaknummer: ${makeBsn(random)}.`,
        () => `Uw ordernummer is ${makeBsn(random)}.`,
        () => `Factuurnummer ${random.int(2019, 2025)}/${makeBsn(random)}.`,
        () => `Kenmerk Z-${random.int(2019, 2025)}-${random.digits(6)}.`,
        () => `Het BSN ${makeInvalidBsn(random)} is ongeldig en is teruggestuurd.`,
        () => `Klantnummer ${random.int(1, 9)}${random.digits(10)}.`,
        () => `Het totaalbedrag is € ${random.int(1, 999)}.${random.digits(3)},${random.digits(2)}.`,
        () => `Bedrag: EUR ${makeBsn(random)}`,
        () => `Op ${date(random, 2020, 2025)} om ${random.int(8, 17)}:${random.pick(['00', '15', '30'])} is er overleg.`,
        () => `Datum: 0${random.int(1, 9)}-0${random.int(1, 9)}-${random.int(2020, 2025)} ${random.int(10, 16)}:00`,
        () => `Rekeningnummer NL${random.digits(2)}RABO${random.digits(10)} klopt niet (controlecijfer).`,
        () => `Ordernummer 0${random.pick(['20', '30', '6'])}${random.digits(8)} is verzonden.`,
        () => `Geef ons ${random.int(10, 99)} sterren: bel 0800-${random.digits(4)} of 0900-${random.digits(4)}.`,
        () => `Informatieavond over ${random.pick(DIAGNOSES)} voor alle belangstellenden in de bibliotheek.`,
        () => `De folder over ${random.pick(DIAGNOSES)} en ${random.pick(MEDICATION)} ligt bij de balie.`,
        () => `In ${random.int(2015, 2024)} OM ${random.int(9, 17)} uur begint de zitting.`,
        () => `Artikelnummer ${random.digits(8)} is uitverkocht.`,
        () => `Registratienummer ${random.digits(11)}.`,
        () => `Twitter: @gemeente${random.pick(PLACES).toLowerCase()}.`,
        () => `De moskee en de kerk organiseren samen een open dag.`,
        () => `Volg ons via www.${random.pick(PLACES).toLowerCase()}.nl of bel het algemene nummer 14 0${random.int(10, 99)}.`,
        () => `Serienummer NX${random.digits(3)}KL${random.digits(2)} van de printer is genoteerd.`,
      ])(),
    );
    b.add(random.next() < 0.5 ? ' ' : '\n');
  }
}

/** A sensitive sentence about a person; labels the sensitive parts. */
function addSensitive(b: Builder, random: Random, person: string): void {
  const kind = random.int(0, 13);
  switch (kind) {
    case 0:
      b.add(`Het BSN van ${person} is `).label('bsn', makeBsn(random)).add('.');
      break;
    case 1: {
      const bsn = makeBsn(random);
      b.add('Burgerservicenummer: ').label('bsn', `${bsn.slice(0, 4)}.${bsn.slice(4, 6)}.${bsn.slice(6)}`);
      break;
    }
    case 2:
      b.add('Wilt u het bedrag overmaken naar ').label('iban', groupIban(makeIban(random))).add(` t.n.v. ${person}?`);
      break;
    case 3:
      b.add('IBAN: ').label('iban', makeIban(random, random.pick(['NL', ...FOREIGN.map(([c]) => c)])));
      break;
    case 4:
      b.add(`${person} is bereikbaar op `).label('phone', phone(random)).add('.');
      break;
    case 5: {
      const postcode = `${random.int(1, 9)}${random.digits(3)} ${random.pick(['AB', 'CD', 'KL', 'XZ', 'TR', 'BN'])}`;
      b.add(`${random.pick(STREETS)} ${random.int(1, 200)}\n`).label('postcode', postcode).add(` ${random.pick(PLACES)}`);
      break;
    }
    case 6:
      b.add('U kunt mailen naar ')
        .label('email', `${person.toLowerCase().replace(/ /g, '.')}@${random.pick(['gmail.com', 'zorgpartner.nl', 'hotmail.com'])}`)
        .add('.');
      break;
    case 7:
      b.add(`${person}, geboren op `).label('date_of_birth', date(random, 1935, 2015)).add(',');
      break;
    case 8:
      b.add(`Paspoortnummer ${person}: `).label('id_document', documentNumber(random)).add('.');
      break;
    case 9:
      b.add('AGB-code behandelaar: ').label('care_id', `${random.pick(['01', '02', '03'])}${random.digits(6)}`);
      break;
    case 10:
      b.add('BIG-nummer: ').label('care_id', `${random.int(1, 9)}${random.digits(10)}`);
      break;
    case 11:
      b.add(`Mevrouw ${random.pick(LAST)} is bekend met `).label('health', random.pick(DIAGNOSES)).add('.');
      break;
    case 12:
      b.add(`Cliënt gebruikt `).label('health', random.pick(MEDICATION)).add(` ${random.int(1, 50) * 10} mg per dag.`);
      break;
    default: {
      const sentence = random.pick(SPECIAL);
      const term = SPECIAL_TERMS[sentence];
      const [before, after] = sentence.split(term) as [string, string];
      b.add(`Uit het dossier blijkt dat ${person} ${before}`).label('special_category', term).add(`${after}.`);
    }
  }
  b.add(random.next() < 0.5 ? ' ' : '\n');
}

function makeLetter(random: Random): Builder {
  const b = new Builder();
  const person = name(random);
  b.add(`Gemeente ${random.pick(PLACES)}\nAfdeling Werk en Inkomen\n\nGeachte heer/mevrouw ${random.pick(LAST)},\n\n`);
  for (let i = 0; i < random.int(4, 9); i++) {
    if (random.next() < 0.45) addSensitive(b, random, person);
    else addDecoys(b, random, 1);
  }
  b.add('\n\nMet vriendelijke groet,\n\nTeam Zorg en Welzijn\n');
  return b;
}

function makeMail(random: Random): Builder {
  const b = new Builder();
  const person = name(random);
  b.add(`Onderwerp: ${random.pick(['Dossier', 'Aanvraag', 'Overdracht', 'Vraag'])} ${random.pick(LAST)}\n\nHoi,\n\n`);
  for (let i = 0; i < random.int(3, 7); i++) {
    if (random.next() < 0.5) addSensitive(b, random, person);
    else addDecoys(b, random, 1);
  }
  b.add('\nGroet,\nTeam Wijkzorg\n');
  return b;
}

interface Table {
  rows: string[][];
  labels: CorpusLabel[];
}

function makeTable(random: Random): Table {
  const rows: string[][] = [['Naam', 'BSN', 'Geboortedatum', 'Telefoon', 'Zaaknummer', 'Bedrag', 'IBAN']];
  const labels: CorpusLabel[] = [];
  for (let i = 0; i < random.int(5, 15); i++) {
    const bsn = makeBsn(random);
    const born = date(random, 1940, 2010);
    const tel = `06${random.int(1, 5)}${random.digits(7)}`;
    const iban = makeIban(random);
    rows.push([name(random), bsn, born, tel, makeBsn(random), `${random.int(10, 9999)},${random.digits(2)}`, iban]);
    labels.push(
      { type: 'bsn', value: bsn },
      { type: 'date_of_birth', value: born },
      { type: 'phone', value: tel },
      { type: 'iban', value: iban },
    );
  }
  return { rows, labels };
}

/** The whole corpus; `size` scales the number of documents of each kind. */
export function generateCorpus(seed = 20_250_105, size = 120): CorpusDocument[] {
  const random = createRandom(seed);
  const encoder = new TextEncoder();
  const documents: CorpusDocument[] = [];
  for (let i = 0; i < size; i++) {
    const letter = makeLetter(random);
    documents.push({ name: `brief-${i}.txt`, format: 'text', bytes: encoder.encode(letter.text), labels: letter.labels });
    const mail = makeMail(random);
    documents.push({ name: `mail-${i}.txt`, format: 'text', bytes: encoder.encode(mail.text), labels: mail.labels });
  }
  for (let i = 0; i < Math.ceil(size / 4); i++) {
    const csv = makeTable(random);
    const text = `${csv.rows.map((r) => r.join(';')).join('\n')}\n`;
    documents.push({ name: `lijst-${i}.csv`, format: 'csv', bytes: encoder.encode(text), labels: csv.labels });
    const xlsx = makeTable(random);
    documents.push({ name: `lijst-${i}.xlsx`, format: 'xlsx', bytes: writeXlsx(xlsx.rows), labels: xlsx.labels });
    const pdf = makeLetter(random);
    documents.push({ name: `brief-${i}.pdf`, format: 'pdf', bytes: writePdf(pdf.text.split('\n')), labels: pdf.labels });
    const docx = makeMail(random);
    documents.push({ name: `mail-${i}.docx`, format: 'docx', bytes: writeDocx(docx.text.split('\n')), labels: docx.labels });
  }
  return documents;
}
