-- The conversation core (issue 11, docs/decisions/0007-conversation-core.md).
-- A conversation says what kind it is and which record of the owning feature it belongs to,
-- instead of one column per feature: a contact conversation's team is its owner.
ALTER TABLE conversations ADD COLUMN kind text NOT NULL DEFAULT 'message';
ALTER TABLE conversations ADD COLUMN owner_id uuid;
UPDATE conversations SET kind = 'contact', owner_id = contact_team_id WHERE contact_team_id IS NOT NULL;
ALTER TABLE conversations DROP CONSTRAINT conversations_one_starter;
ALTER TABLE conversations DROP COLUMN contact_team_id;
ALTER TABLE conversations ALTER COLUMN kind DROP DEFAULT;
CREATE INDEX conversations_owner ON conversations (kind, owner_id) WHERE owner_id IS NOT NULL;

-- How a guest proves who they are is guest-access's: method, codes, counters, lock, and the
-- server share it releases after verification. One row per guest participant.
CREATE TABLE guest_credentials (
  participant_id uuid PRIMARY KEY REFERENCES participants (id) ON DELETE CASCADE,
  method text NOT NULL CHECK (method IN ('sms', 'access_code', 'email_only')),
  phone text,
  access_code_salt bytea,
  access_code_params jsonb,
  access_code_verifier bytea,
  access_code_hint text,
  -- The guest key's server half; NULL after revoke or expiry (crypto-shredding).
  server_share bytea,
  wrong_codes integer NOT NULL DEFAULT 0,
  sms_code_hash text,
  sms_code_expires_at timestamptz,
  verified_at timestamptz,
  locked_at timestamptz,
  no_code_at timestamptz
);

INSERT INTO guest_credentials (
  participant_id, method, phone, access_code_salt, access_code_params, access_code_verifier,
  access_code_hint, server_share, wrong_codes, sms_code_hash, sms_code_expires_at, verified_at,
  locked_at, no_code_at
)
SELECT id, coalesce(method, 'email_only'), phone, access_code_salt, access_code_params,
  access_code_verifier, access_code_hint, server_share, wrong_codes, sms_code_hash,
  sms_code_expires_at, verified_at, locked_at, no_code_at
FROM participants WHERE kind = 'guest';

ALTER TABLE participants
  DROP COLUMN method,
  DROP COLUMN phone,
  DROP COLUMN access_code_salt,
  DROP COLUMN access_code_params,
  DROP COLUMN access_code_verifier,
  DROP COLUMN access_code_hint,
  DROP COLUMN server_share,
  DROP COLUMN wrong_codes,
  DROP COLUMN sms_code_hash,
  DROP COLUMN sms_code_expires_at,
  DROP COLUMN verified_at,
  DROP COLUMN locked_at,
  DROP COLUMN no_code_at;

-- When an expired conversation's large files were deleted (key material goes first; a run that
-- fails in between is finished by the next one).
ALTER TABLE conversations ADD COLUMN files_deleted_at timestamptz;
