ALTER TABLE changes DROP COLUMN hash;
ALTER TABLE changes DROP COLUMN amends;
ALTER TABLE changes DROP COLUMN reason;
DROP TABLE versions;
