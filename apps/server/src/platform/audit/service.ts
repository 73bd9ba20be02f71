import type { Kysely } from 'kysely';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../deps.ts';
import { computeAuditHash, GENESIS_HASH } from './chain.ts';
import { type AuditQuery, appendAuditRow, readChain, selectAuditRows } from './store.ts';

/** What Zegel records. Names are `object.verb`; the list grows with each feature. */
export const AuditAction = {
  signIn: 'auth.sign_in',
  secondFactor: 'auth.second_factor',
  totpEnrolled: 'auth.totp_enrolled',
  recoveryCodesRenewed: 'auth.recovery_codes_renewed',
  deviceTrusted: 'auth.device_trusted',
  deviceRevoked: 'auth.device_revoked',
  passkeyAdded: 'auth.passkey_added',
  passkeyRenamed: 'auth.passkey_renamed',
  passkeyRemoved: 'auth.passkey_removed',
  signOut: 'auth.sign_out',
  signOutEverywhere: 'auth.sign_out_everywhere',
  sessionRevoked: 'auth.session_revoked',
  passwordResetRequested: 'auth.password_reset_requested',
  passwordReset: 'auth.password_reset',
  organisationCreated: 'organisation.created',
  organisationUpdated: 'organisation.updated',
  invitationCreated: 'invitation.created',
  invitationAccepted: 'invitation.accepted',
  invitationRevoked: 'invitation.revoked',
  userRoleChanged: 'user.role_changed',
  userDeactivated: 'user.deactivated',
  userReactivated: 'user.reactivated',
  teamCreated: 'team.created',
  teamUpdated: 'team.updated',
  teamDeleted: 'team.deleted',
  teamMemberAdded: 'team.member_added',
  teamMemberRemoved: 'team.member_removed',
  auditRead: 'audit.read',
  auditExported: 'audit.exported',
  mailSecurityChecked: 'mail_security.checked',
  mailSecurityBulkChecked: 'mail_security.bulk_checked',
  mailSecurityExported: 'mail_security.exported',
  mailSecuritySettingsUpdated: 'mail_security.settings_updated',
  accountKeysCreated: 'keys.account_created',
  teamKeysCreated: 'keys.team_created',
  teamKeysWrapped: 'keys.team_wrapped',
  messageSettingsUpdated: 'message.settings_updated',
  recipientDirectoryImported: 'recipient_directory.imported',
  recipientDirectoryRead: 'recipient_directory.read',
  messageSent: 'message.sent',
  messageRead: 'message.read',
  mailboxRead: 'message.mailbox_read',
  messageItemAdded: 'message.item_added',
  messageNotified: 'message.notified',
  messageBounced: 'message.bounced',
  messageRevoked: 'message.revoked',
  messageExpiryChanged: 'message.expiry_changed',
  messageExpired: 'message.expired',
  messageReportRead: 'message.report_read',
  attachmentDownloaded: 'message.attachment_downloaded',
  fileUploaded: 'file.uploaded',
  fileDownloaded: 'file.downloaded',
  dlpPolicyUpdated: 'dlp.policy_updated',
  dlpOverride: 'dlp.override',
  dlpBlocked: 'dlp.blocked',
  dlpAudited: 'dlp.audited',
  teamContactSettingsUpdated: 'team.contact_settings_updated',
  teamConversationAssigned: 'team.conversation_assigned',
  teamConversationDone: 'team.conversation_done',
  contactCodeRequested: 'contact.code_requested',
  contactAddressVerified: 'contact.address_verified',
  contactVerificationFailed: 'contact.verification_failed',
  contactConversationStarted: 'contact.conversation_started',
  guestSmsSent: 'guest.sms_sent',
  guestVerified: 'guest.verified',
  guestVerificationFailed: 'guest.verification_failed',
  guestLocked: 'guest.locked',
  guestNoCode: 'guest.no_code',
  guestOpened: 'guest.opened',
  guestReplied: 'guest.replied',
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/** Who acted (NEN 7513: user, role, on whose behalf). */
export interface AuditActor {
  userId: string | null;
  name: string | null;
  role: string | null;
  onBehalfOf?: string | null;
}

/** The audit view of a signed-in actor. */
export function auditActor(actor: Actor): AuditActor {
  return { userId: actor.userId, name: actor.name, role: actor.role };
}

/** Where from (NEN 7513: access point). */
export interface AccessPoint {
  ip: string | null;
  userAgent: string | null;
}

/**
 * One event. `details` must never hold secrets, message content or personal data beyond the
 * identifiers above: it is shown to admins and exported.
 */
export interface AuditEventInput {
  action: AuditAction;
  outcome: 'success' | 'failure';
  organisationId: string | null;
  actor?: AuditActor | null;
  accessPoint?: AccessPoint | null;
  subjectPerson?: string | null;
  object?: { type: string; id: string } | null;
  source?: string;
  details?: Record<string, unknown>;
}

export interface AuditTrail {
  record(event: AuditEventInput): Promise<void>;
  list(query: AuditQuery): Promise<AuditRow[]>;
  verify(): Promise<VerifyResult>;
}

export type AuditRow = Awaited<ReturnType<typeof selectAuditRows>>[number];

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; brokenSeq: number; brokenId: string; reason: string };

export function createAuditTrail(db: Kysely<DB>, clock: Clock): AuditTrail {
  return {
    async record(event) {
      // Whole milliseconds: the hash covers the ISO time, and both engines store microseconds.
      await appendAuditRow(db, {
        id: crypto.randomUUID(),
        organisation_id: event.organisationId,
        occurred_at: clock.now(),
        action: event.action,
        outcome: event.outcome,
        actor_user_id: event.actor?.userId ?? null,
        actor_name: event.actor?.name ?? null,
        on_behalf_of: event.actor?.onBehalfOf ?? null,
        actor_role: event.actor?.role ?? null,
        access_ip: event.accessPoint?.ip ?? null,
        access_user_agent: event.accessPoint?.userAgent?.slice(0, 300) ?? null,
        subject_person: event.subjectPerson ?? null,
        object_type: event.object?.type ?? null,
        object_id: event.object?.id ?? null,
        source: event.source ?? 'zegel-server',
        details: event.details ?? {},
      });
    },
    list: (query) => selectAuditRows(db, query),
    verify: () => verifyAuditChain(db),
  };
}

/** Walks the chain from the first row and names the first row whose links or hash do not hold. */
export async function verifyAuditChain(db: Kysely<DB>): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let rows = 0;
  for await (const row of readChain(db)) {
    rows++;
    const broken = (reason: string): VerifyResult => ({
      ok: false,
      rows,
      brokenSeq: row.seq,
      brokenId: row.id,
      reason,
    });
    if (row.prev_hash !== prevHash) {
      return broken(
        'its link to the previous row does not match (a row before it was changed, removed or inserted)',
      );
    }
    if (
      computeAuditHash(prevHash, { ...row, details: row.details as Record<string, unknown> }) !== row.hash
    ) {
      return broken('its contents do not match its hash (the row was changed)');
    }
    prevHash = row.hash;
  }
  return { ok: true, rows };
}
