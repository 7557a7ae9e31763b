-- Organisations are retired, never deleted (their change log, versions and audit trail stay):
-- a retired organisation is no longer listed or served, and its slug stays taken.
ALTER TABLE organisations ADD COLUMN retired_at TIMESTAMP;
