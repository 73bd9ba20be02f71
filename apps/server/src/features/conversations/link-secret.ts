import type { Deps } from '../../deps.ts';

const LINK_PURPOSE = 'zegel/guest-link-secret/v1';

/**
 * The link secret rides in a delivery job only until the mail has left: sealed with the server
 * secret (a database dump alone does not hold it), bound to the recipient, and erased with the
 * job's payload when the job finishes (docs/security.md, "Messages and guests").
 */
export function sealLinkSecret(
  deps: Pick<Deps, 'secretBox'>,
  participantId: string,
  linkSecret: string,
): string {
  return deps.secretBox.seal(linkSecret, `${LINK_PURPOSE}:${participantId}`);
}

export function openLinkSecret(deps: Pick<Deps, 'secretBox'>, participantId: string, sealed: string): string {
  return deps.secretBox.open(sealed, `${LINK_PURPOSE}:${participantId}`);
}

/** The guest page's address for a recipient, with the link secret in the fragment when known. */
export function guestLink(deps: Pick<Deps, 'config'>, participantId: string, linkSecret?: string): string {
  return `${deps.config.publicUrl}/g/${participantId}${linkSecret ? `#${linkSecret}` : ''}`;
}

/** Names the recipient in every notification mail, so a bounce report (DSN) can be matched to it. */
export const RECIPIENT_HEADER = 'X-Zegel-Recipient';
