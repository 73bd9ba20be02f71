import { describe, expect, it } from 'vitest';
import { concatBytes } from './bytes.ts';
import {
  CONTENT_HEADER_SIZE,
  CONTENT_RECORD_SIZE,
  CONTENT_TAG_SIZE,
  type ContentOptions,
  decryptContent,
  encryptContent,
  generateContentKey,
} from './content-format.ts';
import { createContentDecryptionStream } from './content-stream.ts';
import {
  ContentDuplicatedError,
  ContentKeyMismatchError,
  ContentReorderedError,
  ContentTamperedError,
  ContentTruncatedError,
  CryptoError,
  MalformedInputError,
  UnsupportedVersionError,
} from './errors.ts';
import { expectSameBytes, patterned } from './test-support.ts';

const R = CONTENT_RECORD_SIZE;
const RC = R + CONTENT_TAG_SIZE;
const aad: ContentOptions = { associatedData: 'item-42' };
const key = generateContentKey();
/** Four records: three full ones and a short final one. */
const plaintext = patterned(3 * R + 1000);
const ciphertext = await encryptContent(key, plaintext, aad);
const small = await encryptContent(key, patterned(200), aad);

function recordAt(bytes: Uint8Array, index: number): Uint8Array {
  const start = CONTENT_HEADER_SIZE + index * RC;
  return bytes.subarray(start, Math.min(start + RC, bytes.length));
}

function withRecords(order: readonly number[]): Uint8Array {
  return concatBytes(
    ciphertext.subarray(0, CONTENT_HEADER_SIZE),
    ...order.map((i) => recordAt(ciphertext, i)),
  );
}

function flipBit(bytes: Uint8Array, offset: number): Uint8Array {
  const copy = bytes.slice();
  copy[offset]! ^= 0x01;
  return copy;
}

async function decryptByStream(bytes: Uint8Array, contentKey = key, options = aad): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let offset = 0; offset < bytes.length; offset += 300_000)
        controller.enqueue(bytes.slice(offset, offset + 300_000));
      controller.close();
    },
  });
  return new Uint8Array(
    await new Response(source.pipeThrough(createContentDecryptionStream(contentKey, options))).arrayBuffer(),
  );
}

type ErrorClass = abstract new (...args: never[]) => CryptoError;
const decoders = [
  ['whole buffer', (bytes: Uint8Array, k = key, o = aad) => decryptContent(k, bytes, o)],
  ['stream', decryptByStream],
] as const;

const lastRecordStart = CONTENT_HEADER_SIZE + 3 * RC;
const cases: [string, () => Uint8Array, ErrorClass][] = [
  ['a flipped version byte', () => flipBit(ciphertext, 0), UnsupportedVersionError],
  ['a flipped bit in the header salt', () => flipBit(ciphertext, 5), ContentTamperedError],
  ['a flipped bit in the key commitment', () => flipBit(ciphertext, 20), ContentKeyMismatchError],
  [
    'a flipped bit in the header MAC',
    () => flipBit(ciphertext, CONTENT_HEADER_SIZE - 1),
    ContentTamperedError,
  ],
  [
    'a flipped bit in a record body',
    () => flipBit(ciphertext, CONTENT_HEADER_SIZE + RC + 17),
    ContentTamperedError,
  ],
  [
    'a flipped bit in a record tag',
    () => flipBit(ciphertext, CONTENT_HEADER_SIZE + 2 * RC - 3),
    ContentTamperedError,
  ],
  ['a flipped bit in the final tag', () => flipBit(ciphertext, ciphertext.length - 1), ContentTamperedError],
  ['the final record dropped', () => withRecords([0, 1, 2]), ContentTruncatedError],
  ['the last two records dropped', () => withRecords([0, 1]), ContentTruncatedError],
  ['all records dropped', () => withRecords([]), ContentTruncatedError],
  ['a cut inside the header', () => ciphertext.slice(0, 40), ContentTruncatedError],
  ['nothing at all', () => new Uint8Array(0), ContentTruncatedError],
  ['a cut inside the final tag', () => ciphertext.slice(0, lastRecordStart + 10), ContentTruncatedError],
  ['two records swapped', () => withRecords([0, 2, 1, 3]), ContentReorderedError],
  ['the first and third records swapped', () => withRecords([2, 1, 0, 3]), ContentReorderedError],
  // The short final record moved forward shifts every later record boundary, so what sits at
  // each position is no longer any record: that is reported as tampering, not reordering.
  ['the short final record moved forward', () => withRecords([0, 3, 1, 2]), ContentTamperedError],
  ['a record duplicated', () => withRecords([0, 1, 1, 2, 3]), ContentDuplicatedError],
  ['a record replaced by a copy of an earlier one', () => withRecords([0, 1, 0, 3]), ContentDuplicatedError],
  [
    'data appended after the final record',
    () => concatBytes(ciphertext, new Uint8Array(50)),
    ContentTamperedError,
  ],
  ['the final record appended twice', () => withRecords([0, 1, 2, 3, 3]), ContentTamperedError],
  [
    'a record from another item under the same key',
    () => concatBytes(small.subarray(0, CONTENT_HEADER_SIZE), recordAt(ciphertext, 3)),
    ContentTamperedError,
  ],
];

describe.each(decoders)('content tampering (%s)', (_name, decode) => {
  it.each(cases)('detects %s', async (_label, build, errorClass) => {
    const error = await decode(build()).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(errorClass);
    expect(error).toBeInstanceOf(CryptoError);
  });

  it('still decrypts the untouched ciphertext (the cases above fail for their own reason)', async () => {
    expectSameBytes(await decode(ciphertext), plaintext);
  });

  it('reports a wrong key before touching any record', async () => {
    await expect(decode(ciphertext, generateContentKey(), aad)).rejects.toBeInstanceOf(
      ContentKeyMismatchError,
    );
  });

  it('reports wrong or missing associated data as tampering', async () => {
    await expect(decode(ciphertext, key, { associatedData: 'item-43' })).rejects.toBeInstanceOf(
      ContentTamperedError,
    );
    await expect(decode(ciphertext, key, {})).rejects.toBeInstanceOf(ContentTamperedError);
  });
});

describe('errors carry stable codes', () => {
  it('gives each class its own code', () => {
    const codes = [
      new ContentTamperedError(),
      new ContentTruncatedError(),
      new ContentReorderedError(),
      new ContentDuplicatedError(),
      new ContentKeyMismatchError(),
      new MalformedInputError('x'),
      new UnsupportedVersionError('content format', 9),
    ].map((error) => error.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new ContentTruncatedError().name).toBe('ContentTruncatedError');
  });
});
