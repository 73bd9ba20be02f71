/**
 * The police care report's accessible PDF (issue 16): the time to render it tagged (structure
 * tree, MarkInfo, language, title, embedded fonts) against the same text untagged, in the same
 * run. Medians over BENCH_ROUNDS (default 20) alternating rounds.
 */
import { renderCareReportPdf } from '../apps/server/src/features/reports/report-pdf.ts';
import { sampleCareReport } from '../packages/protocol/src/reports/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const meta = { reportId: 'ZM-BENCH', meldpunt: 'Meldpunt Zorg Utrecht', createdAt: new Date() };

async function timed(tagged: boolean): Promise<number> {
  const started = performance.now();
  await renderCareReportPdf(sampleCareReport, meta, { tagged });
  return performance.now() - started;
}

await timed(true);
await timed(false);
const tagged: number[] = [];
const plain: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  tagged.push(await timed(true));
  plain.push(await timed(false));
}
const [t, p] = [median(tagged), median(plain)];
console.log(
  `care report PDF: tagged ${t.toFixed(1)} ms, untagged ${p.toFixed(1)} ms, ratio ${(t / p).toFixed(2)}`,
);
