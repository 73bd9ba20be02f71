import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL for invitations and password resets (one-time links); no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

// Invitations

export function insertInvitation(
  db: Db,
  inv: {
    id: string;
    organisationId: string;
    email: string;
    name: string;
    role: 'admin' | 'member';
    tokenHash: string;
    kdfSalt: Uint8Array;
    invitedBy: string | null;
    expiresAt: Date;
  },
) {
  return db
    .insertInto('invitations')
    .values({
      id: inv.id,
      organisation_id: inv.organisationId,
      email: inv.email,
      name: inv.name,
      role: inv.role,
      token_hash: inv.tokenHash,
      kdf_salt: inv.kdfSalt,
      invited_by: inv.invitedBy,
      expires_at: inv.expiresAt,
      used_at: null,
      revoked_at: null,
    })
    .execute();
}

export function selectInvitationByTokenHash(db: Db, tokenHash: string) {
  return db
    .selectFrom('invitations')
    .innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .selectAll('invitations')
    .select('organisations.name as organisation_name')
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function selectInvitations(db: Db, organisationId: string) {
  return db
    .selectFrom('invitations')
    .select(['id', 'email', 'name', 'role', 'created_at', 'expires_at', 'used_at', 'revoked_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Marks an invitation used only if it still is open: two clicks on one link make one account. */
export async function claimInvitation(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function revokeInvitationRow(db: Db, organisationId: string, id: string, now: Date) {
  return db
    .updateTable('invitations')
    .set({ revoked_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

// Password resets

export function insertPasswordReset(
  db: Db,
  r: { id: string; userId: string; tokenHash: string; kdfSalt: Uint8Array; now: Date; expiresAt: Date },
) {
  return db
    .insertInto('password_resets')
    .values({
      id: r.id,
      user_id: r.userId,
      token_hash: r.tokenHash,
      kdf_salt: r.kdfSalt,
      created_at: r.now,
      expires_at: r.expiresAt,
      used_at: null,
    })
    .execute();
}

export function selectPasswordReset(db: Db, tokenHash: string) {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function claimPasswordReset(db: Db, id: string, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('password_resets')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}
