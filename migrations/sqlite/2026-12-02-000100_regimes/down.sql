ALTER TABLE vendor_certifications DROP COLUMN parts;
ALTER TABLE transfers DROP COLUMN outside_scope;
