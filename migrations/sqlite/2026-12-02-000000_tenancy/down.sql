ALTER TABLE users DROP COLUMN memberships;
ALTER TABLE api_clients DROP COLUMN organisations;
