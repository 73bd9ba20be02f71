-- Indexes found missing by db/query-plans.test.ts (issue 18, item 7) on realistic row counts:
-- a mailbox's newest conversations for someone who takes part in most of them, and the audit
-- trail filtered by action.
CREATE INDEX conversations_last_activity ON conversations (last_activity_at);
CREATE INDEX audit_events_org_action ON audit_events (organisation_id, action, seq);
