import { encryptContent, generateContentKey, toBase64Url, utf8 } from '@zegel/protocol/crypto';
import { MessageLimits } from '@zegel/protocol/limits';
import type { Deps } from '../../deps.ts';
import { storeAttachment } from '../files/index.ts';

/** One attachment of a submitted mail, in memory only. */
export interface MailAttachment {
  name: string;
  type: string;
  content: Uint8Array;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A plain-text body as the composer's HTML: paragraphs and line breaks, everything else escaped. */
export function textToBodyHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .filter((paragraph) => paragraph.trim() !== '')
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/**
 * Encrypts each attachment exactly as the composer does (its own content key, content format v1
 * bound to its id) and stores only the ciphertext; the manifest entries, with their keys, go into
 * the encrypted item.
 */
export async function storeEncryptedAttachments(
  deps: Deps,
  uploader: { organisationId: string; userId: string },
  attachments: readonly MailAttachment[],
) {
  const entries = [];
  for (const attachment of attachments) {
    const id = crypto.randomUUID();
    const key = generateContentKey();
    const ciphertext = await encryptContent(key, attachment.content, { associatedData: id });
    await storeAttachment(deps, uploader, id, ciphertext);
    entries.push({
      id,
      name: attachment.name.slice(0, MessageLimits.maxFileNameLength),
      type: attachment.type.slice(0, 255),
      size: attachment.content.length,
      key: toBase64Url(key),
    });
    key.fill(0);
  }
  return entries;
}

/** The item plaintext in the composer's format (`apps/web/src/features/conversations/content.ts`). */
export function encodeItem(content: {
  subject: string;
  bodyHtml: string;
  attachments: { id: string; name: string; type: string; size: number; key: string }[];
}): Uint8Array {
  return utf8.encode(JSON.stringify({ v: 1, ...content }));
}
