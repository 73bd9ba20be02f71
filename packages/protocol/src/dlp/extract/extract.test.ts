import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { writeDocx, writePdf, writeXlsx } from '../corpus/writers.ts';
import { detectFormat, extractAttachmentText } from './index.ts';
import { decodeXmlEntities } from './xml-text.ts';

const lines = ['Geachte mevrouw Müller,', 'BSN 123456782 & IBAN <NL91 ABNA 0417 1643 00>'];

describe('extractAttachmentText', () => {
  it('reads PDF, DOCX and XLSX produced in the real formats', async () => {
    expect(await extractAttachmentText(writePdf(lines))).toEqual({
      status: 'ok',
      format: 'pdf',
      text: lines.join('\n'),
    });
    const docx = await extractAttachmentText(writeDocx(lines));
    expect(docx).toMatchObject({ status: 'ok', format: 'docx' });
    expect(docx.status === 'ok' && docx.text.trim()).toBe(lines.join('\n'));
    const xlsx = await extractAttachmentText(
      writeXlsx([
        ['Naam', 'BSN'],
        ['Piet', '999911120'],
        ['', 'x&y'],
      ]),
    );
    expect(xlsx).toEqual({ status: 'ok', format: 'xlsx', text: 'Naam\tBSN\nPiet\t999911120\n\tx&y' });
  });
  it('reads CSV and text in UTF-8, UTF-16 and Windows-1252', async () => {
    expect(await extractAttachmentText(strToU8('a;b\n1;2'), 'lijst.CSV')).toEqual({
      status: 'ok',
      format: 'csv',
      text: 'a;b\n1;2',
    });
    const utf16 = new Uint8Array([0xff, 0xfe, 0x41, 0, 0xe9, 0]);
    expect(await extractAttachmentText(utf16)).toEqual({ status: 'ok', format: 'text', text: 'Aé' });
    expect(await extractAttachmentText(new Uint8Array([0x43, 0x6c, 0x69, 0xeb, 0x6e, 0x74]))).toEqual({
      status: 'ok',
      format: 'text',
      text: 'Cliënt',
    });
    expect(await extractAttachmentText(new Uint8Array())).toEqual({ status: 'ok', format: 'text', text: '' });
  });
  it('says clearly why a damaged, encrypted-looking or unknown file cannot be scanned', async () => {
    expect(await extractAttachmentText(strToU8('%PDF-1.7 nothing else'))).toMatchObject({
      status: 'unreadable',
      format: 'pdf',
      reason: 'corrupt',
    });
    const ole = new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    expect(await extractAttachmentText(ole, 'geheim.docx')).toMatchObject({
      status: 'unreadable',
      reason: 'unsupported_format',
    });
    expect(await extractAttachmentText(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0]))).toMatchObject({
      reason: 'unsupported_format',
    });
    const plainZip = zipSync({ 'readme.txt': strToU8('hallo') });
    expect(await extractAttachmentText(plainZip)).toMatchObject({ status: 'unreadable', format: 'unknown' });
    const brokenDocx = writeDocx(lines).slice(0, 200);
    expect(await extractAttachmentText(brokenDocx)).toMatchObject({ status: 'unreadable' });
    const noBody = zipSync({ 'word/document.xml': strToU8(''), 'word/styles.xml': strToU8('') });
    expect(detectFormat(noBody)).toBe('docx');
    const noSheets = zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') });
    expect(await extractAttachmentText(noSheets)).toMatchObject({
      status: 'unreadable',
      format: 'xlsx',
      reason: 'corrupt',
    });
  });
  it('reports a PDF without a text layer as no_text, not as clean', async () => {
    expect(await extractAttachmentText(writePdf([]))).toMatchObject({
      status: 'unreadable',
      reason: 'no_text',
    });
  });
  it('refuses a zip bomb by its declared size before inflating it', async () => {
    const bomb = zipSync({ 'word/document.xml': new Uint8Array(65 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(await extractAttachmentText(bomb)).toMatchObject({ status: 'unreadable', reason: 'too_large' });
  });
});

describe('decodeXmlEntities', () => {
  it('decodes named and numeric entities and leaves unknown or out-of-range ones alone', () => {
    expect(decodeXmlEntities('&lt;a&gt; &amp; &#233; &#xE9; &nbsp; &#x110000;')).toBe(
      '<a> & é é &nbsp; &#x110000;',
    );
  });
});
