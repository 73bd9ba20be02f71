import { expect } from 'vitest';

/** Shared by the crypto tests only; never imported by production code. */

/** Deterministic non-trivial bytes, so a misplaced record shows up as a difference. */
export function patterned(length: number, seed = 0): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + seed) % 251;
  return bytes;
}

/** Byte comparison without vitest's deep-equality walk, which is slow on megabyte arrays; reports the first difference. */
export function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  let firstDifference = -1;
  for (let i = 0; i < actual.length; i++) {
    if (actual[i] !== expected[i]) {
      firstDifference = i;
      break;
    }
  }
  expect(firstDifference).toBe(-1);
}
