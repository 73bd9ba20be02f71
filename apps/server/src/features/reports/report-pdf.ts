import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CareReport, ReportSignal } from '@zegel/protocol/api';

/** Noto Sans (OFL) is embedded, as PDF/UA requires of every font; the standard 14 are not. */
// WOFF 1, not WOFF2: fontkit's subsetter breaks on WOFF2 composite glyphs (ë, ï, ö).
const fontFile = (weight: 400 | 700) =>
  readFileSync(
    fileURLToPath(import.meta.resolve(`@fontsource/noto-sans/files/noto-sans-latin-${weight}-normal.woff`)),
  );
// Read at the first report, not at start.
let fonts: { regular: Buffer; bold: Buffer } | undefined;
const loadFonts = () => {
  fonts ??= { regular: fontFile(400), bold: fontFile(700) };
  return fonts;
};

const SIGNALS: Record<ReportSignal, string> = {
  confused_behaviour: 'verward gedrag',
  neglect: 'verwaarlozing',
  polluted_home: 'vervuilde woning',
  loneliness: 'eenzaamheid',
  addiction: 'verslaving',
  debts: 'schulden',
  other: 'anders',
};

const KINDS = { NAZ: 'niet-acute zorg', VT: 'Veilig Thuis', ZVH: 'Zorg- en Veiligheidshuis' } as const;

const time = (iso: string) =>
  new Date(iso).toLocaleString('nl-NL', {
    timeZone: 'Europe/Amsterdam',
    dateStyle: 'long',
    timeStyle: 'short',
  });
const yesNo = (value: boolean) => (value ? 'ja' : 'nee');

/** What the PDF says beyond the form: where it goes and when it was made. */
export interface CareReportPdfMeta {
  reportId: string;
  meldpunt: string;
  createdAt: Date;
}

type Field = [label: string, value: string | undefined];
type Section = [heading: string, fields: Field[]];

function personName(n: CareReport['person']['name']): string {
  return [n.givenNames ?? n.initials, n.prefix, n.surname].filter(Boolean).join(' ');
}

function addressLine(a: CareReport['person']['address']): string {
  const number = `${a.houseNumber}${a.houseLetter ?? ''}${a.addition ? ` ${a.addition}` : ''}`;
  return [[a.street, number].filter(Boolean).join(' '), [a.postcode, a.city].filter(Boolean).join(' ')].join(
    ', ',
  );
}

/** The report's fields in reading order, grouped as the form groups them. */
export function reportSections(report: CareReport): Section[] {
  const { person, incident, situation, informing, request, reporter } = report;
  return [
    [
      'Betrokkene',
      [
        ['Naam', personName(person.name)],
        ['BSN', person.bsn],
        ['Geboortedatum', person.dateOfBirth],
        ['Geslacht', person.gender],
        ['Adres', addressLine(person.address)],
        ['Contact', person.contact.map((c) => c.value).join(', ') || undefined],
        [
          'Anderen betrokken',
          person.othersInvolved
            .map((o) => `${o.name} (${o.relation}${o.isMinor ? ', minderjarig' : ''})`)
            .join('; ') || undefined,
        ],
      ],
    ],
    [
      'Incident',
      [
        ['Datum en tijd', time(incident.occurredAt)],
        ['Plaats', incident.location],
        ['Omschrijving', incident.description],
      ],
    ],
    [
      'Zorgelijke situatie',
      [
        ['Situatieschets', situation.sketch],
        ['Nadere omschrijving', situation.details],
        ['Signalen', situation.signals.map((s) => SIGNALS[s]).join(', ')],
        ['Veiligheidsrisico voor hulpverleners', yesNo(situation.safetyRisk)],
        ['Toelichting risico', situation.safetyRiskNote],
        ['Minderjarigen in het huishouden', yesNo(situation.minorsInHousehold)],
        ['Huiselijk geweld', yesNo(situation.domesticViolence)],
      ],
    ],
    [
      'Informeren van de betrokkene',
      [
        ['Geïnformeerd', yesNo(informing.informed)],
        ['Hoe', informing.how],
        ['Reden niet geïnformeerd', informing.reasonNotInformed],
        ['Reactie', informing.reaction],
      ],
    ],
    [
      'Verzoek aan het meldpunt',
      [
        ['Verzoek', request.text],
        ['Terugkoppeling gewenst', yesNo(request.feedbackWanted)],
      ],
    ],
    [
      'Melder',
      [
        ['Naam', reporter.name],
        ['Eenheid of basisteam', reporter.unit],
        ['Telefoon', reporter.phone],
        ['E-mail', reporter.email],
        ['Bereikbaar tot', reporter.reachableUntil && time(reporter.reachableUntil)],
      ],
    ],
    ['Bijlagen', report.attachments.map((a): Field => ['Bestand', a.name])],
  ];
}

/**
 * The report as an accessible PDF (PDF/UA-minded) for the e-mail channel: a tagged structure tree
 * (Document → Sect → H1/H2/P) in reading order, MarkInfo Marked, document language `nl-NL`, a
 * title shown in the window bar, and only an embedded font. `tagged: false` renders the same text
 * untagged, for the benchmark's ratio.
 */
export async function renderCareReportPdf(
  report: CareReport,
  meta: CareReportPdfMeta,
  options: { compress?: boolean; tagged?: boolean } = {},
): Promise<Uint8Array> {
  const tagged = options.tagged ?? true;
  // pdfkit (some 14 MB resident) is loaded at the first PDF, not at start.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged,
    lang: 'nl-NL',
    displayTitle: true,
    compress: options.compress ?? true,
    info: {
      Title: `Zorgmelding ${KINDS[report.kind]} aan ${meta.meldpunt}`,
      Creator: 'Zegel',
      Author: report.reporter.unit,
    },
  });
  const { regular, bold } = loadFonts();
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  doc.font('regular');
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));
  const block = (parent: PDFKit.PDFStructureElement | null, type: string, draw: () => void) => {
    if (!parent) return draw();
    parent.add(doc.struct(type, {}, draw));
  };
  const section = tagged ? doc.struct('Sect') : null;
  if (section) doc.addStructure(section);
  block(section, 'H1', () => doc.font('bold').fontSize(18).text(`Zorgmelding ${KINDS[report.kind]}`));
  block(section, 'P', () =>
    doc
      .font('regular')
      .fontSize(10)
      .text(
        `Aan ${meta.meldpunt} · melding ${meta.reportId} · opgemaakt ${time(meta.createdAt.toISOString())}`,
      ),
  );
  for (const [heading, fields] of reportSections(report)) {
    const shown = fields.filter((f): f is [string, string] => Boolean(f[1]));
    if (shown.length === 0) continue;
    block(section, 'H2', () => doc.moveDown().font('bold').fontSize(13).text(heading));
    for (const [label, value] of shown)
      block(section, 'P', () => doc.font('regular').fontSize(10).text(`${label}: ${value}`));
  }
  section?.end();
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
