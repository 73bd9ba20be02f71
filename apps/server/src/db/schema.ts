import type { ColumnType, Generated } from 'kysely';

/** Row types of the tables in migrations/, as Kysely sees them. */
type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Json<T> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: string;
  name: string;
  slug: string;
  mail_domains: ColumnType<string[], string[] | undefined, string[]>;
  branding: Json<Record<string, string>>;
  logo_type: string | null;
  logo: Uint8Array | null;
  trusted_device_days: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
}

export interface UsersTable {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  status: ColumnType<'active' | 'deactivated', 'active' | 'deactivated' | undefined>;
  kdf_salt: Uint8Array;
  kdf_params: Json<{ algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number }>;
  login_hash: string;
  totp_secret_sealed: string | null;
  totp_enabled_at: Date | null;
  totp_last_step: number | null;
  public_key: string | null;
  wrapped_private_key: string | null;
  created_at: CreatedAt;
  password_changed_at: ColumnType<Date, Date | undefined, Date>;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}

export interface TeamsTable {
  id: string;
  organisation_id: string;
  name: string;
  description: ColumnType<string, string | undefined, string>;
  mail_address: string | null;
  created_at: CreatedAt;
}

export interface TeamMembersTable {
  team_id: string;
  user_id: string;
  role: 'member' | 'admin';
  added_at: CreatedAt;
}

export interface InvitationsTable {
  id: string;
  organisation_id: string;
  email: string;
  name: ColumnType<string, string | undefined, string>;
  role: 'admin' | 'member';
  token_hash: string;
  kdf_salt: Uint8Array;
  invited_by: string | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
  revoked_at: Date | null;
}

export type SessionStage = 'second_factor' | 'enrolment' | 'full';

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  stage: SessionStage;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface TrustedDevicesTable {
  id: string;
  user_id: string;
  token_hash: string;
  label: string;
  created_at: CreatedAt;
  last_used_at: ColumnType<Date, Date | undefined, Date>;
  expires_at: Date;
  revoked_at: Date | null;
}

export interface PasswordResetsTable {
  id: string;
  user_id: string;
  token_hash: string;
  kdf_salt: Uint8Array;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

export interface RateLimitsTable {
  key: string;
  window_start: Date;
  hits: number;
}

export interface OutboxTable {
  id: string;
  channel: 'mail' | 'sms';
  recipient: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  seq: Generated<number>;
  id: string;
  organisation_id: string | null;
  occurred_at: Date;
  action: string;
  outcome: 'success' | 'failure';
  actor_user_id: string | null;
  actor_name: string | null;
  on_behalf_of: string | null;
  actor_role: string | null;
  access_ip: string | null;
  access_user_agent: string | null;
  subject_person: string | null;
  object_type: string | null;
  object_id: string | null;
  source: string;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface MigrationsTable {
  name: string;
  applied_at: CreatedAt;
}

export interface DB {
  organisations: OrganisationsTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  trusted_devices: TrustedDevicesTable;
  password_resets: PasswordResetsTable;
  rate_limits: RateLimitsTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  zegel_migrations: MigrationsTable;
}
