-- The network's key (issue 15, item 3): an X25519 key pair made in a member's browser, its
-- private key wrapped to each member's own public key. Items of the network conversation are
-- wrapped to the current key. Removing a member retires the key: nothing can be added until a
-- remaining member's browser uploads the next one, wrapped to the remaining members only, so the
-- removed member reads nothing new. Owned by features/care-networks.
CREATE TABLE care_network_keys (
  id uuid PRIMARY KEY,
  network_id uuid NOT NULL REFERENCES care_networks (id) ON DELETE CASCADE,
  epoch integer NOT NULL,
  public_key text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES care_network_members (id),
  retired_at timestamptz,
  UNIQUE (network_id, epoch)
);
-- At most one current key per network.
CREATE UNIQUE INDEX care_network_keys_current ON care_network_keys (network_id) WHERE retired_at IS NULL;

CREATE TABLE care_network_key_wraps (
  key_id uuid NOT NULL REFERENCES care_network_keys (id) ON DELETE CASCADE,
  member_id uuid NOT NULL REFERENCES care_network_members (id) ON DELETE CASCADE,
  wrapped_private_key bytea NOT NULL,
  PRIMARY KEY (key_id, member_id)
);

-- The network conversation on the conversation core (kind 'care_network', owner: the network).
ALTER TABLE care_networks ADD COLUMN conversation_id uuid;
