-- SMTP gateway (issue 17): app passwords for mail clients, the organisation's gateway settings,
-- and what the gateway decided per submitted mail and per recipient (reasons are rule names and
-- counts, never values; no subject, body or attachment is stored here).
CREATE TABLE gateway_app_passwords (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  label text NOT NULL,
  -- SHA-256 of a 256-bit random password: a dump holds nothing that can be replayed.
  secret_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX gateway_app_passwords_user ON gateway_app_passwords (user_id);

CREATE TABLE gateway_settings (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
  always_secure boolean NOT NULL DEFAULT false,
  subject_tags text[] NOT NULL DEFAULT '{[vertrouwelijk],[secure]}',
  updated_at timestamptz NOT NULL
);

CREATE TABLE gateway_submissions (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  received_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('secure', 'relay')),
  -- e.g. {"subject_tag": 1, "bsn": 2}: why, by rule name and count.
  reasons jsonb NOT NULL DEFAULT '{}',
  conversation_id uuid,
  size integer NOT NULL
);
CREATE INDEX gateway_submissions_org ON gateway_submissions (organisation_id, received_at DESC);

CREATE TABLE gateway_recipients (
  submission_id uuid NOT NULL REFERENCES gateway_submissions (id),
  address text NOT NULL,
  route text NOT NULL CHECK (route IN ('internal', 'direct_dane', 'direct_mta_sts', 'secure_link', 'held', 'relay')),
  -- why a recipient was held, e.g. 'no_verification_details', 'access_code_not_known'.
  reason text,
  PRIMARY KEY (submission_id, address)
);
