import type { MessageContent } from '@zegel/protocol/api';
import {
  decryptContent,
  encryptContent,
  fromBase64Url,
  generateContentKey,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { cleanFileName, type FileNameWarning } from '@zegel/protocol/file-names';
import { MessageLimits } from '@zegel/protocol/limits';
import { getCiphertext, putCiphertext } from '../../api/index.ts';

/** An attachment of a message; `warnings` say what looked suspicious about its name as received. */
export type AttachmentEntry = MessageContent['attachments'][number] & { warnings?: FileNameWarning[] };

/** Which attachment is being uploaded, for the sender's live region. */
export interface UploadProgress {
  step: 'uploading';
  index: number;
  count: number;
  name: string;
}

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
  onProgress: (progress: UploadProgress) => void,
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
