-- Care networks around a client (issue 15, docs/care-networks.md): the network, its members
-- with role and legal basis, and consent requests once the open week is over. Owned by
-- features/care-networks.

-- Per host organisation: how long a new network stays open, how long a consent request waits.
CREATE TABLE care_network_settings (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
  open_days integer NOT NULL DEFAULT 7 CHECK (open_days BETWEEN 0 AND 60),
  request_days integer NOT NULL DEFAULT 14 CHECK (request_days BETWEEN 1 AND 90)
);

CREATE TABLE care_networks (
  id uuid PRIMARY KEY,
  -- The host: the coordinator's organisation.
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  name text NOT NULL,
  created_at timestamptz NOT NULL,
  -- Members added before this join at once; after it the network is "op slot".
  open_until timestamptz NOT NULL,
  created_by uuid NOT NULL
);

CREATE TABLE care_network_members (
  id uuid PRIMARY KEY,
  network_id uuid NOT NULL REFERENCES care_networks (id) ON DELETE CASCADE,
  role text NOT NULL CHECK (role IN ('client', 'representative', 'coordinator', 'professional', 'carer')),
  -- A staff account of any organisation here, or a person (client, representative, carer).
  user_id uuid,
  person_name text,
  person_email text,
  function text,
  legal_basis text NOT NULL CHECK (legal_basis IN ('client', 'behandelovereenkomst', 'wettelijke_taak', 'toestemming')),
  -- For "toestemming": { kind: digital | written, requestId?, reference? }.
  consent_record jsonb,
  -- A representative acts for the client within a scope, until an optional end date.
  scope text,
  ends_at timestamptz,
  added_at timestamptz NOT NULL,
  added_by uuid,
  removed_at timestamptz,
  removed_by uuid,
  CONSTRAINT care_member_who CHECK ((user_id IS NULL) <> (person_email IS NULL))
);
CREATE INDEX care_network_members_network ON care_network_members (network_id);
CREATE INDEX care_network_members_user ON care_network_members (user_id) WHERE removed_at IS NULL;
-- One active membership per staff account or address in a network.
CREATE UNIQUE INDEX care_network_members_one_user ON care_network_members (network_id, user_id)
  WHERE removed_at IS NULL AND user_id IS NOT NULL;
CREATE UNIQUE INDEX care_network_members_one_person ON care_network_members (network_id, person_email)
  WHERE removed_at IS NULL AND person_email IS NOT NULL;

CREATE TABLE care_consent_requests (
  id uuid PRIMARY KEY,
  network_id uuid NOT NULL REFERENCES care_networks (id) ON DELETE CASCADE,
  requested_by uuid NOT NULL REFERENCES care_network_members (id),
  -- The member to add, as the requester described them (role, who, legal basis, reason).
  candidate jsonb NOT NULL,
  reason text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'consented', 'declined')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  decided_at timestamptz,
  decided_by uuid REFERENCES care_network_members (id),
  member_id uuid REFERENCES care_network_members (id)
);
CREATE INDEX care_consent_requests_network ON care_consent_requests (network_id);
