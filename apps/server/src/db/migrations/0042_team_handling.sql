-- Team mailboxes (issue 6): who in a team handles a conversation, whether it is done, and the
-- history of who did what. One state row per team and conversation; events are append-only.
CREATE TABLE team_conversation_states (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  assignee_user_id uuid REFERENCES users (id),
  done_at timestamptz,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (conversation_id, team_id)
);

CREATE TABLE team_conversation_events (
  id uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
  actor_user_id uuid NOT NULL REFERENCES users (id),
  type text NOT NULL CHECK (type IN ('assigned', 'unassigned', 'done', 'reopened')),
  target_user_id uuid REFERENCES users (id),
  occurred_at timestamptz NOT NULL
);
CREATE INDEX team_conversation_events_conversation ON team_conversation_events (conversation_id, occurred_at);
