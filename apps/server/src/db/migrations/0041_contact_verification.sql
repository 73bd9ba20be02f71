-- The open contact form (issue 6): abuse protection and address proof.
-- Proof-of-work challenges for the open contact form: stored as a hash, single use, short-lived.
CREATE TABLE contact_challenges (
  challenge_hash text PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  difficulty integer NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX contact_challenges_expiry ON contact_challenges (expires_at);

-- A person proving their e-mail address with a one-time code before starting a conversation.
-- The code is stored as a keyed hash (six digits are a lookup table away from a plain hash);
-- a passed check hands out a single-use send token, also stored as a hash.
CREATE TABLE contact_verifications (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  email text NOT NULL,
  phone text,
  code_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  wrong_codes integer NOT NULL DEFAULT 0,
  verified_at timestamptz,
  token_hash text UNIQUE,
  token_expires_at timestamptz,
  token_used_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX contact_verifications_expiry ON contact_verifications (expires_at);
