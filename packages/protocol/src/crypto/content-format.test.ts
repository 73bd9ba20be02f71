import { describe, expect, it } from 'vitest';
import { concatBytes, encodeLabelled, hkdf } from './bytes.ts';
import {
  CONTENT_HEADER_SIZE,
  CONTENT_RECORD_SIZE,
  CONTENT_TAG_SIZE,
  createPayloadKeysWithSalt,
  decryptContent,
  encryptContent,
  encryptContentWithKeys,
  generateContentKey,
  getDecryptedContentSize,
  getEncryptedContentSize,
  looksLikeContentV1,
} from './content-format.ts';
import {
  createContentDecryptionStream,
  createContentEncryptionStream,
  createContentEncryptionStreamFromHeader,
  createEncryptionTransform,
} from './content-stream.ts';
import { ContentKeyMismatchError, ContentTamperedError, MalformedInputError } from './errors.ts';
import { expectSameBytes, patterned } from './test-support.ts';

const R = CONTENT_RECORD_SIZE;

/** Feeds `input` to a transform in chunks of the given sizes (cycled) and collects the output. */
async function pipeInChunks(
  input: Uint8Array,
  transform: TransformStream<Uint8Array, Uint8Array>,
  chunkSizes: readonly number[],
): Promise<Uint8Array> {
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      let offset = 0;
      let turn = 0;
      while (offset < input.length) {
        const size = chunkSizes[turn++ % chunkSizes.length]!;
        controller.enqueue(input.slice(offset, offset + size));
        offset += size;
      }
      controller.close();
    },
  });
  return new Uint8Array(await new Response(source.pipeThrough(transform)).arrayBuffer());
}

const sizes = [0, 1, R - 1, R, R + 1, 3 * R + 12345];

