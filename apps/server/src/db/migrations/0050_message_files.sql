-- Large files in messages (issue 4): a completed tus upload is linked to the item it was sent
-- with. The link is set once, at send time, and never changes; revoke and expiry delete the
-- file (segments, blobs, row). See docs/files.md ("Who may download") and docs/messages.md.
ALTER TABLE files ADD COLUMN item_id uuid REFERENCES items (id);
CREATE INDEX files_item ON files (item_id) WHERE item_id IS NOT NULL;

-- A download receipt for a large file names the file here (attachment downloads keep
-- `attachment_id`). No foreign key: the receipt outlives the file, for the proof of delivery.
ALTER TABLE message_events ADD COLUMN file_id uuid;
