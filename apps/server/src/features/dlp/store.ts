import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';

export async function selectDlpPolicy(db: Kysely<DB>, organisationId: string) {
  return db
    .selectFrom('dlp_policies')
    .select(['rules', 'exempt_domains', 'updated_at'])
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
}

export async function upsertDlpPolicy(
  db: Kysely<DB>,
  row: {
    organisationId: string;
    rules: Record<string, string>;
    exemptDomains: string[];
    updatedAt: Date;
    updatedBy: string;
  },
): Promise<void> {
  const values = {
    rules: JSON.stringify(row.rules),
    exempt_domains: row.exemptDomains,
    updated_at: row.updatedAt,
    updated_by: row.updatedBy,
  };
  await db
    .insertInto('dlp_policies')
    .values({ organisation_id: row.organisationId, ...values })
    .onConflict((c) => c.column('organisation_id').doUpdateSet(values))
    .execute();
}
