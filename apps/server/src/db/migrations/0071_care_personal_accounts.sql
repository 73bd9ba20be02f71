-- Personal accounts for people in a care network without a staff account (issue 15, item 2):
-- client, representative, informal carer. Password derived in the browser as for staff (the
-- server keeps an Argon2id hash of the login secret), an own key pair (public key and the
-- private key wrapped in the browser), and a device code by e-mail, asked once per 30 days per
-- device and browser. Owned by features/care-networks.
CREATE TABLE care_accounts (
  id uuid PRIMARY KEY,
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  kdf_salt bytea NOT NULL,
  kdf_params jsonb NOT NULL,
  login_hash text NOT NULL,
  public_key text NOT NULL,
  wrapped_private_key bytea NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE care_invitations (
  id uuid PRIMARY KEY,
  email text NOT NULL,
  name text NOT NULL,
  token_hash text NOT NULL UNIQUE,
  kdf_salt bytea NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX care_invitations_email ON care_invitations (email);

-- A session is 'device_code' until the mailed code is entered (or the browser is trusted).
CREATE TABLE care_sessions (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES care_accounts (id) ON DELETE CASCADE,
  stage text NOT NULL CHECK (stage IN ('device_code', 'full')),
  code_hash text,
  code_expires_at timestamptz,
  wrong_codes integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- A browser that entered a device code: no code again until `expires_at`.
CREATE TABLE care_devices (
  id uuid PRIMARY KEY,
  token_hash text NOT NULL UNIQUE,
  account_id uuid NOT NULL REFERENCES care_accounts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
