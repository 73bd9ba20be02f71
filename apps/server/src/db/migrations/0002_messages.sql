-- Secure messages: team keys, conversations, participants, encrypted items, attachments,
-- receipts, the recipient directory, guest sessions and the job queue. See docs/messages.md.

ALTER TABLE organisations
  ADD COLUMN message_expiry_days integer NOT NULL DEFAULT 30 CHECK (message_expiry_days BETWEEN 1 AND 365),
  ADD COLUMN allow_email_only boolean NOT NULL DEFAULT true,
  ADD COLUMN guest_remember_days integer NOT NULL DEFAULT 30 CHECK (guest_remember_days BETWEEN 0 AND 90);

-- A team's key pairs; the newest is current. Old ones stay so members can read old items.
CREATE TABLE team_keys (
  id uuid PRIMARY KEY,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  public_key text NOT NULL,
  is_current boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX team_keys_current ON team_keys (team_id) WHERE is_current;

-- The team private key HPKE-wrapped to one member's public key.
CREATE TABLE team_key_wraps (
  team_key_id uuid NOT NULL REFERENCES team_keys (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  wrapped_private_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_key_id, user_id)
);

CREATE TABLE conversations (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  sender_user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  -- Set when expiry shredded the guests' key material.
  purged_at timestamptz
);
CREATE INDEX conversations_sender ON conversations (sender_user_id, last_activity_at);
CREATE INDEX conversations_expiry ON conversations (expires_at) WHERE purged_at IS NULL;

CREATE TABLE participants (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('user', 'team', 'guest')),
  role text NOT NULL CHECK (role IN ('sender', 'to', 'cc', 'bcc')),
  user_id uuid REFERENCES users (id),
  team_id uuid REFERENCES teams (id),
  address text,
  method text CHECK (method IN ('sms', 'access_code', 'email_only')),
  phone text,
  access_code_salt bytea,
  access_code_params jsonb,
  access_code_verifier bytea,
  access_code_hint text,
  public_key text,
  -- The guest key's server half; NULL after revoke or expiry (crypto-shredding).
  server_share bytea,
  wrong_codes integer NOT NULL DEFAULT 0,
  sms_code_hash text,
  sms_code_expires_at timestamptz,
  sent_at timestamptz,
  delivered_at timestamptz,
  bounced_at timestamptz,
  bounce_reason text,
  verified_at timestamptz,
  opened_at timestamptz,
  last_opened_at timestamptz,
  revoked_at timestamptz,
  locked_at timestamptz,
  no_code_at timestamptz,
  CHECK ((kind = 'user') = (user_id IS NOT NULL)),
  CHECK ((kind = 'team') = (team_id IS NOT NULL)),
  CHECK ((kind = 'guest') = (address IS NOT NULL))
);
CREATE INDEX participants_conversation ON participants (conversation_id);
CREATE INDEX participants_user ON participants (user_id) WHERE user_id IS NOT NULL;
CREATE INDEX participants_team ON participants (team_id) WHERE team_id IS NOT NULL;

CREATE TABLE items (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  author_kind text NOT NULL CHECK (author_kind IN ('user', 'guest')),
  author_user_id uuid REFERENCES users (id),
  author_participant_id uuid REFERENCES participants (id),
  created_at timestamptz NOT NULL,
  ciphertext bytea NOT NULL
);
CREATE INDEX items_conversation ON items (conversation_id, created_at);

-- An item's content key wrapped to one holder: a user id, a team id or a guest participant id.
CREATE TABLE item_keys (
  item_id uuid NOT NULL REFERENCES items (id) ON DELETE CASCADE,
  holder_id uuid NOT NULL,
  wrapped_key bytea NOT NULL,
  PRIMARY KEY (item_id, holder_id)
);
CREATE INDEX item_keys_holder ON item_keys (holder_id);

-- Attachment ciphertexts (in the blob store). Without item_id it is an upload not yet sent.
CREATE TABLE attachments (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  item_id uuid REFERENCES items (id) ON DELETE CASCADE,
  uploaded_by_user_id uuid REFERENCES users (id),
  uploaded_by_participant_id uuid REFERENCES participants (id) ON DELETE CASCADE,
  size integer NOT NULL,
  blob_key text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX attachments_item ON attachments (item_id);

-- Receipts and the proof-of-delivery log. Metadata only, never content.
CREATE TABLE message_events (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  participant_id uuid REFERENCES participants (id) ON DELETE CASCADE,
  type text NOT NULL,
  attachment_id uuid,
  occurred_at timestamptz NOT NULL
);
CREATE INDEX message_events_conversation ON message_events (conversation_id, occurred_at);

-- What an organisation remembers per external address (never an access code).
CREATE TABLE recipient_directory (
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  address text NOT NULL,
  method text NOT NULL CHECK (method IN ('sms', 'access_code', 'email_only')),
  phone text,
  access_code_hint text,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (organisation_id, address)
);

CREATE TABLE guest_sessions (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX guest_sessions_participant ON guest_sessions (participant_id);

CREATE TABLE guest_devices (
  id uuid PRIMARY KEY,
  participant_id uuid NOT NULL REFERENCES participants (id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- Background work shared by all processes: claimed with FOR UPDATE SKIP LOCKED.
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  run_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 6,
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  finished_at timestamptz,
  failed_at timestamptz
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE finished_at IS NULL AND failed_at IS NULL;
