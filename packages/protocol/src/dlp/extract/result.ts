export const AttachmentFormat = {
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  csv: 'csv',
  text: 'text',
  unknown: 'unknown',
} as const;
export type AttachmentFormat = (typeof AttachmentFormat)[keyof typeof AttachmentFormat];

/** Why an attachment could not be scanned; the composer shows "kon niet worden gecontroleerd". */
export const UnreadableReason = {
  encrypted: 'encrypted',
  corrupt: 'corrupt',
  unsupportedFormat: 'unsupported_format',
  tooLarge: 'too_large',
  /** A PDF with pages but no text layer: a scan, which would need OCR. */
  noText: 'no_text',
} as const;
export type UnreadableReason = (typeof UnreadableReason)[keyof typeof UnreadableReason];

export type ExtractResult =
  | { status: 'ok'; format: AttachmentFormat; text: string }
  | { status: 'unreadable'; format: AttachmentFormat; reason: UnreadableReason; detail: string };

export function unreadable(
  format: AttachmentFormat,
  reason: UnreadableReason,
  detail: string,
): ExtractResult {
  return { status: 'unreadable', format, reason, detail };
}
