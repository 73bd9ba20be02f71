import type { Item, MessageContent } from '@zegel/protocol/api';
import {
  decryptContent,
  decryptItem,
  encryptContent,
  fromBase64Url,
  generateContentKey,
  toBase64Url,
  utf8,
} from '@zegel/protocol/crypto';
import { cleanFileName, type FileNameWarning } from '@zegel/protocol/file-names';
import { MessageLimits } from '@zegel/protocol/limits';
import type { FileManifestEntry } from '../files/upload.ts';
import { getCiphertext, putCiphertext } from './binary-api.ts';
import { sanitizeMessageHtml } from './sanitize.ts';

/** An attachment of a message; `warnings` say what looked suspicious about its name as received. */
export type AttachmentEntry = MessageContent['attachments'][number] & { warnings?: FileNameWarning[] };

/**
 * A message's decrypted content: the protocol's `MessageContent` plus the manifest of its large
 * files (uploaded with tus; each entry carries the file's content key, name, type and size, which
 * the server never sees).
 */
export type ContentWithFiles = MessageContent & { files?: FileManifestEntry[] };

/** Progress of a send or reply, for the live region: step and, while uploading, which file. */
export type Progress =
  | { step: 'encrypting' }
  | { step: 'uploading'; index: number; count: number; name: string }
  | { step: 'sending' };

/** Why a file cannot be attached (checked before anything is encrypted). */
export function checkAttachments(
  files: readonly File[],
): { file: File; problem: 'tooLarge' | 'tooMany' | 'empty' }[] {
  const problems: { file: File; problem: 'tooLarge' | 'tooMany' | 'empty' }[] = [];
  files.forEach((file, index) => {
    if (index >= MessageLimits.maxAttachments) problems.push({ file, problem: 'tooMany' });
    else if (file.size > MessageLimits.maxAttachmentPlaintextBytes)
      problems.push({ file, problem: 'tooLarge' });
  });
  return problems;
}

/**
 * Encrypts each file with its own fresh content key, bound to the attachment id, and uploads
 * the ciphertext. The keys travel only inside the encrypted item (the manifest).
 */
export async function encryptAndUploadAttachments(
  files: readonly File[],
  uploadPath: (id: string) => string,
  onProgress: (progress: Progress) => void,
): Promise<AttachmentEntry[]> {
  const entries: AttachmentEntry[] = [];
  for (const [index, file] of files.entries()) {
    onProgress({ step: 'uploading', index: index + 1, count: files.length, name: file.name });
    const id = crypto.randomUUID();
    const key = generateContentKey();
    const plaintext = new Uint8Array(await file.arrayBuffer());
    const ciphertext = await encryptContent(key, plaintext, { associatedData: id });
    await putCiphertext(uploadPath(id), ciphertext);
    entries.push({
      id,
      name: cleanFileName(file.name).name.slice(0, MessageLimits.maxFileNameLength),
      type: file.type.slice(0, 255),
      size: file.size,
      key: toBase64Url(key),
    });
    key.fill(0);
  }
  return entries;
}

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

/** Downloads an attachment's ciphertext, decrypts it here and saves it under its original name. */
export async function downloadAttachment(path: string, entry: AttachmentEntry): Promise<void> {
  const ciphertext = await getCiphertext(path);
  const key = fromBase64Url(entry.key);
  const plaintext = await decryptContent(key, ciphertext, { associatedData: entry.id });
  key.fill(0);
  const url = URL.createObjectURL(new Blob([plaintext], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = entry.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function formatBytes(size: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value)} ${units[unit]}`;
}
