import { createHash } from 'node:crypto';

/** Hex SHA-256, as `sha256sum` prints it: what operators compare a build with. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A subresource-integrity value (`sha384-…`) for a script or stylesheet. */
export function integrityOf(data: Uint8Array): string {
  return `sha384-${createHash('sha384').update(data).digest('base64')}`;
}

/** Hex SHA-256 and length of a stream, read to its end (backup manifests). */
export async function digestStream(
  source: AsyncIterable<Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of source) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
