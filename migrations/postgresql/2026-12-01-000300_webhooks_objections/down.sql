DROP INDEX outbox_events_objection;
DROP INDEX outbox_events_change;
ALTER TABLE outbox_events DROP COLUMN objection_id;
CREATE UNIQUE INDEX outbox_events_change ON outbox_events (kind, change_id);
DROP TABLE objections;
DROP TABLE webhooks;