describe('content format v1', () => {
  it.each(sizes)('round-trips %i bytes and has exactly the predicted size', async (size) => {
    const key = generateContentKey();
    const plaintext = patterned(size);
    const ciphertext = await encryptContent(key, plaintext, { associatedData: 'item-1' });
    expect(ciphertext.length).toBe(getEncryptedContentSize(size));
    expect(getDecryptedContentSize(ciphertext.length)).toBe(size);
    expectSameBytes(await decryptContent(key, ciphertext, { associatedData: 'item-1' }), plaintext);
  });

  it('computes sizes: one record minimum, a tag per record, no empty trailing record', () => {
    expect(getEncryptedContentSize(0)).toBe(CONTENT_HEADER_SIZE + CONTENT_TAG_SIZE);
    expect(getEncryptedContentSize(R)).toBe(CONTENT_HEADER_SIZE + R + CONTENT_TAG_SIZE);
    expect(getEncryptedContentSize(R + 1)).toBe(CONTENT_HEADER_SIZE + R + 1 + 2 * CONTENT_TAG_SIZE);
    expect(getEncryptedContentSize(5 * 2 ** 30)).toBe(
      CONTENT_HEADER_SIZE + 5 * 2 ** 30 + 5 * 1024 * CONTENT_TAG_SIZE,
    );
    expect(() => getEncryptedContentSize(-1)).toThrow(RangeError);
    expect(() => getDecryptedContentSize(CONTENT_HEADER_SIZE + 10)).toThrow(MalformedInputError);
    // A second record holding only a tag would be an empty non-first final record, which v1 forbids.
    expect(() => getDecryptedContentSize(CONTENT_HEADER_SIZE + R + 2 * CONTENT_TAG_SIZE)).toThrow(
      MalformedInputError,
    );
  });

  it('uses a fresh salt each time, so the same key and plaintext never give the same ciphertext', async () => {
    const key = generateContentKey();
    const plaintext = patterned(100);
    const a = await encryptContent(key, plaintext);
    const b = await encryptContent(key, plaintext);
    expect(a.subarray(1, 17)).not.toEqual(b.subarray(1, 17));
    expect(a.subarray(CONTENT_HEADER_SIZE)).not.toEqual(b.subarray(CONTENT_HEADER_SIZE));
  });

  it('matches a reconstruction from raw WebCrypto calls, as docs/security.md describes it', async () => {
    const key = new Uint8Array(32).fill(7);
    const salt = new Uint8Array(16).fill(9);
    const plaintext = patterned(R + 10);
    const ours = await encryptContentWithKeys(
      await createPayloadKeysWithSalt(key, salt, { associatedData: 'x' }),
      plaintext,
    );

    const empty = new Uint8Array(0);
    const commitment = await hkdf(key, empty, encodeLabelled('zegel/content/v1/key-commitment'), 32);
    const headerStart = concatBytes(new Uint8Array([1]), salt, commitment);
    const macKey = await crypto.subtle.importKey(
      'raw',
      await hkdf(key, salt, encodeLabelled('zegel/content/v1/header-mac-key'), 32),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    const mac = new Uint8Array(
      await crypto.subtle.sign(
        'HMAC',
        macKey,
        encodeLabelled('zegel/content/v1/header', headerStart, new TextEncoder().encode('x')),
      ),
    );
    const payloadKey = await crypto.subtle.importKey(
      'raw',
      await hkdf(key, salt, encodeLabelled('zegel/content/v1/payload-key'), 32),
      'AES-GCM',
      false,
      ['encrypt'],
    );
    const nonce = (index: number, last: boolean) => {
      const n = new Uint8Array(12);
      n[10] = index;
      n[11] = last ? 1 : 0;
      return n;
    };
    const record0 = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonce(0, false) },
      payloadKey,
      plaintext.slice(0, R),
    );
    const record1 = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv: nonce(1, true) },
      payloadKey,
      plaintext.slice(R),
    );
    const expected = concatBytes(headerStart, mac, new Uint8Array(record0), new Uint8Array(record1));
    expectSameBytes(ours, expected);
  });

  it.each(sizes)(
    'streams %i bytes to the same bytes as the whole-buffer helper, whatever the chunking',
    async (size) => {
      const key = generateContentKey();
      const salt = new Uint8Array(16).fill(3);
      const plaintext = patterned(size, 5);
      const keys = await createPayloadKeysWithSalt(key, salt, { associatedData: 'item' });
      const expected = await encryptContentWithKeys(keys, plaintext);
      const streamed = await pipeInChunks(plaintext, createEncryptionTransform(Promise.resolve(keys)), [
        65536,
        7,
        R + 3,
      ]);
      expectSameBytes(streamed, expected);
      const decrypted = await pipeInChunks(
        expected,
        createContentDecryptionStream(key, { associatedData: 'item' }),
        [1, 80, R, 12345],
      );
      expectSameBytes(decrypted, plaintext);
    },
  );

  it('streams with a random salt and decrypts with the buffer helper', async () => {
    const key = generateContentKey();
    const plaintext = patterned(2 * R + 1);
    const ciphertext = await pipeInChunks(plaintext, createContentEncryptionStream(key), [100_000]);
    expectSameBytes(await decryptContent(key, ciphertext), plaintext);
  });

  it('encrypts again into the same bytes from an earlier header (resuming an upload), and only with its key and associated data', async () => {
    const key = generateContentKey();
    const plaintext = patterned(3 * R + 7);
    const first = await pipeInChunks(
      plaintext,
      createContentEncryptionStream(key, { associatedData: 'file-1' }),
      [65_536],
    );
    const header = first.subarray(0, CONTENT_HEADER_SIZE);
    const again = await pipeInChunks(
      plaintext,
      createContentEncryptionStreamFromHeader(key, header, { associatedData: 'file-1' }),
      [R, 3, 99_999],
    );
    expectSameBytes(again, first);
    await expect(
      pipeInChunks(
        plaintext,
        createContentEncryptionStreamFromHeader(key, header, { associatedData: 'file-2' }),
        [R],
      ),
    ).rejects.toThrow(ContentTamperedError);
    await expect(
      pipeInChunks(plaintext, createContentEncryptionStreamFromHeader(generateContentKey(), header), [R]),
    ).rejects.toThrow(ContentKeyMismatchError);
  });

  it('rejects non-Uint8Array chunks and keys of the wrong size', async () => {
    const key = generateContentKey();
    const text = 'text' as unknown as Uint8Array;
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(text);
        controller.close();
      },
    });
    await expect(
      new Response(source.pipeThrough(createContentEncryptionStream(key))).arrayBuffer(),
    ).rejects.toThrow(TypeError);
    await expect(encryptContent(new Uint8Array(16), new Uint8Array(1))).rejects.toThrow(RangeError);
  });
});

describe('looksLikeContentV1', () => {
  it('accepts real ciphertext, even empty content, and refuses plaintext, short input and other versions', async () => {
    const key = generateContentKey();
    const empty = await encryptContent(key, new Uint8Array(0));
    expect(empty.length).toBe(CONTENT_HEADER_SIZE + CONTENT_TAG_SIZE);
    expect(looksLikeContentV1(empty)).toBe(true);
    expect(looksLikeContentV1(await encryptContent(key, patterned(5000)))).toBe(true);
    expect(looksLikeContentV1(empty.subarray(0, empty.length - 1))).toBe(false);
    expect(
      looksLikeContentV1(
        new TextEncoder().encode('plain text sent by mistake, long enough to pass a size test'.repeat(3)),
      ),
    ).toBe(false);
    const otherVersion = empty.slice();
    otherVersion[0] = 2;
    expect(looksLikeContentV1(otherVersion)).toBe(false);
  });
});
