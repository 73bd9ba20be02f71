import { Readable } from 'node:stream';
import { ErrorCode } from '@zegel/protocol/errors';
import type { Actor, Deps, RequestOrigin } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { AuditAction, auditActor } from '../../platform/audit/index.ts';
import { type FileRow, selectSegments } from './store.ts';
import { requireOwnUpload } from './uploads.ts';

/** Inclusive byte positions, as in an HTTP `Range` header. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface FileContent {
  /** The whole file's size. */
  size: number;
  /** What `stream` gives; undefined means the whole file. */
  range: ByteRange | undefined;
  stream: Readable;
}

/**
 * Parses one `bytes=` range against a size: `a-b`, `a-`, `-n`. Undefined for no header or one
 * we do not serve (several ranges): the whole file is sent then, as HTTP allows.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return undefined;
  const [, first = '', last = ''] = match;
  let start: number;
  let end: number;
  if (first === '') {
    if (last === '') return undefined;
    start = Math.max(0, size - Number(last));
    end = size - 1;
  } else {
    start = Number(first);
    end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  }
  if (start >= size || end < start)
    throw new AppError(ErrorCode.rangeNotSatisfiable, 'The requested range is outside the file.', { size });
  return { start, end };
}

/**
 * The stored ciphertext of a complete file, as one stream over its segments (one blob read at a
 * time, so memory stays constant whatever the size). The caller has authorised the reader: the
 * messages feature calls this for attachments after its own access check.
 */
export async function openFileContent(deps: Deps, file: FileRow, range?: ByteRange): Promise<FileContent> {
  if (!file.completed_at)
    throw new AppError(ErrorCode.uploadIncomplete, 'The file has not been uploaded completely.');
  const segments = await selectSegments(deps.db, file.id);
  const start = range?.start ?? 0;
  const end = range ? range.end + 1 : file.length;
  const blobs = deps.blobs;
  async function* concatenate() {
    for (const segment of segments) {
      const segmentEnd = segment.start_offset + segment.size;
      if (segmentEnd <= start || segment.start_offset >= end) continue;
      const offset = Math.max(start, segment.start_offset) - segment.start_offset;
      const length = Math.min(end, segmentEnd) - segment.start_offset - offset;
      const part = await blobs.getStream(segment.blob_key, { offset, length });
      if (!part) throw new Error('a file segment is missing from the blob store');
      let got = 0;
      for await (const chunk of part) {
        got += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (got !== length) throw new Error('a file segment is shorter than recorded');
    }
  }
  return { size: file.length, range, stream: Readable.from(concatenate(), { objectMode: false }) };
}

/**
 * Whether a response is a (new) download for the receipts and the audit trail: the whole file,
 * or a range from its first byte. A resumed download (`Range: bytes=N-`) is the same download.
 */
export function isNewDownload(content: FileContent): boolean {
  return !content.range || content.range.start === 0;
}

/** A staff user downloads a file they uploaded (message recipients go through the messages feature). */
export async function downloadOwnFile(
  deps: Deps,
  actor: Actor,
  id: string,
  rangeHeader: string | undefined,
  origin: RequestOrigin,
): Promise<FileContent> {
  const file = await requireOwnUpload(deps, actor, id);
  if (!file.completed_at)
    throw new AppError(ErrorCode.uploadIncomplete, 'The file has not been uploaded completely.');
  const content = await openFileContent(deps, file, parseRange(rangeHeader, file.length));
  if (isNewDownload(content))
    await deps.audit.record({
      action: AuditAction.fileDownloaded,
      outcome: 'success',
      organisationId: actor.organisationId,
      actor: auditActor(actor),
      accessPoint: origin,
      object: { type: 'file', id: file.id },
      details: { range: content.range ? 'from-start' : 'whole' },
    });
  return content;
}
