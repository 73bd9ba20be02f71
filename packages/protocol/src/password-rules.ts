/**
 * Password rules after NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules
 * (no "one capital, one digit"), and a check against known-weak and context-specific values.
 * Pure TypeScript so the browser checks while typing and a server can check the same way.
 * The browser sends only a derived secret, so these rules can only be enforced client-side.
 */

export const PASSWORD_MIN_LENGTH = 12;
/** Long enough for any passphrase; bounds the Argon2 input a page can be asked to hash. */
export const PASSWORD_MAX_LENGTH = 256;

export const PasswordProblem = {
  tooShort: 'too_short',
  tooLong: 'too_long',
  common: 'common',
  repetitive: 'repetitive',
  containsEmailName: 'contains_email_name',
} as const;
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem];

export interface PasswordContext {
  /** The account's e-mail address: its name part must not appear in the password. */
  email?: string;
  /** Other words that would be easy to guess for this account (person's or organisation's name). */
  words?: readonly string[];
}

export interface PasswordCheck {
  isAcceptable: boolean;
  problems: PasswordProblem[];
  /** Length in Unicode code points, as NIST counts it. */
  length: number;
}

/**
 * A compact list of passwords and stems that top every breach list, in Dutch and English.
 * A password equal to one of these, or one of these with digits and symbols around it
 * ("Wachtwoord2024!"), is refused.
 */
const COMMON_STEMS = new Set(
  [
    '123456 1234567 12345678 123456789 1234567890 12345678910 123123 111111 000000 654321 987654321',
    'qwerty qwertyuiop qwerty123 azerty azertyuiop asdfgh asdfghjkl zxcvbnm 1q2w3e4r 1q2w3e4r5t',
    'qazwsx password passw0rd p@ssw0rd p@ssword pass passwort wachtwoord wachtwoord1 welkom welkom01',
    'welkom123 welcome welcome1 letmein iloveyou admin administrator beheerder root login inloggen',
    'geheim secret monkey dragon master football voetbal baseball sunshine princess shadow superman',
    'batman trustno1 abc123 abcdef abcdefgh abcdefghijkl changeme default test testtest test1234',
    'guest gast lente zomer herfst winter maandag januari amsterdam rotterdam utrecht nederland',
    'holland ajax feyenoord psv hallo hello hoihoi liefde schat schatje zegel gemeente zorg',
    'correcthorsebatterystaple iloveyou123 q1w2e3r4 q1w2e3r4t5y6 qwertyqwerty password123',
    'wachtwoord123 aaaaaaaaaaaa starwars pokemon computer internet freedom whatever',
  ]
    .join(' ')
    .split(' '),
);

const SEQUENCES = [
  '0123456789',
  'abcdefghijklmnopqrstuvwxyz',
  'qwertyuiopasdfghjklzxcvbnm',
  'azertyuiopqsdfghjklmwxcvbn',
];

/** Checks a candidate password; `problems` lists every rule it breaks, in a stable order. */
export function checkPassword(password: string, context: PasswordContext = {}): PasswordCheck {
  const normalised = password.normalize('NFKC');
  const length = [...normalised].length;
  const problems: PasswordProblem[] = [];
  if (length < PASSWORD_MIN_LENGTH) problems.push(PasswordProblem.tooShort);
  if (length > PASSWORD_MAX_LENGTH) problems.push(PasswordProblem.tooLong);
  const folded = normalised.toLowerCase();
  if (isCommonPassword(folded)) problems.push(PasswordProblem.common);
  if (isRepetitive(folded)) problems.push(PasswordProblem.repetitive);
  if (containsContextWord(folded, context)) problems.push(PasswordProblem.containsEmailName);
  return { isAcceptable: problems.length === 0, problems, length };
}

function isCommonPassword(folded: string): boolean {
  const compact = folded.replace(/[\s._-]+/g, '');
  // "Welkom2024!" and "!!password" are as weak as their stem.
  const stem = compact.replace(/^[^a-z]+|[^a-z]+$/g, '');
  if (COMMON_STEMS.has(compact) || COMMON_STEMS.has(stem)) return true;
  // A common stem typed twice or more ("passwordpassword") adds no strength.
  return [compact, stem].some((text) => {
    const unit = smallestRepeatingUnit(text);
    return unit !== text && COMMON_STEMS.has(unit);
  });
}

/** One character or a short pattern over and over, or a run along the keyboard or alphabet. */
function isRepetitive(folded: string): boolean {
  const compact = folded.replace(/\s+/g, '');
  if (compact.length === 0) return false;
  if (new Set(compact).size <= 2) return true;
  if (smallestRepeatingUnit(compact).length <= 3) return true;
  // Doubled, so a run that wraps around ("789012") is found too.
  return SEQUENCES.some((sequence) => {
    const reversed = [...sequence].reverse().join('');
    return (sequence + sequence).includes(compact) || (reversed + reversed).includes(compact);
  });
}

function smallestRepeatingUnit(text: string): string {
  for (let size = 1; size <= text.length / 2; size++) {
    if (text.length % size === 0 && text.slice(0, size).repeat(text.length / size) === text)
      return text.slice(0, size);
  }
  return text;
}

/**
 * The e-mail's name part ("jan.de-vries" → "jan.de-vries", "jan", "vries") and any extra words
 * must not appear. Parts under four letters are ignored: "de" or "jan" alone would forbid too much,
 * except when the whole name part is that short.
 */
function containsContextWord(folded: string, context: PasswordContext): boolean {
  const words: string[] = [];
  const local = context.email?.split('@')[0]?.toLowerCase();
  if (local) {
    words.push(local);
    words.push(...local.split(/[^\p{L}\p{N}]+/u).filter((part) => part.length >= 4));
  }
  for (const word of context.words ?? []) {
    words.push(
      ...word
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter((part) => part.length >= 4),
    );
  }
  const compact = folded.replace(/[^\p{L}\p{N}]+/gu, '');
  return words.some((word) => {
    if (word.length < 3) return false;
    const compactWord = word.replace(/[^\p{L}\p{N}]+/gu, '');
    return folded.includes(word) || (compactWord.length >= 3 && compact.includes(compactWord));
  });
}
