import { type AuditChainKeys, deriveAuditChainKeys } from '@zegel/protocol/crypto';
import type { Kysely } from 'kysely';
import type { BlobStore } from '../../adapters/blob-store.ts';
import type { Clock } from '../../adapters/clock.ts';
import type { DB } from '../../db/schema.ts';
import type { Actor } from '../../deps.ts';
import { type ChainedFields, chainMessage, type RowHasher } from './chain.ts';
import { type AuditCheckpoint, createCheckpoint, loadStoredCheckpoints } from './checkpoint.ts';
import { type AuditQuery, appendAuditRows, selectAuditRows } from './store.ts';
import { type VerifyResult, verifyAuditChain } from './verify.ts';

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
  auditCheckpoint: 'audit.checkpoint',
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
  reportDirectoryImported: 'report.directory_imported',
  reportRouted: 'report.routed',
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
  guestUnlocked: 'guest.unlocked',
  guestNoCode: 'guest.no_code',
  guestOpened: 'guest.opened',
  gatewayAppPasswordCreated: 'gateway.app_password_created',
  gatewayAppPasswordRevoked: 'gateway.app_password_revoked',
  gatewayMailReceived: 'gateway.mail_received',
  gatewaySettingsUpdated: 'gateway.settings_updated',
  gatewayDecisionsRead: 'gateway.decisions_read',
  guestReplied: 'guest.replied',
  careNetworkCreated: 'care.network_created',
  careNetworkRead: 'care.network_read',
  careMemberAdded: 'care.member_added',
  careMemberRemoved: 'care.member_removed',
  careConsentRequested: 'care.consent_requested',
  careConsentGiven: 'care.consent_given',
  careConsentDeclined: 'care.consent_declined',
  careConversationRead: 'care.conversation_read',
  careItemAdded: 'care.item_added',
  careFolderOpened: 'care.folder_opened',
  careDocumentAdded: 'care.document_added',
  careAccessViewRead: 'care.access_view_read',
  careSettingsUpdated: 'care.settings_updated',
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
  /** Several events of one action, in order, under one lock of the chain. */
  recordMany(events: AuditEventInput[]): Promise<void>;
  list(query: AuditQuery): Promise<AuditRow[]>;
  /** Checks the chain against the stored checkpoints and any `extra` ones (exported files). */
  verify(extra?: AuditCheckpoint[]): Promise<VerifyResult>;
  /**
   * Signs the current head and stores it outside the database (see checkpoint.ts). With
   * `onlyIfMoved`, a head that only moved by the latest checkpoint's own event is left alone.
   */
  checkpoint(options?: { onlyIfMoved?: boolean }): Promise<AuditCheckpoint | undefined>;
}

export type AuditRow = Awaited<ReturnType<typeof selectAuditRows>>[number];

export interface AuditTrailOptions {
  /** The server secret: the chain and checkpoint keys are derived from it, never stored. */
  secret: string;
  /** Where checkpoints go (outside the database). */
  blobs: BlobStore;
  /** A checkpoint after every this many events (default 100). */
  checkpointEvery?: number;
}

export function createAuditTrail(db: Kysely<DB>, clock: Clock, options: AuditTrailOptions): AuditTrail {
  let keys: Promise<AuditChainKeys> | undefined;
  const chainKeys = () => {
    keys ??= deriveAuditChainKeys(options.secret);
    return keys;
  };
  const hashRow: RowHasher = async (prevHash, row) => (await chainKeys()).macHex(chainMessage(prevHash, row));
  const every = options.checkpointEvery ?? 100;
  const checkpoint = async ({ onlyIfMoved = false } = {}) => {
    const made = await createCheckpoint({ db, blobs: options.blobs, clock, keys: chainKeys(), onlyIfMoved });
    if (made?.isNew) await appendAuditRows(db, [checkpointEvent(made.checkpoint, clock)], hashRow);
    return made?.checkpoint;
  };
  const recordMany = async (events: AuditEventInput[]) => {
    if (events.length === 0) return;
    const head = await appendAuditRows(
      db,
      events.map((event) => eventFields(event, clock)),
      hashRow,
    );
    // The events are stored either way; a failed checkpoint is retried at the next interval,
    // and a missing one only widens the window that verify cannot anchor.
    if (Math.floor(head.seq / every) > Math.floor((head.first - 1) / every))
      await checkpoint().catch(() => undefined);
  };
  return {
    record: (event) => recordMany([event]),
    recordMany,
    list: (query) => selectAuditRows(db, query),
    verify: async (extra = []) =>
      verifyAuditChain(db, await chainKeys(), [...(await loadStoredCheckpoints(options.blobs)), ...extra]),
    checkpoint,
  };
}

/** The row for one event. Whole milliseconds: the hash covers the ISO time. */
function eventFields(event: AuditEventInput, clock: Clock): ChainedFields {
  return {
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
  };
}

/** A checkpoint is also written into the trail itself, so the log shows when each was made. */
function checkpointEvent(c: AuditCheckpoint, clock: Clock): ChainedFields {
  return eventFields(
    {
      action: AuditAction.auditCheckpoint,
      outcome: 'success',
      organisationId: null,
      details: { seq: c.seq, hash: c.hash, signature: c.signature, publicKey: c.publicKey },
    },
    clock,
  );
}
