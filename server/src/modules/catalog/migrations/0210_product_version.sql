-- A product's edit version: every merchant change (editor save, CSV import, shelf status, delete)
-- bumps it, and a save must name the version it started from (If-Match), so two people editing
-- the same product at once cannot silently overwrite each other.
alter table products add column version integer not null default 1 check (version >= 1);
