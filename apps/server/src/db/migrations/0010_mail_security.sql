-- Mail-security checks (issue 7): history per organisation, bulk runs, and the direct-delivery setting.

-- Content may go as ordinary e-mail (DANE or MTA-STS verified TLS) only when an admin allows it.
ALTER TABLE organisations ADD COLUMN allow_direct_delivery boolean NOT NULL DEFAULT false;

-- One bulk check of a list of partner domains: the table as shown, so it can be exported later.
CREATE TABLE mail_security_bulk_runs (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  requested_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  complete boolean NOT NULL,
  rows jsonb NOT NULL
);
CREATE INDEX mail_security_bulk_runs_org ON mail_security_bulk_runs (organisation_id, created_at);

-- Every check made for an organisation, newest last by seq (the paging cursor).
CREATE TABLE mail_security_checks (
  seq bigserial PRIMARY KEY,
  id uuid NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  -- A-label form; `input` keeps what was typed (an IDN in U-label form).
  domain text NOT NULL,
  input text NOT NULL,
  checked_at timestamptz NOT NULL,
  score integer NOT NULL CHECK (score BETWEEN 0 AND 100),
  delivery text NOT NULL CHECK (delivery IN ('dane', 'mta-sts', 'none')),
  delivery_reason text NOT NULL,
  complete boolean NOT NULL,
  -- The report's checks, mail servers and advice, as the engine returned them.
  checks jsonb NOT NULL,
  mx jsonb NOT NULL,
  advice jsonb NOT NULL,
  requested_by uuid REFERENCES users (id),
  bulk_id uuid REFERENCES mail_security_bulk_runs (id)
);
CREATE INDEX mail_security_checks_org_domain ON mail_security_checks (organisation_id, domain, seq);
CREATE INDEX mail_security_checks_org_seq ON mail_security_checks (organisation_id, seq);
