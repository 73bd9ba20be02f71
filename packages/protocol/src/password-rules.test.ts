import { describe, expect, it } from 'vitest';
import { checkPassword, PASSWORD_MIN_LENGTH, PasswordProblem } from './password-rules.ts';

describe('checkPassword', () => {
  it('accepts a long passphrase without any composition rules', () => {
    const check = checkPassword('lange zin over de waddenzee', { email: 'jan.jansen@example.nl' });
    expect(check).toEqual({ isAcceptable: true, problems: [], length: 27 });
  });

  it('needs at least twelve characters, counted as code points', () => {
    expect(checkPassword('kort-wachtw').problems).toContain(PasswordProblem.tooShort);
    expect(checkPassword('x'.repeat(0)).problems).toContain(PasswordProblem.tooShort);
    // Twelve emoji are twelve characters, not 24 UTF-16 units.
    const emoji = '🐟🐙🦀🐚🐠🐡🦈🐳🐋🦭🐬🪼';
    expect(checkPassword(emoji)).toMatchObject({ isAcceptable: true, length: PASSWORD_MIN_LENGTH });
    expect(checkPassword(emoji.slice(0, -2)).problems).toEqual([PasswordProblem.tooShort]);
  });

  it('refuses passwords that are too long to hash', () => {
    expect(checkPassword('woord '.repeat(50)).problems).toContain(PasswordProblem.tooLong);
  });

  it.each([
    'Wachtwoord2024!',
    'welkom01welkom01',
    'P@ssw0rd123456',
    'QWERTYUIOP1234',
    '123456789012',
    'passwordpassword',
  ])('refuses the known-weak %s', (password) => {
    const check = checkPassword(password);
    expect(check.isAcceptable).toBe(false);
    expect(check.problems.some((p) => p === PasswordProblem.common || p === PasswordProblem.repetitive)).toBe(
      true,
    );
  });

  it('refuses one character or a short pattern repeated', () => {
    expect(checkPassword('aaaaaaaaaaaaaa').problems).toContain(PasswordProblem.repetitive);
    expect(checkPassword('abcabcabcabc').problems).toContain(PasswordProblem.repetitive);
    expect(checkPassword('abcdefghijklmn').problems).toContain(PasswordProblem.repetitive);
  });

  it('refuses a password containing the name in the e-mail address', () => {
    const email = 'marieke.de-boer@gemeente.nl';
    expect(checkPassword('Marieke heeft een fiets', { email }).problems).toEqual([
      PasswordProblem.containsEmailName,
    ]);
    expect(checkPassword('ik ben mariekedeboer', { email }).problems).toEqual([
      PasswordProblem.containsEmailName,
    ]);
    expect(checkPassword('de fiets en de boot!', { email }).problems).toEqual([]);
    expect(checkPassword('een lange veilige zin', { email }).isAcceptable).toBe(true);
  });

  it('refuses extra context words such as the organisation name', () => {
    expect(checkPassword('voorbeeld is mijn werk', { words: ['Gemeente Voorbeeld'] }).problems).toEqual([
      PasswordProblem.containsEmailName,
    ]);
  });

  it('lists every broken rule at once', () => {
    expect(checkPassword('jan12', { email: 'jan@x.nl' }).problems).toEqual([
      PasswordProblem.tooShort,
      PasswordProblem.containsEmailName,
    ]);
  });
});
