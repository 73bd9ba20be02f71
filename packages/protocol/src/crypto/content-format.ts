import {
  asBufferSource,
  concatBytes,
  encodeLabelled,
  equalBytes,
  hkdf,
  randomBytes,
  toHex,
  type WebCryptoKey,
} from './bytes.ts';
import {
  ContentDuplicatedError,
  ContentKeyMismatchError,
  ContentReorderedError,
  ContentTamperedError,
  ContentTruncatedError,
  MalformedInputError,
  UnsupportedVersionError,
} from './errors.ts';

/**
 * Zegel content format, version 1 (see docs/security.md, "Content format"):
 *
 *   header  = version (0x01) ‖ salt (16) ‖ key commitment (32) ‖ header MAC (32)      81 bytes
 *   records = AES-256-GCM(payloadKey, nonce(i, last), plaintext[i·R, (i+1)·R)) ‖ tag  R + 16 bytes each
 *   nonce   = uint88_be(i) ‖ (last ? 0x01 : 0x00)                                      12 bytes
 *
 * with R = 1 MiB. This is the STREAM construction age uses: binding the index and the last-record
 * flag into each nonce makes a reordered, duplicated or truncated ciphertext fail to authenticate.
 * Only the final record may be shorter than R, and it is empty only when the whole plaintext is.
 */
export const ContentVersion = { v1: 1 } as const;
export type ContentVersion = (typeof ContentVersion)[keyof typeof ContentVersion];

/** Plaintext bytes per record in version 1; fixed, so sizes are predictable before upload. */
export const CONTENT_RECORD_SIZE = 1024 * 1024;
export const CONTENT_TAG_SIZE = 16;
export const CONTENT_SALT_SIZE = 16;
export const CONTENT_KEY_SIZE = 32;
const COMMITMENT_SIZE = 32;
const MAC_SIZE = 32;
export const CONTENT_HEADER_SIZE = 1 + CONTENT_SALT_SIZE + COMMITMENT_SIZE + MAC_SIZE;
const RECORD_CIPHERTEXT_SIZE = CONTENT_RECORD_SIZE + CONTENT_TAG_SIZE;
/** 2^32 records of 1 MiB is 4 PiB; far beyond any item, and well inside GCM's per-key limits. */
const MAX_RECORDS = 2 ** 32;
/** How far from its own position a failing record is looked for, to tell "reordered" from "tampered". */
const REORDER_SEARCH_WINDOW = 32;
/** Records sealed or opened at once by the whole-buffer helpers and the streams. */
export const RECORD_CONCURRENCY = 4;

const LABEL_COMMITMENT = 'zegel/content/v1/key-commitment';
const LABEL_PAYLOAD_KEY = 'zegel/content/v1/payload-key';
const LABEL_MAC_KEY = 'zegel/content/v1/header-mac-key';
const LABEL_HEADER = 'zegel/content/v1/header';

/** Optional context bound into the header MAC, e.g. the item id, so a ciphertext cannot be moved to another item. */
export interface ContentOptions {
  associatedData?: Uint8Array | string;
}

/** A fresh random 256-bit content key; one per item (body, attachment, report). */
export function generateContentKey(): Uint8Array<ArrayBuffer> {
  return randomBytes(CONTENT_KEY_SIZE);
}

/** Exact ciphertext size for a plaintext size, so an upload (tus) can announce its length before encrypting. */
export function getEncryptedContentSize(plaintextSize: number): number {
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0)
    throw new RangeError('invalid plaintext size');
  const records = Math.max(1, Math.ceil(plaintextSize / CONTENT_RECORD_SIZE));
  return CONTENT_HEADER_SIZE + plaintextSize + records * CONTENT_TAG_SIZE;
}

/** Plaintext size of a well-formed ciphertext of this size; throws when no plaintext has that ciphertext size. */
/**
 * Whether bytes could be content format v1 (version byte, and at least a header and one
 * record's tag), checked without a key: the server's test that it was handed ciphertext, not
 * plaintext sent by mistake. It proves nothing about integrity; only decryption does.
 */
export function looksLikeContentV1(data: Uint8Array): boolean {
  return data.length >= CONTENT_HEADER_SIZE + CONTENT_TAG_SIZE && data[0] === ContentVersion.v1;
}

