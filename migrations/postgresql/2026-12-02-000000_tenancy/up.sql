-- Organisations are tenants. An API client acts on the organisations it was created for, and
-- its tokens carry them; an account has a role per organisation. '*' is every organisation:
-- what clients and accounts created before had, so nothing breaks.

-- Space-separated organisation slugs, or '*'.
ALTER TABLE api_clients ADD COLUMN organisations TEXT NOT NULL DEFAULT '*';

-- '*' (the account's role in every organisation), or space-separated 'slug:role' pairs.
ALTER TABLE users ADD COLUMN memberships TEXT NOT NULL DEFAULT '*';
