DROP TABLE link_keys;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE outbox_events;
DROP TABLE subscribers;
