import type { AccessCodeParams } from '../../db/schema.ts';
import type { Deps } from '../../deps.ts';
import { maskPhone } from './phone.ts';
import {
  type CredentialsInsert,
  type CredentialsRow,
  clearLock,
  deleteSessionsAndDevices,
  insertCredentials,
  selectCredentials,
  shredCredentials,
  updateCredentials,
} from './store.ts';

type DbDeps = Pick<Deps, 'db'>;

/** How a new guest will verify, as the sender's browser set it up. */
export interface NewGuestCredentials {
  participantId: string;
  method: 'sms' | 'access_code' | 'email_only';
  phone: string | null;
  accessCode?: { salt: Uint8Array; params: AccessCodeParams; verifierHash: Uint8Array } | undefined;
  accessCodeHint?: string | null;
  serverShare: Uint8Array;
  /** `linkProofHashFor(participantId, linkSecret)`; without it the link needs no proof (old links). */
  linkProofHash?: Uint8Array | undefined;
  /** Set when the guest proved their address already (a contact page's e-mail code). */
  verifiedAt?: Date;
}

/** Stores new guests' credentials (inside the caller's transaction). */
export async function createGuestCredentials(deps: DbDeps, guests: NewGuestCredentials[]): Promise<void> {
  await insertCredentials(deps.db, guests.map(toRow));
}

function toRow(g: NewGuestCredentials): CredentialsInsert {
  return {
    participant_id: g.participantId,
    method: g.method,
    phone: g.phone,
    access_code_salt: g.accessCode?.salt ?? null,
    access_code_params: g.accessCode?.params ?? null,
    access_code_verifier: g.accessCode?.verifierHash ?? null,
    access_code_hint: g.accessCodeHint ?? null,
    server_share: g.serverShare,
    verified_at: g.verifiedAt ?? null,
    link_proof_hash: g.linkProofHash ?? null,
  };
}

/** What others may know of a guest's verification: method, masked phone, receipts, lock. */
export interface GuestStatus {
  method: 'sms' | 'access_code' | 'email_only';
  phone: string | null;
  phoneHint: string | null;
  accessCodeHint: string | null;
  accessCode: { salt: Uint8Array; params: AccessCodeParams } | null;
  hasServerShare: boolean;
  verifiedAt: Date | null;
  /** When the latest lock began (it may have ended). */
  lockedAt: Date | null;
  /** When the latest lock ends or ended; locked while this is in the future. */
  lockedUntil: Date | null;
  noCodeAt: Date | null;
}

function toStatus(row: CredentialsRow): GuestStatus {
  return {
    method: row.method,
    phone: row.phone,
    phoneHint: row.phone ? maskPhone(row.phone) : null,
    accessCodeHint: row.access_code_hint,
    accessCode:
      row.method === 'access_code' && row.access_code_salt && row.access_code_params
        ? { salt: row.access_code_salt, params: row.access_code_params }
        : null,
    hasServerShare: row.server_share !== null,
    verifiedAt: row.verified_at,
    lockedAt: row.locked_at,
    lockedUntil: row.locked_until,
    noCodeAt: row.no_code_at,
  };
}

/** Guest status per participant id (ids without credentials are absent). */
export async function guestStatuses(deps: DbDeps, participantIds: readonly string[]) {
  const rows = await selectCredentials(deps.db, [...new Set(participantIds)]);
  return new Map(rows.map((r) => [r.participant_id, toStatus(r)]));
}

/** "I don't have the code": remembered on the guest's credentials. */
export async function recordNoCode(deps: DbDeps, participantId: string, now: Date): Promise<void> {
  await updateCredentials(deps.db, participantId, { no_code_at: now });
}

/** The sender's unlock: the running lock ends and wrong codes and earlier locks are forgotten. */
export async function unlockGuest(deps: DbDeps, participantId: string): Promise<boolean> {
  return clearLock(deps.db, participantId);
}

/**
 * Crypto-shreds guests (revoke, expiry): the server share goes, and with it every session and
 * remembered browser; returns the guests whose share was still there.
 */
export async function shredGuestAccess(deps: DbDeps, participantIds: readonly string[]): Promise<string[]> {
  const shredded = await shredCredentials(deps.db, participantIds);
  await deleteSessionsAndDevices(deps.db, participantIds);
  return shredded;
}

/** The server share of a guest who holds a verified session (the caller checked the session). */
export async function serverShareOf(deps: DbDeps, participantId: string): Promise<Uint8Array | null> {
  const [row] = await selectCredentials(deps.db, [participantId]);
  return row?.server_share ?? null;
}
