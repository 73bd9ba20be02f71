import { describe, expect, it } from 'vitest';
import { cleanFileName } from './file-names.ts';

describe('cleanFileName', () => {
  it('leaves an ordinary name alone', () => {
    expect(cleanFileName('Beschikking 2026-11 (definitief).pdf')).toEqual({
      name: 'Beschikking 2026-11 (definitief).pdf',
      warnings: [],
    });
  });

  it('removes a right-to-left override that disguises an executable', () => {
    const result = cleanFileName('factuur\u202Efdp.exe');
    expect(result.name).toBe('factuurfdp.exe');
    expect(result.warnings).toEqual(['hidden_characters', 'executable']);
  });

  it('removes isolates, marks and zero-width characters', () => {
    expect(cleanFileName('rap\u2067port\u2069\u200B.docx\u200E').name).toBe('rapport.docx');
  });

  it('flags Cyrillic look-alikes mixed into a Latin name', () => {
    expect(cleanFileName('p\u0430yp\u0430l.pdf').warnings).toContain('mixed_scripts');
    expect(cleanFileName('Москва.pdf').warnings).toEqual([]);
  });

  it('flags a double extension ending in an executable', () => {
    expect(cleanFileName('scan.pdf.exe').warnings).toEqual(['double_extension', 'executable']);
  });

  it('never yields a path, a hidden file, a device name or an empty name', () => {
    expect(cleanFileName('../../etc/passwd').name).toBe('_.._etc_passwd');
    expect(cleanFileName('..\\windows\\system.ini').name).toBe('_windows_system.ini');
    expect(cleanFileName('.bashrc').name).toBe('bashrc');
    expect(cleanFileName('CON.txt').name).toBe('_CON.txt');
    expect(cleanFileName('\u202E\u200B  ').name).toBe('bijlage');
    expect(cleanFileName('line\nbreak\u0000.txt').name).toBe('linebreak.txt');
  });

  it('shortens very long names but keeps the extension', () => {
    const result = cleanFileName(`${'a'.repeat(500)}.pdf`);
    expect(result.name).toHaveLength(200);
    expect(result.name.endsWith('.pdf')).toBe(true);
  });
});
