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
  allow_direct_delivery: ColumnType<boolean, boolean | undefined, boolean>;
  message_expiry_days: ColumnType<number, number | undefined, number>;
  allow_email_only: ColumnType<boolean, boolean | undefined, boolean>;
  guest_remember_days: ColumnType<number, number | undefined, number>;
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
  /** Set by backoff counters: no attempt is counted (or allowed) before this time. */
  next_allowed_at: Date | null;
}

export interface PasskeysTable {
  id: string;
  user_id: string;
  credential_id: string;
  public_key: Uint8Array;
  counter: number | string;
  transports: string[];
  name: string;
  created_at: Date;
  last_used_at: Date | null;
}

export interface PasskeyChallengesTable {
  session_id: string;
  purpose: 'register' | 'authenticate';
  challenge: string;
  expires_at: Date;
}

export interface SignInSpentChallengesTable {
  challenge_hash: string;
  expires_at: Date;
}

export interface SignInRefusalsTable {
  user_id: string;
  organisation_id: string;
  hour: Date;
  failed: number;
  refused: number;
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
  /** 1: SHA-256 (before migration 0065); 2: HMAC under the server's audit chain key. */
  chain_version: Generated<number>;
}

export interface TeamKeysTable {
  id: string;
  team_id: string;
  public_key: string;
  is_current: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface TeamKeyWrapsTable {
  team_key_id: string;
  user_id: string;
  wrapped_private_key: string;
  created_at: CreatedAt;
}

export interface ConversationsTable {
  id: string;
  organisation_id: string;
  /** The feature a conversation belongs to (`message`, `contact`, …): its owner keeps the rest. */
  kind: string;
  /** The owning feature's record (a contact conversation: the team written to); null for none. */
  owner_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The staff member who started it; null when a guest did (a contact page). */
  sender_user_id: string | null;
  created_at: Date;
  last_activity_at: Date;
  expires_at: Date;
  purged_at: Date | null;
  files_deleted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When someone other than the sender first wrote (a reply): the sender's Postvak IN shows it. */
  replied_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type ParticipantKind = 'user' | 'team' | 'guest';
export type VerificationMethodColumn = 'sms' | 'access_code' | 'email_only';

export interface ParticipantsTable {
  id: string;
  conversation_id: string;
  kind: ParticipantKind;
  role: 'sender' | 'to' | 'cc' | 'bcc';
  user_id: string | null;
  team_id: string | null;
  address: string | null;
  /** The guest's public key (made in their browser from the link secret and the server share). */
  public_key: string | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  bounced_at: Date | null;
  bounce_reason: string | null;
  opened_at: Date | null;
  last_opened_at: Date | null;
  revoked_at: Date | null;
}

/** How a guest participant verifies, and what guest-access releases after it (0060). */
export interface GuestCredentialsTable {
  participant_id: string;
  method: VerificationMethodColumn;
  phone: string | null;
  access_code_salt: Uint8Array | null;
  access_code_params: Json<AccessCodeParams | null>;
  access_code_verifier: Uint8Array | null;
  access_code_hint: string | null;
  server_share: Uint8Array | null;
  wrong_codes: ColumnType<number, number | undefined, number>;
  sms_code_hash: string | null;
  sms_code_expires_at: Date | null;
  verified_at: Date | null;
  locked_at: Date | null;
  no_code_at: Date | null;
  /** SHA-256 of the guest page's link proof (0062); null for guests from before it. */
  link_proof_hash: Uint8Array | null;
  /** The current lock ends here (0062); locked while it is in the future. */
  locked_until: Date | null;
  /** Locks since the last success or unlock: each doubles the wait (0062). */
  lock_count: ColumnType<number, number | undefined, number>;
}

export interface AccessCodeParams {
  algorithm: 'argon2id';
  memoryKiB: number;
  iterations: number;
  parallelism: number;
}

export interface ItemsTable {
  id: string;
  conversation_id: string;
  author_kind: 'user' | 'guest';
  author_user_id: string | null;
  author_participant_id: string | null;
  /** A member's item written in their team's name (guests see the team, the audit the member). */
  on_behalf_of_team_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
  ciphertext: Uint8Array;
}

export interface ItemKeysTable {
  item_id: string;
  holder_id: string;
  wrapped_key: Uint8Array;
}

export interface AttachmentsTable {
  id: string;
  organisation_id: string;
  item_id: string | null;
  uploaded_by_user_id: string | null;
  uploaded_by_participant_id: string | null;
  size: number;
  blob_key: string;
  created_at: Date;
}

export interface MessageEventsTable {
  id: string;
  conversation_id: string;
  participant_id: string | null;
  type: string;
  attachment_id: string | null;
  /** The large file of a `downloaded` receipt (0050). */
  file_id: string | null;
  occurred_at: Date;
}

export interface RecipientDirectoryTable {
  organisation_id: string;
  address: string;
  method: VerificationMethodColumn;
  phone: string | null;
  access_code_hint: string | null;
  updated_at: Date;
}

export interface GuestSessionsTable {
  id: string;
  participant_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
}

export interface GuestDevicesTable {
  id: string;
  participant_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
}

export interface JobsTable {
  id: string;
  kind: string;
  payload: Json<Record<string, unknown>>;
  run_at: Date;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: ColumnType<number, number | undefined, number>;
  locked_until: Date | null;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
  failed_at: Date | null;
  handed_off_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface MailSecurityChecksTable {
  seq: Generated<number>;
  id: string;
  organisation_id: string;
  domain: string;
  input: string;
  checked_at: Date;
  score: number;
  delivery: 'dane' | 'mta-sts' | 'none';
  delivery_reason: string;
  complete: boolean;
  checks: Json<{ id: string; status: string; detail: string }[]>;
  mx: Json<
    {
      host: string;
      preference: number;
      address: string | null;
      checks: { id: string; status: string; detail: string }[];
    }[]
  >;
  advice: Json<{ id: string; nl: string; en: string }[]>;
  requested_by: string | null;
  bulk_id: string | null;
}

export interface MailSecurityBulkRunsTable {
  id: string;
  organisation_id: string;
  requested_by: string | null;
  created_at: Date;
  complete: boolean;
  rows: Json<unknown[]>;
}

export interface MigrationsTable {
  name: string;
  applied_at: CreatedAt;
}

export interface FilesTable {
  id: string;
  organisation_id: string;
  user_id: string;
  message_id: string | null;
  length: number;
  upload_offset: number;
  lock_token: string | null;
  locked_until: Date | null;
  pending_key: string | null;
  created_at: Date;
  updated_at: Date;
  completed_at: Date | null;
  /** The message item the complete file was sent with (0050); null until then. */
  item_id: string | null;
}

export interface FileSegmentsTable {
  file_id: string;
  start_offset: number;
  size: number;
  blob_key: string;
}

export interface FileUsageTable {
  organisation_id: string;
  reserved_bytes: number;
}

export interface DlpPoliciesTable {
  organisation_id: string;
  /** Only the rules an admin set: `{ "bsn": "block" }`. */
  rules: Json<Record<string, string>>;
  exempt_domains: string[];
  updated_at: Date;
  updated_by: string | null;
}

export interface CareNetworkSettingsTable {
  organisation_id: string;
  open_days: number;
  request_days: number;
}

export interface CareNetworksTable {
  id: string;
  organisation_id: string;
  name: string;
  created_at: Date;
  open_until: Date;
  created_by: string;
  conversation_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CareNetworkKeysTable {
  id: string;
  network_id: string;
  epoch: number;
  public_key: string;
  created_at: Date;
  created_by: string;
  retired_at: Date | null;
}

export interface CareFoldersTable {
  id: string;
  network_id: string;
  name: string;
  conversation_id: string;
  created_at: Date;
  created_by: string;
}

export interface CareFolderRightsTable {
  folder_id: string;
  role: CareRole | null;
  member_id: string | null;
  access: 'reader' | 'uploader';
}

export interface CareNetworkKeyWrapsTable {
  key_id: string;
  member_id: string;
  wrapped_private_key: Uint8Array;
}

export type CareRole = 'client' | 'representative' | 'coordinator' | 'professional' | 'carer';
export type CareLegalBasis = 'client' | 'behandelovereenkomst' | 'wettelijke_taak' | 'toestemming';
export interface CareConsentRecord {
  kind: 'digital' | 'written';
  requestId?: string;
  reference?: string;
}

export interface CareNetworkMembersTable {
  id: string;
  network_id: string;
  role: CareRole;
  user_id: string | null;
  person_name: string | null;
  person_email: string | null;
  function: string | null;
  legal_basis: CareLegalBasis;
  consent_record: Json<CareConsentRecord | null>;
  scope: string | null;
  ends_at: Date | null;
  added_at: Date;
  added_by: string | null;
  removed_at: Date | null;
  removed_by: string | null;
}

export interface CareCandidate {
  role: CareRole;
  userId: string | null;
  name: string | null;
  email: string | null;
  function: string | null;
  legalBasis: CareLegalBasis;
  scope: string | null;
  endsAt: string | null;
}

export interface CareConsentRequestsTable {
  id: string;
  network_id: string;
  requested_by: string;
  candidate: Json<CareCandidate>;
  reason: string;
  status: 'pending' | 'consented' | 'declined';
  created_at: Date;
  expires_at: Date;
  decided_at: Date | null;
  decided_by: string | null;
  member_id: string | null;
}

export interface CareAccountsTable {
  id: string;
  email: string;
  name: string;
  kdf_salt: Uint8Array;
  kdf_params: Json<{ algorithm: 'argon2id'; memoryKiB: number; iterations: number; parallelism: number }>;
  login_hash: string;
  public_key: string;
  wrapped_private_key: Uint8Array;
  created_at: Date;
}

export interface CareInvitationsTable {
  id: string;
  email: string;
  name: string;
  token_hash: string;
  kdf_salt: Uint8Array;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface CareSessionsTable {
  id: string;
  token_hash: string;
  account_id: string;
  stage: 'device_code' | 'full';
  code_hash: string | null;
  code_expires_at: Date | null;
  wrong_codes: ColumnType<number, number | undefined, number>;
  created_at: Date;
  expires_at: Date;
}

export interface CareDevicesTable {
  id: string;
  token_hash: string;
  account_id: string;
  created_at: Date;
  expires_at: Date;
}

export interface TeamContactSettingsTable {
  team_id: string;
  accepts_new: boolean;
  region: string;
  response_time: string;
  auto_reply: string;
  office_hours: string;
  guest_verification: 'email' | 'sms';
  notify: 'members' | 'address';
  notify_address: string | null;
  updated_at: Date;
  updated_by: string | null;
}

export interface ContactChallengesTable {
  challenge_hash: string;
  organisation_id: string;
  difficulty: number;
  expires_at: Date;
  used_at: Date | null;
}

export interface ContactVerificationsTable {
  id: string;
  organisation_id: string;
  team_id: string;
  email: string;
  phone: string | null;
  code_hash: string;
  expires_at: Date;
  wrong_codes: ColumnType<number, number | undefined, number>;
  verified_at: Date | null;
  token_hash: string | null;
  token_expires_at: Date | null;
  token_used_at: Date | null;
  conversation_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Date;
}

export interface TeamConversationStatesTable {
  conversation_id: string;
  team_id: string;
  assignee_user_id: string | null;
  done_at: Date | null;
  updated_at: Date;
}

export interface TeamConversationEventsTable {
  id: string;
  conversation_id: string;
  team_id: string;
  actor_user_id: string;
  type: 'assigned' | 'unassigned' | 'done' | 'reopened';
  target_user_id: string | null;
  occurred_at: Date;
}

/** An organisation's directory of meldpunten niet-acute zorg (features/reports). */
export interface MeldpuntenTable {
  id: string;
  organisation_id: string;
  position: number;
  name: string;
  organisation_name: string;
  opening_hours: string;
  separate_police_route: boolean;
  channels: Json<({ kind: 'team'; teamId: string } | { kind: 'email'; address: string })[]>;
}

export interface MeldpuntMunicipalitiesTable {
  organisation_id: string;
  gemeentecode: string;
  meldpunt_id: string;
}

export interface GatewayAppPasswordsTable {
  id: string;
  organisation_id: string;
  user_id: string;
  label: string;
  secret_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface GatewaySettingsTable {
  organisation_id: string;
  always_secure: boolean;
  subject_tags: string[];
  updated_at: Date;
}

export interface GatewaySubmissionsTable {
  id: string;
  organisation_id: string;
  user_id: string;
  received_at: Date;
  outcome: 'secure' | 'relay';
  reasons: Json<Record<string, number>>;
  conversation_id: string | null;
  size: number;
}

export interface GatewayRecipientsTable {
  submission_id: string;
  address: string;
  route: 'internal' | 'direct_dane' | 'direct_mta_sts' | 'secure_link' | 'held' | 'relay';
  reason: string | null;
}

/** Until when a staff member has read a conversation (0068): later items by others are unread. */
export interface ConversationReadsTable {
  conversation_id: string;
  user_id: string;
  read_at: Date;
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
  sign_in_spent_challenges: SignInSpentChallengesTable;
  sign_in_refusals: SignInRefusalsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  outbox: OutboxTable;
  audit_events: AuditEventsTable;
  zegel_migrations: MigrationsTable;
  mail_security_checks: MailSecurityChecksTable;
  mail_security_bulk_runs: MailSecurityBulkRunsTable;
  team_keys: TeamKeysTable;
  team_key_wraps: TeamKeyWrapsTable;
  conversations: ConversationsTable;
  participants: ParticipantsTable;
  conversation_reads: ConversationReadsTable;
  guest_credentials: GuestCredentialsTable;
  items: ItemsTable;
  item_keys: ItemKeysTable;
  attachments: AttachmentsTable;
  files: FilesTable;
  file_segments: FileSegmentsTable;
  file_usage: FileUsageTable;
  message_events: MessageEventsTable;
  dlp_policies: DlpPoliciesTable;
  team_contact_settings: TeamContactSettingsTable;
  contact_challenges: ContactChallengesTable;
  contact_verifications: ContactVerificationsTable;
  team_conversation_states: TeamConversationStatesTable;
  team_conversation_events: TeamConversationEventsTable;
  recipient_directory: RecipientDirectoryTable;
  guest_sessions: GuestSessionsTable;
  guest_devices: GuestDevicesTable;
  jobs: JobsTable;
  meldpunten: MeldpuntenTable;
  meldpunt_municipalities: MeldpuntMunicipalitiesTable;
  gateway_app_passwords: GatewayAppPasswordsTable;
  gateway_settings: GatewaySettingsTable;
  gateway_submissions: GatewaySubmissionsTable;
  gateway_recipients: GatewayRecipientsTable;
  care_network_settings: CareNetworkSettingsTable;
  care_networks: CareNetworksTable;
  care_network_members: CareNetworkMembersTable;
  care_consent_requests: CareConsentRequestsTable;
  care_accounts: CareAccountsTable;
  care_invitations: CareInvitationsTable;
  care_sessions: CareSessionsTable;
  care_devices: CareDevicesTable;
  care_network_keys: CareNetworkKeysTable;
  care_network_key_wraps: CareNetworkKeyWrapsTable;
  care_folders: CareFoldersTable;
  care_folder_rights: CareFolderRightsTable;
}
