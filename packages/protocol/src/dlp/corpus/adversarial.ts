/**
 * The inputs that make naive scanners quadratic or exponential: megabyte lines without a
 * break, long digit runs, near-miss repetitions of every pattern, nested brackets.
 */
export const adversarial: Record<string, (size: number) => string> = {
  'one long digit run': (n) => '1'.repeat(n),
  'digits and single spaces': (n) => '12 '.repeat(n / 3),
  'dotted digit groups': (n) => '1234.56.'.repeat(n / 8),
  'IBAN prefixes': (n) => 'NL91 ABNA '.repeat(n / 10),
  'IBAN prefix glued': (n) => 'NL91'.repeat(n / 4),
  'letters without a break': (n) => 'a'.repeat(n),
  'local parts before one @': (n) => `${'a.'.repeat(n / 2)}@`,
  'many @': (n) => 'a@b'.repeat(n / 3),
  'domain run': (n) => `x@${'a-'.repeat(n / 2)}`,
  'phone near misses': (n) => '+31 6 1234 '.repeat(n / 11),
  'zeros and dashes': (n) => '0-0-'.repeat(n / 4),
  'postcode near misses': (n) => '1234 AB '.repeat(n / 8),
  'nested brackets': (n) => '(('.repeat(n / 4) + '))'.repeat(n / 4),
  'labels everywhere': (n) => 'BSN geboren tel AGB '.repeat(n / 20),
  'labelled valid BSNs': (n) => 'BSN 123456782 '.repeat(n / 14),
  'vocabulary with persons': (n) => 'mevrouw diabetes hij '.repeat(n / 21),
  'csv row': (n) => `bsn;naam\n${'999911120;'.repeat(n / 10)}`,
  'dates with labels': (n) => 'geboren 12-12-1980 '.repeat(n / 19),
  'document numbers': (n) => 'paspoort NXC3RJ0H1 '.repeat(n / 19),
};

