/**
 * `npm run eval:dlp`: precision and recall of every detector on the synthetic corpus
 * (packages/protocol/src/dlp/corpus), generated deterministically here. Exits 1 when a detector
 * is below its target: 0.99/0.99 for BSN and IBAN, 0.9/0.9 for the others.
 * `--write DIR` also writes the corpus files and their labels, to look at or to feed `zegel scan`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCorpus } from '../packages/protocol/src/dlp/corpus/generate-corpus.ts';
import {
  extractAttachmentText,
  type FindingType,
  findingTypes,
  scanText,
} from '../packages/protocol/src/dlp/index.ts';

const { values } = parseArgs({ options: { write: { type: 'string' }, verbose: { type: 'boolean' } } });
const corpus = generateCorpus();
const targets: Record<FindingType, number> = Object.fromEntries(
  findingTypes.map((t) => [t, t === 'bsn' || t === 'iban' ? 0.99 : 0.9]),
) as Record<FindingType, number>;
const tally = Object.fromEntries(findingTypes.map((t) => [t, { tp: 0, fp: 0, fn: 0, labels: 0 }]));
let characters = 0;

for (const document of corpus) {
  const extracted = await extractAttachmentText(document.bytes, document.name);
  if (extracted.status !== 'ok') {
    console.error(`${document.name}: could not be read (${extracted.reason})`);
    process.exit(2);
  }
  const text = extracted.text;
  characters += text.length;
  const spans: { type: FindingType; start: number; end: number; hit: boolean }[] = [];
  let cursor = 0;
  for (const label of document.labels) {
    const start = text.indexOf(label.value, cursor);
    if (start === -1) {
      console.error(`${document.name}: labelled value of type ${label.type} not in the extracted text`);
      process.exit(2);
    }
    spans.push({ type: label.type, start, end: start + label.value.length, hit: false });
    cursor = start + label.value.length;
  }
  for (const finding of scanText(text)) {
    const match = spans.find(
      (s) => s.type === finding.type && s.start < finding.end && finding.start < s.end,
    );
    if (match) {
      match.hit = true;
      tally[finding.type]!.tp++;
    } else {
      tally[finding.type]!.fp++;
      if (values.verbose) {
        console.log(
          `FP ${document.name} ${finding.rule} ${JSON.stringify(text.slice(finding.start - 30, finding.end + 10))}`,
        );
      }
    }
  }
  for (const span of spans) {
    tally[span.type]!.labels++;
    if (!span.hit) {
      tally[span.type]!.fn++;
      if (values.verbose) {
        console.log(
          `FN ${document.name} ${span.type} ${JSON.stringify(text.slice(span.start - 30, span.end + 10))}`,
        );
      }
    }
  }
}

if (values.write !== undefined) {
  mkdirSync(values.write, { recursive: true });
  for (const document of corpus) {
    writeFileSync(join(values.write, document.name), document.bytes);
    writeFileSync(
      join(values.write, `${document.name}.labels.json`),
      `${JSON.stringify(document.labels, null, 1)}\n`,
    );
  }
}

console.log(`DLP evaluation: ${corpus.length} documents, ${(characters / 1024).toFixed(0)} KiB of text\n`);
console.log('detector          labels  found  precision  recall  target  ok');
let failed = false;
for (const type of findingTypes) {
  const { tp, fp, fn, labels } = tally[type]!;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : (labels - fn) / labels;
  const ok = precision >= targets[type] && recall >= targets[type] && labels > 0;
  if (!ok) failed = true;
  console.log(
    `${type.padEnd(17)} ${String(labels).padStart(6)} ${String(tp + fp).padStart(6)} ${precision.toFixed(3).padStart(10)} ${recall.toFixed(3).padStart(7)} ${targets[type].toFixed(2).padStart(7)}  ${ok ? 'yes' : 'NO'}`,
  );
}
process.exit(failed ? 1 : 0);
