/**
 * Leak scanning on the inputs that make naive scanners quadratic or exponential (the same table
 * as the unit test's step counts, `packages/protocol/src/dlp/corpus/adversarial.ts`): for each,
 * the time for 1 MiB against the time for 128 KiB in the same run. Linear work gives about 8,
 * quadratic backtracking about 64. Medians over BENCH_ROUNDS (default 5) alternating rounds.
 */
import { adversarial } from '../packages/protocol/src/dlp/corpus/adversarial.ts';
import { scanText } from '../packages/protocol/src/dlp/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

function timed(text: string): number {
  const started = performance.now();
  scanText(text, { minConfidence: 0 });
  return performance.now() - started;
}

let worst = { name: '', ratio: 0 };
for (const [name, make] of Object.entries(adversarial)) {
  const small = make(128 * 1024);
  const large = make(1024 * 1024);
  timed(small); // warm-up
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) ratios.push(timed(large) / Math.max(0.01, timed(small)));
  const ratio = median(ratios);
  if (ratio > worst.ratio) worst = { name, ratio };
  console.log(`${name}: 1 MiB / 128 KiB time ratio ${ratio.toFixed(1)} (linear ≈ 8)`);
}
console.log(`worst case: ${worst.name}, ratio ${worst.ratio.toFixed(1)} (quadratic would be ≈ 64)`);
