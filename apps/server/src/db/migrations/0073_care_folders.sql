-- Folders of a care network (issue 15, item 4): each a conversation on the core (kind
-- 'care_folder', owner: the folder) whose items carry the documents, wrapped to the network key.
-- Rights per role or per member: reader ("lezer") or uploader ("invoer"). Owned by
-- features/care-networks.
CREATE TABLE care_folders (
  id uuid PRIMARY KEY,
  network_id uuid NOT NULL REFERENCES care_networks (id) ON DELETE CASCADE,
  name text NOT NULL,
  conversation_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid NOT NULL REFERENCES care_network_members (id),
  UNIQUE (network_id, name)
);

CREATE TABLE care_folder_rights (
  folder_id uuid NOT NULL REFERENCES care_folders (id) ON DELETE CASCADE,
  -- A role ('professional', 'carer', …) or one member.
  role text,
  member_id uuid REFERENCES care_network_members (id) ON DELETE CASCADE,
  access text NOT NULL CHECK (access IN ('reader', 'uploader')),
  CONSTRAINT care_folder_right_subject CHECK ((role IS NULL) <> (member_id IS NULL))
);
CREATE UNIQUE INDEX care_folder_rights_role ON care_folder_rights (folder_id, role) WHERE role IS NOT NULL;
CREATE UNIQUE INDEX care_folder_rights_member ON care_folder_rights (folder_id, member_id) WHERE member_id IS NOT NULL;
