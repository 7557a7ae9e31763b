-- Notice that reaches people (GDPR Art. 28(2)): subscribers by e-mail with double opt-in, and an
-- outbox: what is to be sent is written in the transaction of the change it is about, then sent
-- by a worker with retries, so that a crash loses nothing and nothing is sent twice.

CREATE TABLE subscribers (
    id INTEGER PRIMARY KEY NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    -- When the confirmation link was followed: the consent. Nothing is sent before it but the
    -- confirmation itself.
    confirmed_at TIMESTAMP,
    unsubscribed_at TIMESTAMP,
    UNIQUE (organisation_id, email)
);

-- Something happened that people are told of: a change announced, in effect, corrected.
-- Written with the change; the worker turns it into one delivery per recipient (fan-out).
CREATE TABLE outbox_events (
    id INTEGER PRIMARY KEY NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- change.announced | change.effective | change.corrected
    kind TEXT NOT NULL,
    change_id INTEGER REFERENCES changes (id),
    created_at TIMESTAMP NOT NULL,
    fanned_out_at TIMESTAMP
);
-- One event of each kind per change: two instances queueing the same one, the second is refused.
CREATE UNIQUE INDEX outbox_events_change ON outbox_events (kind, change_id);

-- One message to one recipient. Its id is the message's identity (Message-ID, webhook-id):
-- a retry sends the same message again.
CREATE TABLE deliveries (
    id INTEGER PRIMARY KEY NOT NULL,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    event_id INTEGER REFERENCES outbox_events (id),
    -- email | webhook
    channel TEXT NOT NULL,
    -- an e-mail address, or a webhook's id
    recipient TEXT NOT NULL,
    -- what the message is: subscription.confirm, change.announced, change.effective, ...
    kind TEXT NOT NULL,
    -- what it says, as JSON, fixed when it is queued
    payload TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    -- a worker sending it holds it until then (another instance waits)
    claimed_until TIMESTAMP,
    attempts INTEGER NOT NULL DEFAULT 0,
    delivered_at TIMESTAMP,
    -- given up after three days of failures
    failed_at TIMESTAMP,
    last_error TEXT,
    UNIQUE (event_id, channel, recipient)
);
CREATE INDEX deliveries_due ON deliveries (delivered_at, failed_at, next_attempt_at);

CREATE TABLE delivery_attempts (
    id INTEGER PRIMARY KEY NOT NULL,
    delivery_id INTEGER NOT NULL REFERENCES deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    -- 1 when the SMTP server accepted it or the endpoint answered 2xx
    succeeded INTEGER NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id);

-- The key that signs the links sent by e-mail (confirm, unsubscribe, object), made once.
CREATE TABLE link_keys (
    id INTEGER PRIMARY KEY NOT NULL,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
