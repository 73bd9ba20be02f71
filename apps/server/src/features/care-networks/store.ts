import type { Insertable, Kysely } from 'kysely';
import type {
  CareCandidate,
  CareConsentRecord,
  CareNetworkMembersTable,
  CareNetworksTable,
  DB,
} from '../../db/schema.ts';

/** The tables care networks own; a query on any other table is a compile error here. */
type CareDb = Kysely<
  Pick<DB, 'care_network_settings' | 'care_networks' | 'care_network_members' | 'care_consent_requests'>
>;

export type MemberRow = Awaited<ReturnType<typeof selectMembers>>[number];
export type RequestRow = Awaited<ReturnType<typeof selectRequests>>[number];
export type NetworkRow = NonNullable<Awaited<ReturnType<typeof selectNetwork>>>;

export async function selectSettings(db: CareDb, organisationId: string) {
  return db
    .selectFrom('care_network_settings')
    .select(['open_days', 'request_days'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function upsertSettings(
  db: CareDb,
  organisationId: string,
  openDays: number,
  requestDays: number,
) {
  await db
    .insertInto('care_network_settings')
    .values({ organisation_id: organisationId, open_days: openDays, request_days: requestDays })
    .onConflict((oc) =>
      oc.column('organisation_id').doUpdateSet({ open_days: openDays, request_days: requestDays }),
    )
    .execute();
}

export async function insertNetwork(db: CareDb, row: Omit<Insertable<CareNetworksTable>, 'conversation_id'>) {
  await db.insertInto('care_networks').values(row).execute();
}

export function selectNetwork(db: CareDb, id: string) {
  return db.selectFrom('care_networks').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the network row, so two decisions or removals on one network never interleave. */
export async function lockNetwork(db: CareDb, id: string) {
  return db.selectFrom('care_networks').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface MemberInsert extends Omit<Insertable<CareNetworkMembersTable>, 'consent_record'> {
  consent_record: CareConsentRecord | null;
}

/** Stores a member; false when they are already an active member (same account or address). */
export async function insertMember(db: CareDb, row: MemberInsert): Promise<boolean> {
  const stored = await db
    .insertInto('care_network_members')
    .values({ ...row, consent_record: JSON.stringify(row.consent_record) })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return stored !== undefined;
}

export function selectMembers(db: CareDb, networkId: string) {
  return db
    .selectFrom('care_network_members')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('added_at')
    .orderBy('id')
    .execute();
}

/** The networks in which a staff account or a person's address is an active member. */
export function selectNetworkIdsOf(db: CareDb, who: { userId: string } | { email: string }) {
  let query = db
    .selectFrom('care_network_members')
    .select(['network_id', 'role', 'ends_at'])
    .where('removed_at', 'is', null);
  query =
    'userId' in who ? query.where('user_id', '=', who.userId) : query.where('person_email', '=', who.email);
  return query.execute();
}

export async function markMemberRemoved(db: CareDb, memberId: string, at: Date, by: string) {
  const result = await db
    .updateTable('care_network_members')
    .set({ removed_at: at, removed_by: by })
    .where('id', '=', memberId)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertRequest(
  db: CareDb,
  row: {
    id: string;
    network_id: string;
    requested_by: string;
    candidate: CareCandidate;
    reason: string;
    created_at: Date;
    expires_at: Date;
  },
) {
  await db
    .insertInto('care_consent_requests')
    .values({ ...row, candidate: JSON.stringify(row.candidate), status: 'pending' })
    .execute();
}

export function selectRequests(db: CareDb, networkId: string) {
  return db
    .selectFrom('care_consent_requests')
    .selectAll()
    .where('network_id', '=', networkId)
    .orderBy('created_at')
    .execute();
}

/** Records a decision on a pending request; false when it was decided already. */
export async function decideRequest(
  db: CareDb,
  r: { id: string; status: 'consented' | 'declined'; at: Date; by: string; memberId: string | null },
) {
  const result = await db
    .updateTable('care_consent_requests')
    .set({ status: r.status, decided_at: r.at, decided_by: r.by, member_id: r.memberId })
    .where('id', '=', r.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
