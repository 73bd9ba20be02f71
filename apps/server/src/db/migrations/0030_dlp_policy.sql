-- Leak prevention (issue 5): each organisation's policy. No row means the defaults of
-- `defaultPolicy` in @zegel/protocol/dlp; `rules` holds only what an admin set, so a rule added
-- later starts at its default.
CREATE TABLE dlp_policies (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
  rules jsonb NOT NULL DEFAULT '{}',
  exempt_domains text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users (id)
);
