import { type Kysely, sql } from 'kysely';
import type { DB, MeldpuntenTable } from '../../db/schema.ts';

type ReportsDb = Kysely<Pick<DB, 'meldpunten' | 'meldpunt_municipalities'>>;
export type MeldpuntChannelRow = MeldpuntenTable['channels']['__select__'][number];

export interface MeldpuntRow {
  id: string;
  name: string;
  organisation_name: string;
  opening_hours: string;
  separate_police_route: boolean;
  channels: MeldpuntChannelRow[];
  gemeentecodes: string[];
}

const columns = [
  'id',
  'name',
  'organisation_name',
  'opening_hours',
  'separate_police_route',
  'channels',
] as const;

async function withMunicipalities(
  db: ReportsDb,
  rows: Omit<MeldpuntRow, 'gemeentecodes'>[],
): Promise<MeldpuntRow[]> {
  if (rows.length === 0) return [];
  const codes = await db
    .selectFrom('meldpunt_municipalities')
    .select(['meldpunt_id', 'gemeentecode'])
    .where(
      'meldpunt_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('gemeentecode')
    .execute();
  return rows.map((r) => ({
    ...r,
    gemeentecodes: codes.filter((c) => c.meldpunt_id === r.id).map((c) => c.gemeentecode),
  }));
}

/** The organisation's directory in its order. */
export async function selectMeldpunten(db: ReportsDb, organisationId: string): Promise<MeldpuntRow[]> {
  const rows = await db
    .selectFrom('meldpunten')
    .select(columns)
    .where('organisation_id', '=', organisationId)
    .orderBy('position')
    .execute();
  return withMunicipalities(db, rows);
}

/** The meldpunt that covers a municipality in the organisation's directory, if any. */
export async function selectMeldpuntFor(
  db: ReportsDb,
  organisationId: string,
  gemeentecode: string,
): Promise<MeldpuntRow | undefined> {
  const row = await db
    .selectFrom('meldpunt_municipalities as m')
    .innerJoin('meldpunten as p', 'p.id', 'm.meldpunt_id')
    .select(columns.map((c) => `p.${c}` as const))
    .where('m.organisation_id', '=', organisationId)
    .where('m.gemeentecode', '=', gemeentecode)
    .executeTakeFirst();
  return row ? (await withMunicipalities(db, [row]))[0] : undefined;
}

/**
 * Replaces the organisation's directory whole, inside the caller's transaction. Two imports at
 * once take turns (a transaction lock per organisation), so neither sees the other half-done.
 */
export async function replaceMeldpunten(
  db: ReportsDb,
  organisationId: string,
  entries: MeldpuntRow[],
): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`meldpunten:${organisationId}`}, 0))`.execute(db);
  await db.deleteFrom('meldpunten').where('organisation_id', '=', organisationId).execute();
  if (entries.length === 0) return;
  await db
    .insertInto('meldpunten')
    .values(
      entries.map((e, position) => ({
        id: e.id,
        organisation_id: organisationId,
        position,
        name: e.name,
        organisation_name: e.organisation_name,
        opening_hours: e.opening_hours,
        separate_police_route: e.separate_police_route,
        channels: JSON.stringify(e.channels),
      })),
    )
    .execute();
  const codes = entries.flatMap((e) =>
    e.gemeentecodes.map((gemeentecode) => ({
      organisation_id: organisationId,
      gemeentecode,
      meldpunt_id: e.id,
    })),
  );
  await db.insertInto('meldpunt_municipalities').values(codes).execute();
}
