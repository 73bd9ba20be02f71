-- Staff sign-in without lock-out by strangers (issue 13, item 2).
-- A counter can hold back its next attempt (growing delays for unknown browsers).
ALTER TABLE rate_limits ADD COLUMN next_allowed_at timestamptz;

-- Solved sign-in challenges, kept until they expire so each buys exactly one attempt.
CREATE TABLE sign_in_spent_challenges (
  challenge_hash text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sign_in_spent_challenges_expiry ON sign_in_spent_challenges (expires_at);

-- Failed and refused sign-ins per account and hour, for the administrator's view of lock-out storms.
CREATE TABLE sign_in_refusals (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  hour timestamptz NOT NULL,
  failed integer NOT NULL DEFAULT 0,
  refused integer NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id, hour)
);
CREATE INDEX sign_in_refusals_organisation ON sign_in_refusals (organisation_id, hour);
