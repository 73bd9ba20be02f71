import type { DeliveryReport } from '@zegel/protocol/api';

const EVENT_LABELS: Record<string, string> = {
  sent: 'verzonden',
  delivered: 'afgeleverd bij de mailserver',
  bounced: 'onbestelbaar',
  verified: 'identiteit bevestigd',
  opened: 'geopend',
  downloaded: 'bijlage gedownload',
  replied: 'beantwoord',
  revoked: 'ingetrokken',
  locked: 'tijdelijk geblokkeerd na onjuiste codes',
  unlocked: 'ontgrendeld door de afzender',
  no_code: 'meldt geen code te hebben',
  expired: 'verlopen',
  expiry_changed: 'vervaldatum gewijzigd',
};

const time = (iso: string | null) =>
  iso
    ? new Date(iso).toLocaleString('nl-NL', {
        timeZone: 'Europe/Amsterdam',
        dateStyle: 'medium',
        timeStyle: 'medium',
      })
    : '—';

/**
 * The proof-of-delivery report as a tagged PDF (structure tree, language, title shown), so
 * screen readers can follow it. It holds metadata only, never message content: the server has none.
 */
export async function renderDeliveryReportPdf(
  report: DeliveryReport,
  options: { compress?: boolean } = {},
): Promise<Uint8Array> {
  // pdfkit (some 14 MB resident) is loaded at the first PDF, not at start.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    pdfVersion: '1.7',
    tagged: true,
    lang: 'nl-NL',
    displayTitle: true,
    compress: options.compress ?? true,
    info: {
      Title: `Bewijs van aflevering ${report.conversationId}`,
      Author: report.organisation,
      Creator: 'Zegel',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve) => doc.on('end', () => resolve()));

  const section = doc.struct('Sect');
  doc.addStructure(section);
  section.add(
    doc.struct('H1', {}, () => doc.font('Helvetica-Bold').fontSize(18).text('Bewijs van aflevering')),
  );
  section.add(
    doc.struct('P', {}, () =>
      doc
        .font('Helvetica')
        .fontSize(10)
        .moveDown(0.5)
        .text(`${report.organisation} · afzender ${report.sender.name}`)
        .text(`Gesprek ${report.conversationId}`)
        .text(
          `Verzonden ${time(report.createdAt)} · verloopt ${time(report.expiresAt)} · opgemaakt ${time(report.generatedAt)}`,
        ),
    ),
  );
  section.add(
    doc.struct('H2', {}, () => doc.moveDown().font('Helvetica-Bold').fontSize(13).text('Ontvangers')),
  );
  const recipients = doc.struct('L');
  section.add(recipients);
  for (const p of report.participants) {
    recipients.add(
      doc.struct('LI', {}, () =>
        doc
          .font('Helvetica')
          .fontSize(10)
          .text(
            `${p.name} (${p.role}, ${p.kind === 'guest' ? `externe ontvanger, ${p.method ?? ''}` : p.kind}): ` +
              `verzonden ${time(p.sentAt)}, afgeleverd ${time(p.deliveredAt)}, geopend ${time(p.openedAt)}` +
              (p.bouncedAt ? `, onbestelbaar ${time(p.bouncedAt)}` : '') +
              (p.revokedAt ? `, ingetrokken ${time(p.revokedAt)}` : '') +
              `, bijlagen gedownload: ${p.downloads.length}` +
              (p.fileDownloads.length ? `, bestanden gedownload: ${p.fileDownloads.length}` : ''),
          ),
      ),
    );
  }
  recipients.end();
  section.add(
    doc.struct('H2', {}, () => doc.moveDown().font('Helvetica-Bold').fontSize(13).text('Gebeurtenissen')),
  );
  const events = doc.struct('L');
  section.add(events);
  for (const e of report.events) {
    events.add(
      doc.struct('LI', {}, () =>
        doc
          .font('Helvetica')
          .fontSize(9)
          .text(
            `${time(e.at)} · ${EVENT_LABELS[e.type] ?? e.type}${e.recipient ? ` · ${e.recipient}` : ''}${e.attachmentId ? ` · bijlage ${e.attachmentId}` : ''}${e.fileId ? ` · bestand ${e.fileId}` : ''}`,
          ),
      ),
    );
  }
  events.end();
  section.end();
  doc.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}
