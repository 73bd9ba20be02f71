-- Large encrypted files (issue 4): resumable tus uploads whose state and lock live here, so any
-- server process can take the next PATCH. See docs/files.md.

-- One upload, and once complete, one stored file. The id is chosen by the browser (it is the
-- ciphertext's associated data, like an attachment id); `length` is the declared ciphertext size.
CREATE TABLE files (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations (id),
  user_id uuid NOT NULL REFERENCES users (id),
  -- The message the browser is composing (its own id), for the per-message limit.
  message_id uuid,
  length bigint NOT NULL CHECK (length >= 0),
  upload_offset bigint NOT NULL DEFAULT 0 CHECK (upload_offset >= 0 AND upload_offset <= length),
  -- The PATCH in progress (any process): who holds it, until when, and the blob it is writing.
  lock_token uuid,
  locked_until timestamptz,
  pending_key text,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX files_message ON files (organisation_id, message_id);
CREATE INDEX files_unfinished ON files (updated_at) WHERE completed_at IS NULL;

-- A file is the concatenation of its segments, one per accepted PATCH, in offset order.
CREATE TABLE file_segments (
  file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
  start_offset bigint NOT NULL,
  size bigint NOT NULL CHECK (size > 0),
  blob_key text NOT NULL,
  PRIMARY KEY (file_id, start_offset)
);

-- Bytes counted against an organisation's quota: uploads at their declared length, from creation
-- until they are deleted (abandoned, terminated, or the file removed).
CREATE TABLE file_usage (
  organisation_id uuid PRIMARY KEY REFERENCES organisations (id),
  reserved_bytes bigint NOT NULL DEFAULT 0 CHECK (reserved_bytes >= 0)
);