export function getDecryptedContentSize(ciphertextSize: number): number {
  if (!Number.isSafeInteger(ciphertextSize) || ciphertextSize < CONTENT_HEADER_SIZE + CONTENT_TAG_SIZE) {
    throw new MalformedInputError('ciphertext size is too small for the content format');
  }
  const body = ciphertextSize - CONTENT_HEADER_SIZE;
  const records = Math.ceil(body / RECORD_CIPHERTEXT_SIZE);
  const lastSize = body - (records - 1) * RECORD_CIPHERTEXT_SIZE;
  if (lastSize < CONTENT_TAG_SIZE || (records > 1 && lastSize === CONTENT_TAG_SIZE)) {
    throw new MalformedInputError('ciphertext size does not match the content format');
  }
  return body - records * CONTENT_TAG_SIZE;
}

/** The keys of one item's payload, derived from its content key and the header salt. */
export interface PayloadKeys {
  header: Uint8Array<ArrayBuffer>;
  payloadKey: WebCryptoKey;
}

function toAssociatedData(options: ContentOptions | undefined): Uint8Array {
  const data = options?.associatedData ?? new Uint8Array(0);
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

async function deriveKeyCommitment(contentKey: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return hkdf(contentKey, new Uint8Array(0), encodeLabelled(LABEL_COMMITMENT), COMMITMENT_SIZE);
}

async function deriveHeaderMac(
  contentKey: Uint8Array,
  headerWithoutMac: Uint8Array,
  associatedData: Uint8Array,
) {
  const macKeyBytes = await hkdf(
    contentKey,
    headerWithoutMac.subarray(1, 1 + CONTENT_SALT_SIZE),
    encodeLabelled(LABEL_MAC_KEY),
    32,
  );
  const macKey = await crypto.subtle.importKey('raw', macKeyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  const input = encodeLabelled(LABEL_HEADER, headerWithoutMac, associatedData);
  return new Uint8Array(await crypto.subtle.sign('HMAC', macKey, input));
}

async function derivePayloadKey(contentKey: Uint8Array, salt: Uint8Array): Promise<WebCryptoKey> {
  const raw = await hkdf(contentKey, salt, encodeLabelled(LABEL_PAYLOAD_KEY), 32);
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

function checkContentKey(contentKey: Uint8Array): void {
  if (contentKey.length !== CONTENT_KEY_SIZE) throw new RangeError('a content key is 32 bytes');
}

/**
 * Builds the header for a given salt. Exported for the known-answer vectors only; everything else
 * goes through `createPayloadKeys`, which draws a random salt.
 */
export async function createPayloadKeysWithSalt(
  contentKey: Uint8Array,
  salt: Uint8Array,
  options?: ContentOptions,
): Promise<PayloadKeys> {
  checkContentKey(contentKey);
  if (salt.length !== CONTENT_SALT_SIZE) throw new RangeError('salt must be 16 bytes');
  const headerWithoutMac = concatBytes(
    new Uint8Array([ContentVersion.v1]),
    salt,
    await deriveKeyCommitment(contentKey),
  );
  const mac = await deriveHeaderMac(contentKey, headerWithoutMac, toAssociatedData(options));
  return { header: concatBytes(headerWithoutMac, mac), payloadKey: await derivePayloadKey(contentKey, salt) };
}

export async function createPayloadKeys(
  contentKey: Uint8Array,
  options?: ContentOptions,
): Promise<PayloadKeys> {
  return createPayloadKeysWithSalt(contentKey, randomBytes(CONTENT_SALT_SIZE), options);
}

/**
 * Checks a header in the order that gives the clearest error: version, then the key commitment
 * (wrong key is caught here, before any record is touched), then the MAC over header and
 * associated data.
 */
export async function openPayloadKeys(
  contentKey: Uint8Array,
  header: Uint8Array,
  options?: ContentOptions,
): Promise<WebCryptoKey> {
  checkContentKey(contentKey);
  if (header.length === 0) throw new ContentTruncatedError('content is empty');
  if (header[0] !== ContentVersion.v1) throw new UnsupportedVersionError('content format', header[0]);
  if (header.length < CONTENT_HEADER_SIZE) throw new ContentTruncatedError('content ends inside its header');
  const saltEnd = 1 + CONTENT_SALT_SIZE;
  const commitmentEnd = saltEnd + COMMITMENT_SIZE;
  const commitment = header.subarray(saltEnd, commitmentEnd);
  if (!equalBytes(commitment, await deriveKeyCommitment(contentKey))) throw new ContentKeyMismatchError();
  const mac = await deriveHeaderMac(contentKey, header.subarray(0, commitmentEnd), toAssociatedData(options));
  if (!equalBytes(mac, header.subarray(commitmentEnd, CONTENT_HEADER_SIZE))) {
    throw new ContentTamperedError(
      'content header failed authentication: it was altered or the associated data differs',
    );
  }
  return derivePayloadKey(contentKey, header.subarray(1, saltEnd));
}

/** uint88_be(index) ‖ last flag. */
export function createRecordNonce(index: number, isLast: boolean): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(index) || index < 0 || index >= MAX_RECORDS)
    throw new RangeError('record index out of range');
  const nonce = new Uint8Array(12);
  const view = new DataView(nonce.buffer);
  view.setUint32(3, Math.floor(index / 2 ** 32));
  view.setUint32(7, index % 2 ** 32);
  nonce[11] = isLast ? 1 : 0;
  return nonce;
}

export async function sealRecord(
  payloadKey: WebCryptoKey,
  index: number,
  isLast: boolean,
  plaintext: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const iv = createRecordNonce(index, isLast);
  return new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, payloadKey, plaintext));
}

