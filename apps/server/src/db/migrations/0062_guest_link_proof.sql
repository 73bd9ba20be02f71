-- Issue 13, item 1: no guest lock-out by strangers.
-- link_proof_hash: SHA-256 of the proof the guest page derives from the link's #fragment
-- (deriveLinkProof); pre-verification guest requests must show the proof. NULL for guests created
-- before this migration: their links keep working as before until the message expires.
-- locked_until / lock_count: a lock is a growing delay that ends, not a permanent state;
-- locked_at stays the time the latest lock began (the sender's receipt).
ALTER TABLE guest_credentials ADD COLUMN link_proof_hash bytea;
ALTER TABLE guest_credentials ADD COLUMN locked_until timestamptz;
ALTER TABLE guest_credentials ADD COLUMN lock_count integer NOT NULL DEFAULT 0;

-- Locks made before this migration were for ever; they now end a minute after they began.
UPDATE guest_credentials
SET locked_until = locked_at + interval '1 minute', lock_count = 1, wrong_codes = 0
WHERE locked_at IS NOT NULL;
