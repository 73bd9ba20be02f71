/// <reference lib="webworker" />
import {
  createContentEncryptionStream,
  createContentEncryptionStreamFromHeader,
  fromBase64Url,
} from '@zegel/protocol/crypto';

/**
 * Encrypts one file record by record in a Web Worker (content format v1), reading the `File` as a
 * stream. The page asks for the next `size` ciphertext bytes and gets them as a transferred buffer,
 * so neither side ever holds more than about one request's worth of the file.
 */
export type EncryptRequest =
  /** `header`: resume an earlier upload, producing the same ciphertext again (docs/files.md). */
  | { type: 'open'; file: File; key: string; fileId: string; header?: string }
  | { type: 'read'; size: number }
  /** Encrypt and drop `size` bytes: to get back to a resumed upload's offset. */
  | { type: 'skip'; size: number };

export type EncryptResponse =
  | { type: 'opened' }
  | { type: 'bytes'; bytes: ArrayBuffer }
  | { type: 'error'; message: string };

let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
let pending: Uint8Array | undefined;

function reply(message: EncryptResponse, transfer: Transferable[] = []) {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(message, transfer);
}

async function skip(size: number): Promise<ArrayBuffer> {
  if (!reader) throw new Error('no file open');
  let left = size;
  while (left > 0) {
    if (!pending || pending.length === 0) {
      const next = await reader.read();
      if (next.done) break;
      pending = next.value;
      continue;
    }
    const part = Math.min(left, pending.length);
    pending = pending.subarray(part);
    left -= part;
  }
  return new ArrayBuffer(0);
}

async function read(size: number): Promise<ArrayBuffer> {
  if (!reader) throw new Error('no file open');
  const out = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    if (!pending || pending.length === 0) {
      const next = await reader.read();
      if (next.done) break;
      pending = next.value;
      continue;
    }
    const part = pending.subarray(0, size - filled);
    out.set(part, filled);
    filled += part.length;
    pending = pending.subarray(part.length);
  }
  return filled === size ? out.buffer : out.slice(0, filled).buffer;
}

self.addEventListener('message', (event: MessageEvent<EncryptRequest>) => {
  const request = event.data;
  if (request.type === 'open') {
    const key = fromBase64Url(request.key);
    const options = { associatedData: request.fileId };
    reader = request.file
      .stream()
      .pipeThrough(
        request.header
          ? createContentEncryptionStreamFromHeader(key, fromBase64Url(request.header), options)
          : createContentEncryptionStream(key, options),
      )
      .getReader();
    reply({ type: 'opened' });
    return;
  }
  (request.type === 'skip' ? skip(request.size) : read(request.size)).then(
    (bytes) => reply({ type: 'bytes', bytes }, [bytes]),
    (error: unknown) =>
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
});
