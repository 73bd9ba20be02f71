import type {
  RecipientInput,
  RecipientProblem,
  RecipientRole,
  SendMessageRequest,
  SendMessageResponse,
  VerificationMethod,
} from '@zegel/protocol/api';
import {
  createGuestInvitation,
  encryptItem,
  fromBase64Url,
  type ItemRecipient,
  toBase64Url,
} from '@zegel/protocol/crypto';
import { DetailedApiError, sendJson } from '../../api/index.ts';
import { encodeContent, type Progress } from '../conversations/index.ts';
import { encryptAndUploadAttachments, type FileManifestEntry } from '../files/index.ts';
import type { UnlockedKeys } from '../keys/index.ts';

export type ComposeRecipient =
  | {
      key: string;
      kind: 'user';
      role: RecipientRole;
      id: string;
      name: string;
      email: string;
      publicKey: string | null;
    }
  | { key: string; kind: 'team'; role: RecipientRole; id: string; name: string; publicKey: string | null }
  | {
      key: string;
      kind: 'guest';
      role: RecipientRole;
      address: string;
      method: VerificationMethod;
      phone: string;
      accessCode: string;
      accessCodeHint: string;
      remember: boolean;
    };

export interface Draft {
  recipients: ComposeRecipient[];
  subject: string;
  bodyHtml: string;
  files: File[];
  /** Large files already uploaded with tus (their upload named `conversationId` as messageId). */
  largeFiles?: FileManifestEntry[];
  /** The conversation id the large files' uploads were tied to; a fresh one when absent. */
  conversationId?: string;
  expiresAt: string;
}

/** A problem the server (or the composer) found with one recipient, by the recipient's key. */
export interface RecipientIssue {
  recipientKey: string | null;
  field: RecipientProblem['field'];
  problem: RecipientProblem['problem'];
  message: string;
}

export class RecipientsIncompleteError extends Error {
  readonly issues: RecipientIssue[];
  constructor(issues: RecipientIssue[]) {
    super('recipients incomplete');
    this.issues = issues;
  }
}

/**
 * Encrypts and sends a new conversation as docs/messages.md describes: attachments first
 * (each its own key, uploaded as ciphertext), a guest invitation per external recipient
 * (link secret, server share, access-code verifier), then the item wrapped to me, every
 * colleague, team and guest. A 422 `recipients_incomplete` becomes a `RecipientsIncompleteError`.
 */
export async function sendMessage(
  draft: Draft,
  keys: UnlockedKeys,
  onProgress: (progress: Progress) => void,
): Promise<SendMessageResponse> {
  onProgress({ step: 'encrypting' });
  const conversationId = draft.conversationId ?? crypto.randomUUID();
  const largeFiles = draft.largeFiles ?? [];
  const itemId = crypto.randomUUID();
  const recipients: RecipientInput[] = [];
  const itemRecipients: ItemRecipient[] = [{ recipientId: keys.userId, publicKey: keys.publicKey }];
  const seen = new Set<string>([keys.userId]);
  for (const recipient of draft.recipients) {
    if (recipient.kind === 'user' || recipient.kind === 'team') {
      recipients.push(
        recipient.kind === 'user'
          ? { kind: 'user', userId: recipient.id, role: recipient.role }
          : { kind: 'team', teamId: recipient.id, role: recipient.role },
      );
      if (recipient.publicKey && !seen.has(recipient.id)) {
        seen.add(recipient.id);
        itemRecipients.push({ recipientId: recipient.id, publicKey: fromBase64Url(recipient.publicKey) });
      }
      continue;
    }
    const guest = await inviteGuest(recipient);
    itemRecipients.push(guest.itemRecipient);
    recipients.push(guest.input);
  }

  const attachments = await encryptAndUploadAttachments(
    draft.files,
    (id) => `/api/uploads/${id}`,
    onProgress,
  );
  onProgress({ step: 'encrypting' });
  const plaintext = encodeContent({
    v: 1,
    subject: draft.subject,
    bodyHtml: draft.bodyHtml,
    attachments,
    ...(largeFiles.length > 0 ? { files: largeFiles } : {}),
  });
  const encrypted = await encryptItem({ itemId, plaintext, recipients: itemRecipients });
  const request: SendMessageRequest = {
    conversationId,
    itemId,
    item: toBase64Url(encrypted.ciphertext),
    attachments: attachments.map((attachment) => ({ id: attachment.id })),
    ...(largeFiles.length > 0 ? { files: largeFiles.map((file) => ({ id: file.id })) } : {}),
    recipients,
    wrappedKeys: encrypted.wrappedKeys.map((wrapped) => ({
      holderId: wrapped.recipientId,
      wrappedKey: toBase64Url(wrapped.wrappedKey),
    })),
    expiresAt: draft.expiresAt,
  };
  onProgress({ step: 'sending' });
  try {
    return await sendJson<SendMessageResponse>('POST', '/api/messages', request);
  } catch (error) {
    if (error instanceof DetailedApiError && error.code === 'recipients_incomplete') {
      const problems = ((error.details as { recipients?: RecipientProblem[] } | undefined)?.recipients ??
        []) as RecipientProblem[];
      throw new RecipientsIncompleteError(
        problems.map((problem) => ({
          recipientKey: draft.recipients[problem.index]?.key ?? null,
          field: problem.field,
          problem: problem.problem,
          message: problem.message,
        })),
      );
    }
    throw error;
  }
}

type GuestDraft = Extract<ComposeRecipient, { kind: 'guest' }>;

/**
 * A guest's invitation: a fresh id, the link secret and server share (and, with an access code,
 * its Argon2id verifier), and the guest public key the item is wrapped to.
 */
async function inviteGuest(
  recipient: GuestDraft,
): Promise<{ input: RecipientInput; itemRecipient: ItemRecipient }> {
  const recipientId = crypto.randomUUID();
  const code = recipient.method === 'access_code' ? recipient.accessCode.trim() : '';
  const invitation = await createGuestInvitation({
    guestId: recipientId,
    ...(code ? { accessCode: code } : {}),
  });
  const input: RecipientInput = {
    kind: 'guest',
    recipientId,
    address: recipient.address.trim(),
    role: recipient.role,
    method: recipient.method,
    ...(recipient.method === 'sms' && recipient.phone.trim() ? { phone: recipient.phone.trim() } : {}),
    ...(invitation.accessCode
      ? {
          accessCode: {
            salt: toBase64Url(invitation.accessCode.salt),
            params: invitation.accessCode.params,
            verifierHash: toBase64Url(invitation.accessCode.verifierHash),
          },
        }
      : {}),
    ...(recipient.method === 'access_code' && recipient.accessCodeHint.trim()
      ? { accessCodeHint: recipient.accessCodeHint.trim() }
      : {}),
    serverShare: toBase64Url(invitation.serverShare),
    publicKey: toBase64Url(invitation.publicKey),
    linkSecret: toBase64Url(invitation.linkSecret),
    remember: recipient.remember,
  };
  return { input, itemRecipient: { recipientId, publicKey: invitation.publicKey } };
}
