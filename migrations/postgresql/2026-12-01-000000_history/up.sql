-- Records that keep their history (DESIGN.md section 4). Every public fact of a vendor -- its
-- listing, each transfer, each certification -- is a series of versions, appended and never
-- changed: a version holds the fact from `effective_from` until the fact's next version, as
-- known from `recorded_at`. The list as published on a day reads the versions recorded by the
-- end of that day; later corrections are versions recorded later.
CREATE TABLE versions (
    id SERIAL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    -- vendor | transfer | certification
    fact TEXT NOT NULL,
    -- The vendor's, the transfer's or the certification's id.
    fact_id INTEGER NOT NULL,
    effective_from DATE NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    -- The change-log entry that published it (its hash covers this row).
    change_id INTEGER REFERENCES changes (id),
    -- The fact as canonical JSON; NULL when the fact ends (a transfer stopped).
    body TEXT
);
CREATE INDEX versions_organisation ON versions (organisation_id, recorded_at);
CREATE INDEX versions_vendor ON versions (vendor_id, fact, fact_id);

-- The change log becomes a hash chain: each entry's SHA-256 covers its canonical JSON, its
-- versions and the previous entry's hash. `reason` is a correction's or an urgent change's;
-- `amends` names the entry whose effective date a later entry moved.
ALTER TABLE changes ADD COLUMN reason TEXT;
ALTER TABLE changes ADD COLUMN amends INTEGER REFERENCES changes (id);
ALTER TABLE changes ADD COLUMN hash TEXT NOT NULL DEFAULT '';
