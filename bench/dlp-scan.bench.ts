/**
 * DLP scanning throughput on mixed Dutch text (the evaluation corpus's letters, mails and
 * tables, repeated to 4 MiB), against a single plain regular-expression pass over the same
 * text in the same run (one `\d{9}` sweep: the least any digit-based scanner must do). The
 * ratio says what the full engine (ten detectors, labels, vocabulary) costs on top of that.
 */
import { generateCorpus } from '../packages/protocol/src/dlp/corpus/generate-corpus.ts';
import { scanText } from '../packages/protocol/src/dlp/index.ts';

const decoder = new TextDecoder();
const pieces = generateCorpus()
  .filter((d) => d.format === 'text' || d.format === 'csv')
  .map((d) => decoder.decode(d.bytes));
let text = '';
for (let i = 0; text.length < 4 * 1024 * 1024; i++) text += `${pieces[i % pieces.length]}\n\n`;
const megabytes = new TextEncoder().encode(text).length / 1024 / 1024;

function measure(run: () => number): { mbPerSecond: number; result: number } {
  run();
  let best = Number.POSITIVE_INFINITY;
  let result = 0;
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    result = run();
    best = Math.min(best, performance.now() - started);
  }
  return { mbPerSecond: megabytes / (best / 1000), result };
}

const baseline = measure(() => {
  let count = 0;
  for (const _ of text.matchAll(/\d{9}/g)) count++;
  return count;
});
const scan = measure(() => scanText(text).length);

console.log(`mixed text: ${megabytes.toFixed(1)} MiB, ${scan.result} findings`);
console.log(`plain regex pass (\\d{9}): ${baseline.mbPerSecond.toFixed(1)} MB/s`);
console.log(`scanText (all detectors): ${scan.mbPerSecond.toFixed(1)} MB/s`);
console.log(
  `ratio scanText / plain regex: ${(scan.mbPerSecond / baseline.mbPerSecond).toFixed(3)} (the scan is ${(baseline.mbPerSecond / scan.mbPerSecond).toFixed(1)}× slower)`,
);
