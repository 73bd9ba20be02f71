import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

/** SQL for organisations, users and recovery codes; no rules here. */
type Db = Kysely<DB> | Transaction<DB>;

// Organisations

export function insertOrganisation(
  db: Db,
  org: { id: string; name: string; slug: string; mailDomains: string[] },
) {
  return db
    .insertInto('organisations')
    .values({ id: org.id, name: org.name, slug: org.slug, mail_domains: org.mailDomains, branding: '{}' })
    .execute();
}

export function selectOrganisation(db: Db, id: string) {
  return db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectOrganisationBySlug(db: Db, slug: string) {
  return db.selectFrom('organisations').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export function selectOrganisations(db: Db) {
  return db
    .selectFrom('organisations')
    .select(['id', 'name', 'slug', 'created_at'])
    .orderBy('name')
    .execute();
}

export function updateOrganisationRow(
  db: Db,
  id: string,
  patch: Partial<{
    name: string;
    mail_domains: string[];
    branding: string;
    trusted_device_days: number;
    logo_type: string | null;
    logo: Uint8Array | null;
  }>,
) {
  return db.updateTable('organisations').set(patch).where('id', '=', id).execute();
}

// Users

export type UserRow = NonNullable<Awaited<ReturnType<typeof selectUserById>>>;

export function selectUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function selectUserByEmail(db: Db, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
}

export function selectUsersOfOrganisation(db: Db, organisationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'role', 'status', 'totp_enabled_at', 'created_at'])
    .where('organisation_id', '=', organisationId)
    .orderBy('name')
    .execute();
}

export function countActiveAdmins(db: Db, organisationId: string) {
  return db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('organisation_id', '=', organisationId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
}

export function insertUser(
  db: Db,
  user: {
    id: string;
    organisationId: string;
    email: string;
    name: string;
    role: 'admin' | 'member';
    kdfSalt: Uint8Array;
    kdfParams: object;
    loginHash: string;
  },
) {
  return db
    .insertInto('users')
    .values({
      id: user.id,
      organisation_id: user.organisationId,
      email: user.email,
      name: user.name,
      role: user.role,
      kdf_salt: user.kdfSalt,
      kdf_params: JSON.stringify(user.kdfParams),
      login_hash: user.loginHash,
    })
    .execute();
}

export function updateUserRow(
  db: Db,
  id: string,
  patch: Partial<{
    role: 'admin' | 'member';
    status: 'active' | 'deactivated';
    name: string;
    login_hash: string;
    kdf_salt: Uint8Array;
    kdf_params: string;
    password_changed_at: Date;
    totp_secret_sealed: string | null;
    totp_enabled_at: Date | null;
    totp_last_step: number | null;
    public_key: string | null;
    wrapped_private_key: string | null;
  }>,
) {
  return db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/** Records a TOTP step as used, only if it is newer than the last one: a code works once. */
export async function claimTotpStep(db: Db, userId: string, step: number): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

// Recovery codes

export async function replaceRecoveryCodes(db: Db, userId: string, codeHashes: string[]) {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  if (codeHashes.length === 0) return;
  await db
    .insertInto('recovery_codes')
    .values(
      codeHashes.map((code_hash) => ({ id: crypto.randomUUID(), user_id: userId, code_hash, used_at: null })),
    )
    .execute();
}

/** Marks a recovery code used if it exists and is unused; true when it was. */
export async function consumeRecoveryCode(
  db: Db,
  userId: string,
  codeHash: string,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export function countUnusedRecoveryCodes(db: Db, userId: string) {
  return db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
}
