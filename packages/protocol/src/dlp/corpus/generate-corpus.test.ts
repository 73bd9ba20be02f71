import { describe, expect, it } from 'vitest';
import { isValidBsn, isValidIban } from '../checksums.ts';
import { generateCorpus } from './generate-corpus.ts';

describe('generateCorpus', () => {
  it('is deterministic and labels only real-format identifiers', () => {
    const first = generateCorpus(7, 8);
    const second = generateCorpus(7, 8);
    expect(first.map((d) => [d.name, d.bytes.length])).toEqual(second.map((d) => [d.name, d.bytes.length]));
    expect(generateCorpus(8, 8).map((d) => d.bytes.length)).not.toEqual(first.map((d) => d.bytes.length));
    const labels = first.flatMap((d) => d.labels);
    const bsns = labels.filter((l) => l.type === 'bsn');
    const ibans = labels.filter((l) => l.type === 'iban');
    expect(bsns.length).toBeGreaterThan(10);
    for (const { value } of bsns) expect(isValidBsn(value.replace(/\./g, '')), value).toBe(true);
    for (const { value } of ibans) expect(isValidIban(value), value).toBe(true);
    expect(new Set(first.map((d) => d.format))).toEqual(new Set(['text', 'csv', 'xlsx', 'pdf', 'docx']));
  });
});
