-- Keyed audit chain (issue 13, item 5): rows written from now on carry chain_version 2, whose
-- hash is an HMAC under a key derived from the server secret (not in the database). Existing rows
-- keep version 1 (plain SHA-256) and keep verifying; a version-1 row after a version-2 row is
-- reported as broken. A constant default does not rewrite rows or fire the append-only trigger.
ALTER TABLE audit_events ADD COLUMN chain_version smallint NOT NULL DEFAULT 1
  CHECK (chain_version IN (1, 2));
