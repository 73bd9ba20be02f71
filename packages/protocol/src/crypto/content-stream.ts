import type { WebCryptoKey } from './bytes.ts';
import {
  CONTENT_HEADER_SIZE,
  CONTENT_RECORD_SIZE,
  CONTENT_TAG_SIZE,
  type ContentOptions,
  createPayloadKeys,
  openPayloadKeys,
  RECORD_CONCURRENCY,
  RecordOpener,
  sealRecord,
} from './content-format.ts';
import { ContentTruncatedError } from './errors.ts';

const RECORD_CIPHERTEXT_SIZE = CONTENT_RECORD_SIZE + CONTENT_TAG_SIZE;

/** A FIFO of byte chunks that hands out exact-length slices without re-concatenating everything it holds. */
class ByteQueue {
  readonly #chunks: Uint8Array[] = [];
  #offset = 0;
  #length = 0;

  get length(): number {
    return this.#length;
  }

  push(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array)) throw new TypeError('content streams take Uint8Array chunks');
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#length += chunk.length;
  }

  take(size: number): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(Math.min(size, this.#length));
    let filled = 0;
    while (filled < out.length) {
      const chunk = this.#chunks[0]!;
      const part = chunk.subarray(this.#offset, this.#offset + (out.length - filled));
      out.set(part, filled);
      filled += part.length;
      this.#offset += part.length;
      if (this.#offset === chunk.length) {
        this.#chunks.shift();
        this.#offset = 0;
      }
    }
    this.#length -= out.length;
    return out;
  }
}

/**
 * Encrypts a byte stream into the content format; output is byte-for-byte what `encryptContent`
 * gives for the same key, salt and input. A full record is held back until more input arrives,
 * because only then is it known not to be the last one. Memory stays at a few records however
 * large the file is.
 */
export function createContentEncryptionStream(
  contentKey: Uint8Array,
  options?: ContentOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const keysPromise = createPayloadKeys(contentKey, options);
  return createEncryptionTransform(keysPromise);
}

/**
 * Encrypts the same content again into the same ciphertext, to resume an upload (e.g. after a page
 * reload): `header` is the first `CONTENT_HEADER_SIZE` bytes of the earlier ciphertext. The header
 * is checked first (key commitment and MAC over the associated data), so it only works with the key
 * and associated data that made it. Only for the same plaintext: the records reuse the header's
 * salt, so different bytes under the same key and header would reuse AES-GCM nonces. Check that the
 * input is unchanged (size, modification time) before calling this.
 */
export function createContentEncryptionStreamFromHeader(
  contentKey: Uint8Array,
  header: Uint8Array,
  options?: ContentOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const copy = header.slice(0, CONTENT_HEADER_SIZE);
  return createEncryptionTransform(
    (async () => ({ header: copy, payloadKey: await openPayloadKeys(contentKey, copy, options) }))(),
  );
}

/** The stream encryptor over given payload keys, for the known-answer vectors and the streams' own tests. */
export function createEncryptionTransform(
  keysPromise: Promise<{ header: Uint8Array; payloadKey: WebCryptoKey }>,
): TransformStream<Uint8Array, Uint8Array> {
  const queue = new ByteQueue();
  let payloadKey: WebCryptoKey | undefined;
  let index = 0;
  const sealBatch = async (count: number, endsWithLast: boolean) => {
    const chunks = Array.from({ length: count }, () => queue.take(CONTENT_RECORD_SIZE));
    const first = index;
    index += count;
    return Promise.all(
      chunks.map((chunk, offset) =>
        sealRecord(payloadKey!, first + offset, endsWithLast && offset === count - 1, chunk),
      ),
    );
  };
  return new TransformStream({
    async start(controller) {
      const keys = await keysPromise;
      payloadKey = keys.payloadKey;
      controller.enqueue(keys.header);
    },
    async transform(chunk, controller) {
      queue.push(chunk);
      while (queue.length > CONTENT_RECORD_SIZE) {
        const ready = Math.min(RECORD_CONCURRENCY, Math.floor((queue.length - 1) / CONTENT_RECORD_SIZE));
        for (const record of await sealBatch(ready, false)) controller.enqueue(record);
      }
    },
    async flush(controller) {
      for (const record of await sealBatch(1, true)) controller.enqueue(record);
    },
  });
}

/**
 * Decrypts a content-format byte stream. Plaintext of a record is released only after that record
 * authenticated, and the stream errors with a `CryptoError` subclass (truncated, reordered,
 * duplicated, tampered, wrong key) as soon as something is wrong. A consumer that must not act on
 * partial output of a bad file should write to a temporary place and commit on clean close.
 */
export function createContentDecryptionStream(
  contentKey: Uint8Array,
  options?: ContentOptions,
): TransformStream<Uint8Array, Uint8Array> {
  const queue = new ByteQueue();
  let opener: RecordOpener | undefined;
  const openBatch = async (count: number, endsWithLast: boolean) => {
    const records = Array.from({ length: count }, () => queue.take(RECORD_CIPHERTEXT_SIZE));
    return opener!.openRecords(records, endsWithLast);
  };
  const readHeader = async () => {
    if (opener === undefined && queue.length >= CONTENT_HEADER_SIZE) {
      opener = new RecordOpener(await openPayloadKeys(contentKey, queue.take(CONTENT_HEADER_SIZE), options));
    }
  };
  return new TransformStream({
    async transform(chunk, controller) {
      queue.push(chunk);
      await readHeader();
      if (opener === undefined) return;
      while (queue.length > RECORD_CIPHERTEXT_SIZE) {
        const ready = Math.min(RECORD_CONCURRENCY, Math.floor((queue.length - 1) / RECORD_CIPHERTEXT_SIZE));
        for (const plaintext of await openBatch(ready, false)) controller.enqueue(plaintext);
      }
    },
    async flush(controller) {
      if (opener === undefined) {
        if (queue.length === 0) throw new ContentTruncatedError('content is empty');
        await openPayloadKeys(contentKey, queue.take(queue.length), options);
        throw new ContentTruncatedError('content ends inside its header');
      }
      if (queue.length === 0) {
        throw new ContentTruncatedError(
          opener.nextIndex === 0
            ? 'content has a header but no records'
            : 'content is truncated: the final record is missing',
        );
      }
      for (const plaintext of await openBatch(1, true)) controller.enqueue(plaintext);
    },
  });
}
