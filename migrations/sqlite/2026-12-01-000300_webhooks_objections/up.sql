-- Webhooks: endpoints an organisation's admins register, told of the events they chose, each
-- delivery signed with the endpoint's secret (Standard Webhooks). Removed, never deleted.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    url TEXT NOT NULL,
    -- space-separated: change.announced change.effective change.corrected objection.received
    events TEXT NOT NULL,
    -- whsec_ + base64 of 32 random bytes: shown once, kept to sign
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    removed_at TIMESTAMP
);

-- Objections to an announced change (GDPR Art. 28(2)), recorded against its deadline: the day
-- the change takes effect.
CREATE TABLE objections (
    id INTEGER PRIMARY KEY NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    change_id INTEGER NOT NULL REFERENCES changes (id),
    name TEXT NOT NULL,
    company TEXT NOT NULL,
    email TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- the objector followed the e-mailed link (or an API client filed it: confirmed at once)
    confirmed_at TIMESTAMP,
    -- who filed it: public, or api:<client id>
    filed_by TEXT NOT NULL,
    -- upheld | resolved | withdrawn
    outcome TEXT,
    outcome_note TEXT,
    decided_at TIMESTAMP,
    decided_by TEXT
);
CREATE INDEX objections_change ON objections (change_id);

-- An event may be about an objection: several of one change, one of each kind per objection.
ALTER TABLE outbox_events ADD COLUMN objection_id INTEGER REFERENCES objections (id);
DROP INDEX outbox_events_change;
CREATE UNIQUE INDEX outbox_events_change ON outbox_events (kind, change_id) WHERE objection_id IS NULL;
CREATE UNIQUE INDEX outbox_events_objection ON outbox_events (kind, objection_id) WHERE objection_id IS NOT NULL;
