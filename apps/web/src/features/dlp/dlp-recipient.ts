import type { RecipientRole, VerificationMethod } from '@zegel/protocol/api';

/**
 * What leak prevention needs of a draft's recipient: where it goes and in which field. The
 * composer's recipients fit this shape, so leak prevention need not know the composer.
 */
export type DlpRecipient =
  | { kind: 'user'; role: RecipientRole; email: string }
  | { kind: 'team'; role: RecipientRole }
  | {
      kind: 'guest';
      key: string;
      role: RecipientRole;
      address: string;
      /** How the guest proves who they are; `email_only` means the link alone opens the message. */
      method: VerificationMethod;
    };
