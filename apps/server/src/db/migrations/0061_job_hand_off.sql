-- Jobs that hand something to the outside (a mail to the relay) mark when they did, so a retry
-- after a crash does not hand it over a second time (issue 13, item 6).
ALTER TABLE jobs ADD COLUMN handed_off_at timestamptz;
