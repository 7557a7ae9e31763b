ALTER TABLE transfers DROP COLUMN ended_from;
