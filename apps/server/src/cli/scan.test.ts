import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeDocx, writePdf, writeXlsx } from '../../../../packages/protocol/src/dlp/corpus/writers.ts';
import { runCli } from './main.ts';

async function scan(args: string[], input: string | Uint8Array = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: '', err: '' };
  out.on('data', (c) => {
    chunks.out += c;
  });
  err.on('data', (c) => {
    chunks.err += c;
  });
  const code = await runCli(['scan', ...args], { out, err, in: Readable.from([Buffer.from(input)]) });
  return {
    code,
    ...chunks,
    lines: chunks.out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l)),
  };
}

const directory = mkdtempSync(join(tmpdir(), 'zegel-scan-'));
function file(name: string, bytes: Uint8Array | string): string {
  const path = join(directory, name);
  writeFileSync(path, bytes);
  return path;
}

const letter = ['Geachte heer De Vries,', 'Uw BSN is 123456782.', 'Rekening NL91 ABNA 0417 1643 00.'];

describe('zegel scan', () => {
  it('prints one JSON object per finding and exits 1 when something is found (standard input)', async () => {
    const result = await scan(['-'], letter.join('\n'));
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      { type: 'bsn', start: 33, end: 42, confidence: 0.97, rule: 'bsn.elfproef+label' },
      { type: 'iban', start: 53, end: 75, confidence: 0.99, rule: 'iban.mod97.nl' },
    ]);
    expect(result.out).not.toContain('NL91');
  });
  it('exits 0 and prints nothing for a harmless text, also without a FILE argument', async () => {
    expect(await scan([], 'Tot morgen!\nOrdernummer 123456782')).toMatchObject({ code: 0, out: '' });
  });
  it('reads PDF, DOCX and XLSX files through extraction', async () => {
    for (const [name, bytes] of [
      ['brief.pdf', writePdf(letter)],
      ['brief.docx', writeDocx(letter)],
      [
        'lijst.xlsx',
        writeXlsx([
          ['Naam', 'BSN'],
          ['Piet', '999911120'],
        ]),
      ],
    ] as const) {
      const result = await scan([file(name, bytes)]);
      expect(result.code, name).toBe(1);
      expect(result.lines[0].type, name).toBe('bsn');
    }
  });
  it('exits 2 with a message for a missing file, an unreadable file and wrong usage', async () => {
    const missing = await scan([join(directory, 'does-not-exist.txt')]);
    expect(missing).toMatchObject({ code: 2, out: '' });
    expect(missing.err).toMatch(/cannot read .*ENOENT/);
    const broken = await scan([file('kapot.pdf', '%PDF-1.4 garbage')]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(/could not be scanned: corrupt/);
    const binary = await scan([file('plaatje.bin', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]))]);
    expect(binary.err).toMatch(/unsupported_format/);
    expect((await scan(['a.txt', 'b.txt'])).code).toBe(2);
    expect((await scan(['--min-confidence', '7', '-'])).code).toBe(2);
    expect((await scan(['--nope'])).code).toBe(2);
  });
  it('honours --min-confidence', async () => {
    expect((await scan(['--min-confidence', '0.9', '-'], 'Nummer 999911120')).code).toBe(0);
    expect((await scan(['--min-confidence', '0.5', '-'], 'Nummer 999911120')).code).toBe(1);
  });
  it('works as the real `npx zegel scan` command', () => {
    const path = file('brief.txt', letter.join('\n'));
    const result = spawnSync('npx', ['zegel', 'scan', path], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(1);
    expect(
      result.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).type),
    ).toEqual(['bsn', 'iban']);
  });
});