async function tryOpenRecord(
  payloadKey: WebCryptoKey,
  index: number,
  isLast: boolean,
  record: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer> | undefined> {
  try {
    const iv = createRecordNonce(index, isLast);
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, payloadKey, record));
  } catch {
    return undefined;
  }
}

/**
 * Opens records in order and, when one fails, works out why. Authentication alone only says
 * "not this record here"; the extra trial decryptions below (only on the failure path) tell the
 * caller whether the record is a duplicate, belongs elsewhere, or was altered. Every outcome is
 * a failure: classification never lets a bad record through.
 */
export class RecordOpener {
  readonly #payloadKey: WebCryptoKey;
  readonly #seenTags = new Set<string>();
  #nextIndex = 0;
  #isFinished = false;

  constructor(payloadKey: WebCryptoKey) {
    this.#payloadKey = payloadKey;
  }

  get nextIndex(): number {
    return this.#nextIndex;
  }

  /** Opens the next batch of records; only the last record of the last batch may carry `isLast`. */
  async openRecords(
    records: readonly Uint8Array<ArrayBuffer>[],
    endsWithLast: boolean,
  ): Promise<Uint8Array<ArrayBuffer>[]> {
    if (this.#isFinished) throw new ContentTamperedError('content continues after its final record');
    const first = this.#nextIndex;
    const attempts = await Promise.all(
      records.map((record, offset) => {
        const isLast = endsWithLast && offset === records.length - 1;
        if (record.length < CONTENT_TAG_SIZE) return Promise.resolve(undefined);
        return tryOpenRecord(this.#payloadKey, first + offset, isLast, record);
      }),
    );
    const plaintexts: Uint8Array<ArrayBuffer>[] = [];
    for (let offset = 0; offset < records.length; offset++) {
      const record = records[offset]!;
      const isLast = endsWithLast && offset === records.length - 1;
      const plaintext = attempts[offset];
      if (plaintext === undefined) await this.#throwRecordFailure(first + offset, isLast, record);
      if (isLast && first + offset > 0 && plaintext!.length === 0) {
        throw new MalformedInputError('an empty final record follows other records');
      }
      this.#seenTags.add(toHex(record.subarray(record.length - CONTENT_TAG_SIZE)));
      plaintexts.push(plaintext!);
    }
    this.#nextIndex = first + records.length;
    if (endsWithLast) this.#isFinished = true;
    return plaintexts;
  }

  async #throwRecordFailure(index: number, isLast: boolean, record: Uint8Array<ArrayBuffer>): Promise<never> {
    if (record.length < CONTENT_TAG_SIZE) throw new ContentTruncatedError('content ends inside a record');
    if (isLast && (await tryOpenRecord(this.#payloadKey, index, false, record)))
      throw new ContentTruncatedError();
    if (!isLast && (await tryOpenRecord(this.#payloadKey, index, true, record))) {
      throw new ContentTamperedError('content continues after its final record');
    }
    if (this.#seenTags.has(toHex(record.subarray(record.length - CONTENT_TAG_SIZE))))
      throw new ContentDuplicatedError();
    const low = Math.max(0, index - REORDER_SEARCH_WINDOW);
    for (let other = low; other <= index + REORDER_SEARCH_WINDOW && other < MAX_RECORDS; other++) {
      if (other === index) continue;
      for (const flag of [false, true]) {
        if (await tryOpenRecord(this.#payloadKey, other, flag, record)) throw new ContentReorderedError();
      }
    }
    throw new ContentTamperedError();
  }
}

function sliceRecords(body: Uint8Array, from: number, count: number): Uint8Array<ArrayBuffer>[] {
  const records: Uint8Array<ArrayBuffer>[] = [];
  for (let i = from; i < from + count; i++) {
    const start = i * RECORD_CIPHERTEXT_SIZE;
    records.push(asBufferSource(body.subarray(start, Math.min(start + RECORD_CIPHERTEXT_SIZE, body.length))));
  }
  return records;
}

/**
 * Encrypts a whole buffer (a message body, a small attachment) in the content format. Large files
 * go through `createContentEncryptionStream` instead, which yields byte-identical output.
 */
export async function encryptContent(
  contentKey: Uint8Array,
  plaintext: Uint8Array,
  options?: ContentOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  return encryptContentWithKeys(await createPayloadKeys(contentKey, options), plaintext);
}

/** The deterministic half of `encryptContent`, for the known-answer vectors. */
export async function encryptContentWithKeys(
  keys: PayloadKeys,
  plaintext: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Uint8Array(getEncryptedContentSize(plaintext.length));
  out.set(keys.header, 0);
  const recordCount = Math.max(1, Math.ceil(plaintext.length / CONTENT_RECORD_SIZE));
  for (let first = 0; first < recordCount; first += RECORD_CONCURRENCY) {
    const batch: Promise<Uint8Array<ArrayBuffer>>[] = [];
    for (let i = first; i < Math.min(first + RECORD_CONCURRENCY, recordCount); i++) {
      const chunk = asBufferSource(
        plaintext.subarray(i * CONTENT_RECORD_SIZE, (i + 1) * CONTENT_RECORD_SIZE),
      );
      batch.push(sealRecord(keys.payloadKey, i, i === recordCount - 1, chunk));
    }
    const sealed = await Promise.all(batch);
    sealed.forEach((record, offset) => {
      out.set(record, CONTENT_HEADER_SIZE + (first + offset) * RECORD_CIPHERTEXT_SIZE);
    });
  }
  return out;
}

/**
 * Decrypts a whole buffer. Throws a `CryptoError` subclass naming what is wrong (truncated,
 * reordered, duplicated, tampered, wrong key); never returns partial plaintext.
 */
export async function decryptContent(
  contentKey: Uint8Array,
  ciphertext: Uint8Array,
  options?: ContentOptions,
): Promise<Uint8Array<ArrayBuffer>> {
  const payloadKey = await openPayloadKeys(contentKey, ciphertext.subarray(0, CONTENT_HEADER_SIZE), options);
  const body = ciphertext.subarray(CONTENT_HEADER_SIZE);
  if (body.length === 0) throw new ContentTruncatedError('content has a header but no records');
  const recordCount = Math.ceil(body.length / RECORD_CIPHERTEXT_SIZE);
  const opener = new RecordOpener(payloadKey);
  const parts: Uint8Array[] = [];
  for (let first = 0; first < recordCount; first += RECORD_CONCURRENCY) {
    const count = Math.min(RECORD_CONCURRENCY, recordCount - first);
    parts.push(
      ...(await opener.openRecords(sliceRecords(body, first, count), first + count === recordCount)),
    );
  }
  return parts.length === 1 ? (parts[0] as Uint8Array<ArrayBuffer>) : concatBytes(...parts);
}
