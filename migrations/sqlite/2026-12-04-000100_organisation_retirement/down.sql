ALTER TABLE organisations DROP COLUMN retired_at;
