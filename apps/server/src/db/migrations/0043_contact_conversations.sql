-- Conversations started on a contact page (issue 6). Such a conversation has no staff sender: the
-- person (a guest participant with role 'sender') started it with the team it was addressed to.
-- Staff items can be written in a team's name (the member stays recorded as the author).
ALTER TABLE conversations ALTER COLUMN sender_user_id DROP NOT NULL;
ALTER TABLE conversations ADD COLUMN contact_team_id uuid REFERENCES teams (id);
ALTER TABLE conversations
  ADD CONSTRAINT conversations_one_starter CHECK ((sender_user_id IS NULL) = (contact_team_id IS NOT NULL));

ALTER TABLE items ADD COLUMN on_behalf_of_team_id uuid REFERENCES teams (id);

-- The conversation a send token was spent on (the token works once).
ALTER TABLE contact_verifications ADD COLUMN conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL;
