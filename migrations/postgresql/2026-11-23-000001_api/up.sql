-- Machine clients of the API (OAuth 2.0 client credentials) and vendor intake requests.

CREATE TABLE api_clients (
    id SERIAL PRIMARY KEY,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    -- argon2id PHC string; the secret itself is shown once and never stored.
    secret_hash TEXT NOT NULL,
    -- space-separated scopes the client may ask for
    scopes TEXT NOT NULL,
    revoked_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE intake_requests (
    id SERIAL PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    vendor_name TEXT NOT NULL,
    website TEXT,
    purpose TEXT NOT NULL,
    -- ISO codes and data categories, space-separated
    countries TEXT NOT NULL,
    data_categories TEXT NOT NULL,
    requester TEXT NOT NULL,
    status TEXT NOT NULL,
    decision_reason TEXT,
    vendor_id INTEGER REFERENCES vendors (id),
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX intake_requests_organisation ON intake_requests (organisation_id, status);
