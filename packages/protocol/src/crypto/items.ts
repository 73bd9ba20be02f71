import { decryptContent, encryptContent, generateContentKey } from './content-format.ts';
import { unwrapContentKey, wrapContentKey } from './hpke.ts';

/**
 * One encrypted item (a message body, an attachment, a reply) for several recipients: a fresh
 * content key, the content format bound to the item id, and that key wrapped to each recipient's
 * public key. The server stores `ciphertext` and one `wrappedKey` per recipient, nothing else.
 */
export interface ItemRecipient {
  /** The user, team or guest id the server files the wrapped key under. */
  recipientId: string;
  publicKey: Uint8Array;
}

export interface EncryptedItem {
  ciphertext: Uint8Array<ArrayBuffer>;
  wrappedKeys: { recipientId: string; wrappedKey: Uint8Array<ArrayBuffer> }[];
}

export async function encryptItem(input: {
  itemId: string;
  plaintext: Uint8Array;
  recipients: readonly ItemRecipient[];
}): Promise<EncryptedItem> {
  if (input.recipients.length === 0) throw new RangeError('an item needs at least one recipient');
  const contentKey = generateContentKey();
  const ciphertext = await encryptContent(contentKey, input.plaintext, { associatedData: input.itemId });
  const wrappedKeys = await Promise.all(
    input.recipients.map(async (recipient) => ({
      recipientId: recipient.recipientId,
      wrappedKey: await wrapContentKey(contentKey, recipient.publicKey, input.itemId),
    })),
  );
  contentKey.fill(0);
  return { ciphertext, wrappedKeys };
}

/** Unwraps the recipient's copy of the content key, then decrypts; errors are the door's `CryptoError` classes. */
export async function decryptItem(input: {
  itemId: string;
  ciphertext: Uint8Array;
  wrappedKey: Uint8Array;
  privateKey: Uint8Array;
}): Promise<Uint8Array<ArrayBuffer>> {
  const contentKey = await unwrapContentKey(input.wrappedKey, input.privateKey, input.itemId);
  try {
    return await decryptContent(contentKey, input.ciphertext, { associatedData: input.itemId });
  } finally {
    contentKey.fill(0);
  }
}

/**
 * A guest's reply (or one of its attachments), encrypted in the guest's browser to the staff
 * members' and teams' public keys that the server lists for the conversation, and to the guest's
 * own public key so the guest can read back what they sent.
 */
export async function encryptGuestReply(input: {
  itemId: string;
  plaintext: Uint8Array;
  staffRecipients: readonly ItemRecipient[];
  guest: ItemRecipient;
}): Promise<EncryptedItem> {
  if (input.staffRecipients.length === 0)
    throw new RangeError('a reply needs at least one staff or team recipient');
  return encryptItem({
    itemId: input.itemId,
    plaintext: input.plaintext,
    recipients: [...input.staffRecipients, input.guest],
  });
}
