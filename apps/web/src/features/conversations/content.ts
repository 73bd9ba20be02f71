import type { Item, MessageContent } from '@zegel/protocol/api';
import { decryptItem, fromBase64Url, utf8 } from '@zegel/protocol/crypto';
import { cleanFileName } from '@zegel/protocol/file-names';
import type { AttachmentEntry, FileManifestEntry, UploadProgress } from '../files/index.ts';
import { sanitizeMessageHtml } from './sanitize.ts';

/**
 * A message's decrypted content: the protocol's `MessageContent` plus the manifest of its large
 * files (uploaded with tus; each entry carries the file's content key, name, type and size, which
 * the server never sees).
 */
export type ContentWithFiles = MessageContent & { files?: FileManifestEntry[] };

/** Progress of a send or reply, for the live region: step and, while uploading, which file. */
export type Progress = { step: 'encrypting' } | UploadProgress | { step: 'sending' };

export function encodeContent(content: ContentWithFiles): Uint8Array {
  return utf8.encode(JSON.stringify({ ...content, bodyHtml: sanitizeMessageHtml(content.bodyHtml) }));
}

/** Parses a decrypted item; anything not shaped like `MessageContent` is refused. */
export function decodeContent(
  bytes: Uint8Array,
): MessageContent & { attachments: AttachmentEntry[]; files: FileManifestEntry[] } {
  const value = JSON.parse(utf8.decode(bytes)) as Partial<ContentWithFiles>;
  if (
    value.v !== 1 ||
    typeof value.subject !== 'string' ||
    typeof value.bodyHtml !== 'string' ||
    !Array.isArray(value.attachments)
  )
    throw new Error('unreadable message content');
  const attachments = value.attachments
    .filter(
      (entry): entry is AttachmentEntry =>
        typeof entry?.id === 'string' &&
        typeof entry.name === 'string' &&
        typeof entry.key === 'string' &&
        typeof entry.size === 'number',
    )
    // The sender's browser chose the name: clean it before it is shown or used to save the file.
    .map((entry) => ({ ...entry, ...cleanFileName(entry.name) }));
  const files = (Array.isArray(value.files) ? value.files : [])
    .filter(
      (entry): entry is FileManifestEntry =>
        typeof entry?.id === 'string' &&
        typeof entry.name === 'string' &&
        typeof entry.key === 'string' &&
        typeof entry.type === 'string' &&
        Number.isSafeInteger(entry.size) &&
        entry.size >= 0,
    )
    .map((entry) => ({ ...entry, name: cleanFileName(entry.name).name }));
  return { v: 1, subject: value.subject, bodyHtml: value.bodyHtml, attachments, files };
}

/** A decrypted item, or the reason it could not be opened (no key for me, tampered). */
export type OpenedItem =
  | { item: Item; content: MessageContent & { files?: FileManifestEntry[] }; error?: undefined }
  | { item: Item; content?: undefined; error: 'noKey' | 'unreadable' };

/** Opens an item with whichever of my keys it was wrapped to (my own, a team's, a guest key). */
export async function openItem(
  item: Item,
  privateKeys: ReadonlyMap<string, Uint8Array>,
): Promise<OpenedItem> {
  const wrapped = item.wrappedKeys.find((key) => privateKeys.has(key.holderId));
  const privateKey = wrapped ? privateKeys.get(wrapped.holderId) : undefined;
  if (!wrapped || !privateKey) return { item, error: 'noKey' };
  try {
    const plaintext = await decryptItem({
      itemId: item.id,
      ciphertext: fromBase64Url(item.ciphertext),
      wrappedKey: fromBase64Url(wrapped.wrappedKey),
      privateKey,
    });
    return { item, content: decodeContent(plaintext) };
  } catch {
    return { item, error: 'unreadable' };
  }
}
