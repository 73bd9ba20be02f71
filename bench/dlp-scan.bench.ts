/**
 * DLP scanning throughput on mixed Dutch text (the evaluation corpus's letters, mails and
 * tables, repeated to 4 MiB), against a single plain regular-expression pass over the same
 * text in the same run (one `\d{9}` sweep: the least any digit-based scanner must do). The
 * ratio says what the full engine (ten detectors, labels, vocabulary) costs on top of that.
 * Rounds alternate baseline and scan, so load from other processes falls on both alike; the
 * figures are medians over the rounds (BENCH_ROUNDS, default 9).
 */
import { generateCorpus } from '../packages/protocol/src/dlp/corpus/generate-corpus.ts';
import { scanText } from '../packages/protocol/src/dlp/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const decoder = new TextDecoder();
const pieces = generateCorpus()
  .filter((d) => d.format === 'text' || d.format === 'csv')
  .map((d) => decoder.decode(d.bytes));
let text = '';
for (let i = 0; text.length < 4 * 1024 * 1024; i++) text += `${pieces[i % pieces.length]}\n\n`;
const megabytes = new TextEncoder().encode(text).length / 1024 / 1024;

function baselinePass(): number {
  let count = 0;
  for (const _ of text.matchAll(/\d{9}/g)) count++;
  return count;
}

function timed(run: () => number): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

baselinePass(); // warm-up: JIT, and the first pass flattens the concatenated string
const findings = scanText(text).length;
const baselineMs: number[] = [];
const scanMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  baselineMs.push(timed(baselinePass));
  scanMs.push(timed(() => scanText(text).length));
}
const rate = (ms: number) => megabytes / (ms / 1000);
const ratios = baselineMs.map((ms, i) => ms / scanMs[i]!);

console.log(
  `mixed text: ${megabytes.toFixed(1)} MiB, ${findings} findings, median of ${ROUNDS} alternating rounds`,
);
console.log(`plain regex pass (\\d{9}): ${rate(median(baselineMs)).toFixed(1)} MB/s`);
console.log(`scanText (all detectors): ${rate(median(scanMs)).toFixed(1)} MB/s`);
console.log(
  `ratio scanText / plain regex: ${median(ratios).toFixed(3)} (median per round; the scan is ${(1 / median(ratios)).toFixed(1)}× slower)`,
);
