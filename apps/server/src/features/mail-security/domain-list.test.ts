import { describe, expect, it } from 'vitest';
import { csvCell, parseDomainList } from './domain-list.ts';

const domains = (text: string) => {
  const result = parseDomainList(text, 500);
  if (!result.ok) throw new Error(result.reason);
  return result.entries.map((e) => [e.line, e.domain ?? e.error]);
};

describe('parseDomainList', () => {
  it('reads a comma CSV with a BOM, a Domain header in another column and quoted fields with newlines', () => {
    const text = '\uFEFFName,Domain\r\n"Politie\r\nMidden",politie.nl\r\nGGD,"ggd.nl"\r\n';
    expect(domains(text)).toEqual([
      [2, 'politie.nl'],
      [4, 'ggd.nl'],
    ]);
  });

  it('reads a tab-separated export and counts duplicates', () => {
    const result = parseDomainList('domein\tnaam\nA.nl\tA\na.nl.\tA again\n', 500);
    expect(result).toMatchObject({ ok: true, duplicates: 1, entries: [{ line: 2, domain: 'a.nl' }] });
  });

  it('keeps an invalid line as an entry with its reason', () => {
    expect(domains('good.nl\nbad name.nl\nxn--bcher-kva.nl\nbücher.nl\n')).toEqual([
      [1, 'good.nl'],
      [2, expect.stringMatching(/not a domain name/)],
      [3, 'xn--bcher-kva.nl'],
    ]);
  });

  it('refuses a list longer than the limit', () => {
    expect(parseDomainList('a.nl\nb.nl\nc.nl', 2)).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/more than 2/),
    });
  });
});

describe('csvCell', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(null)).toBe('');
  });
});
