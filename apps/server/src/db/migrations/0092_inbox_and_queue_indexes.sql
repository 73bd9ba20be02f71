-- Found by db/query-plans.test.ts (issue 18, item 7) after the merges of this session:
-- Postvak IN asked, per conversation, whether anyone but its sender wrote (a sequential scan of
-- items); the conversation now records when that first happened. Readiness and /metrics count
-- the unfinished jobs, which a partial index keeps small however many jobs are done.
ALTER TABLE conversations ADD COLUMN replied_at timestamptz;
UPDATE conversations c SET replied_at = (
  SELECT min(i.created_at) FROM items i
  WHERE i.conversation_id = c.id
    AND (i.author_user_id IS NULL OR i.author_user_id IS DISTINCT FROM c.sender_user_id)
);
CREATE INDEX conversations_sender_replied ON conversations (sender_user_id, last_activity_at)
  WHERE replied_at IS NOT NULL;
CREATE INDEX jobs_unfinished ON jobs (kind) WHERE finished_at IS NULL;
