import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

/** Response schema of a route that answers with bytes. */
export const binaryResponse = { 200: { type: 'string', format: 'binary' } } as const;

/** Response schema of a file download route: the ciphertext, whole (200) or a range (206). */
export const fileContentResponse = {
  200: { type: 'string', format: 'binary' },
  206: { type: 'string', format: 'binary' },
} as const;

/** Bytes as a download that no cache keeps. */
export function sendBinary(
  reply: FastifyReply,
  data: Uint8Array,
  type = 'application/octet-stream',
  fileName?: string,
) {
  return reply
    .header('content-type', type)
    .header('cache-control', 'no-store')
    .header('content-disposition', fileName ? `attachment; filename="${fileName}"` : 'attachment')
    .send(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
}

/** A file's bytes as a stream, whole or one inclusive range (the files feature's `FileContent`). */
export interface StreamedContent {
  size: number;
  range: { start: number; end: number } | undefined;
  stream: Readable;
}

/**
 * Streams a file's ciphertext (never buffered): 200 with the whole file, or 206 with
 * `Content-Range` for a range; `Accept-Ranges: bytes` either way.
 */
export function sendFileContent(reply: FastifyReply, content: StreamedContent) {
  void reply
    .header('content-type', 'application/octet-stream')
    .header('cache-control', 'no-store')
    .header('content-disposition', 'attachment')
    .header('accept-ranges', 'bytes');
  if (content.range) {
    const { start, end } = content.range;
    return reply
      .status(206)
      .header('content-range', `bytes ${start}-${end}/${content.size}`)
      .header('content-length', String(end - start + 1))
      .send(content.stream as never);
  }
  return reply
    .status(200)
    .header('content-length', String(content.size))
    .send(content.stream as never);
}

/** An upload body: a Buffer from the octet-stream parser; anything else (JSON) is not an upload. */
export function bodyBytes(body: unknown): Uint8Array {
  return body instanceof Uint8Array ? body : new Uint8Array(0);
}
