-- Public contact pages and team mailboxes (issue 6): each team's contact-page settings. No row
-- means the defaults below: a team only replies until an admin opens it to new conversations.
CREATE TABLE team_contact_settings (
  team_id uuid PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
  accepts_new boolean NOT NULL DEFAULT false,
  region text NOT NULL DEFAULT '',
  response_time text NOT NULL DEFAULT '',
  auto_reply text NOT NULL DEFAULT '',
  office_hours text NOT NULL DEFAULT '',
  guest_verification text NOT NULL DEFAULT 'email' CHECK (guest_verification IN ('email', 'sms')),
  notify text NOT NULL DEFAULT 'members' CHECK (notify IN ('members', 'address')),
  notify_address text,
  updated_at timestamptz NOT NULL,
  updated_by uuid REFERENCES users (id),
  CHECK (notify = 'members' OR notify_address IS NOT NULL)
);
