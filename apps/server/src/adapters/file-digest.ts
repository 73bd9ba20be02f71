import { createHash } from 'node:crypto';

/** Hex SHA-256, as `sha256sum` prints it: what operators compare a build with. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A subresource-integrity value (`sha384-…`) for a script or stylesheet. */
export function integrityOf(data: Uint8Array): string {
  return `sha384-${createHash('sha384').update(data).digest('base64')}`;
}
