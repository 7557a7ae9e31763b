-- The registry (DESIGN.md section 3): the PostgreSQL twin of migrations/sqlite, same tables and columns.
-- Flags are INTEGER 0/1 and dates are DATE/TIMESTAMP so that one diesel schema fits both backends.

CREATE TABLE organisations (
    id SERIAL PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    country TEXT NOT NULL,
    privacy_contact TEXT,
    website TEXT,
    policy_title TEXT,
    policy_date DATE,
    policy_source TEXT,
    policy_url TEXT,
    announce_days INTEGER NOT NULL DEFAULT 30,
    version INTEGER NOT NULL DEFAULT 1,
    -- Bumped by every write to any record of the organisation: caches compare it.
    revision INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE vendors (
    id SERIAL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    legal_entity TEXT,
    website TEXT,
    headquarters TEXT,
    role TEXT NOT NULL,
    purpose TEXT NOT NULL,
    status TEXT NOT NULL,
    proposed_on DATE,
    active_from DATE,
    retired_from DATE,
    dpa_signed_on DATE,
    dpa_url TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (organisation_id, key)
);

CREATE TABLE vendor_categories (
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    category TEXT NOT NULL,
    PRIMARY KEY (vendor_id, category)
);

CREATE TABLE vendor_certifications (
    id SERIAL PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    framework TEXT NOT NULL,
    certified_from DATE NOT NULL,
    certified_until DATE,
    verified_on DATE NOT NULL
);
CREATE INDEX vendor_certifications_vendor ON vendor_certifications (vendor_id);

CREATE TABLE transfers (
    id SERIAL PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    position INTEGER NOT NULL,
    country TEXT,
    location TEXT,
    tia_on DATE,
    supplementary_measures TEXT,
    notes TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (vendor_id, position)
);

CREATE TABLE transfer_mechanisms (
    transfer_id INTEGER NOT NULL REFERENCES transfers (id),
    position INTEGER NOT NULL,
    mechanism TEXT NOT NULL,
    signed_on DATE,
    PRIMARY KEY (transfer_id, position)
);

CREATE TABLE transfer_data_categories (
    transfer_id INTEGER NOT NULL REFERENCES transfers (id),
    category TEXT NOT NULL,
    PRIMARY KEY (transfer_id, category)
);

-- Where a record comes from: a document and a verbatim quote.
CREATE TABLE evidence (
    id SERIAL PRIMARY KEY,
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    transfer_id INTEGER REFERENCES transfers (id),
    certification_id INTEGER REFERENCES vendor_certifications (id),
    document TEXT NOT NULL,
    quote TEXT NOT NULL,
    url TEXT
);
CREATE INDEX evidence_vendor ON evidence (vendor_id);

-- The public change log: announced on one date, effective on another.
CREATE TABLE changes (
    id SERIAL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    vendor_id INTEGER REFERENCES vendors (id),
    kind TEXT NOT NULL,
    summary TEXT NOT NULL,
    announced_on DATE NOT NULL,
    effective_on DATE NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX changes_organisation ON changes (organisation_id, effective_on);

-- Append-only: who changed what, when, with the record before and after (JSON).
CREATE TABLE audit_events (
    id SERIAL PRIMARY KEY,
    occurred_at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    organisation_id INTEGER REFERENCES organisations (id),
    before TEXT,
    after TEXT
);
CREATE INDEX audit_events_organisation ON audit_events (organisation_id, occurred_at);
CREATE INDEX vendors_organisation ON vendors (organisation_id);
CREATE INDEX transfers_vendor ON transfers (vendor_id);
