-- Until when each staff member has read a conversation (issue 12, item 4): items others wrote
-- after that are unread, and a conversation with unread items is marked in Postvak IN.
CREATE TABLE conversation_reads (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  read_at timestamptz NOT NULL,
  PRIMARY KEY (user_id, conversation_id)
);

