import { sampleCareReport } from '@zegel/protocol/reports';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { renderCareReportPdf } from './report-pdf.ts';

const meta = {
  reportId: 'ZM-2026-0001',
  meldpunt: 'Meldpunt Zorg Utrecht',
  createdAt: new Date('2026-12-01T10:00:00Z'),
};

/** Every indirect object of an uncompressed PDF, by number. */
function objectsOf(pdf: string): Map<number, string> {
  const objects = new Map<number, string>();
  for (const match of pdf.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g))
    objects.set(Number(match[1]), match[2] as string);
  return objects;
}

type StructNode = { role?: string; children?: StructNode[] };
const rolesOf = (node: StructNode): string[] => [
  ...(node.role ? [node.role] : []),
  ...(node.children ?? []).flatMap(rolesOf),
];

describe('the care report PDF', () => {
  it('is tagged, has its language and a shown title, and embeds every font', async () => {
    const pdf = Buffer.from(await renderCareReportPdf(sampleCareReport, meta, { compress: false })).toString(
      'latin1',
    );
    const objects = objectsOf(pdf);
    const catalog = [...objects.values()].find((o) => o.includes('/Type /Catalog')) ?? '';
    /** A catalog entry, inline or through its reference. */
    const entry = (key: string) => {
      const ref = new RegExp(`/${key} (\\d+) 0 R`).exec(catalog);
      return ref
        ? (objects.get(Number(ref[1])) ?? '')
        : (new RegExp(`/${key} ([^\\n]*)`).exec(catalog)?.[1] ?? '');
    };
    expect(entry('StructTreeRoot')).toContain('/Type /StructTreeRoot');
    expect(entry('MarkInfo')).toMatch(/\/Marked true/);
    expect(entry('Lang')).toBe('(nl-NL)');
    expect(entry('ViewerPreferences')).toMatch(/\/DisplayDocTitle true/);
    const fonts = [...objects.values()].filter(
      (o) => /\/Type \/Font\b/.test(o) && !/\/Subtype \/Type0/.test(o),
    );
    const descriptors = [...objects.values()].filter((o) => /\/Type \/FontDescriptor/.test(o));
    expect(fonts.length).toBeGreaterThan(0);
    for (const font of fonts) expect(font).toMatch(/\/FontDescriptor \d+ 0 R/);
    for (const descriptor of descriptors) expect(descriptor).toMatch(/\/FontFile[23]? \d+ 0 R/);
  });

  it('fails these checks when rendered untagged (the benchmark baseline)', async () => {
    const pdf = Buffer.from(
      await renderCareReportPdf(sampleCareReport, meta, { compress: false, tagged: false }),
    ).toString('latin1');
    expect(pdf).not.toContain('/StructTreeRoot');
    expect(pdf).not.toContain('/Marked true');
  });

  it('reads in order: the structure tree and the extracted text follow the form', async () => {
    const bytes = await renderCareReportPdf(sampleCareReport, meta);
    const document = await getDocumentProxy(new Uint8Array(bytes));
    const { info } = (await document.getMetadata()) as { info: { Title?: string; Language?: string } };
    expect(info.Title).toBe('Zorgmelding niet-acute zorg aan Meldpunt Zorg Utrecht');
    expect(info.Language).toBe('nl-NL');
    const tree = (await (await document.getPage(1)).getStructTree()) as StructNode;
    const roles = rolesOf(tree);
    expect(roles.filter((r) => r === 'H1')).toHaveLength(1);
    expect(roles.filter((r) => r === 'H2').length).toBeGreaterThanOrEqual(6);
    const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
    const order = [
      'Zorgmelding niet-acute zorg',
      'Betrokkene',
      'Naam: Pieter de Jansen',
      'BSN: 111222333',
      'Incident',
      'Zorgelijke situatie',
      'Signalen: verward gedrag, vervuilde woning, eenzaamheid',
      'Informeren van de betrokkene',
      'Verzoek aan het meldpunt',
      'Melder',
      'Eenheid of basisteam: Basisteam Utrecht-Centrum',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('Geïnformeerd: ja');
  });
});
