-- Rendered share posters by the hash of everything drawn on them: the same content is served from
-- storage instead of being drawn again, and its hash is the ETag.
create table poster_renders (
  hash text primary key,
  storage_key text not null,
  bytes integer not null,
  kind text not null,
  created_at timestamptz not null default now()
);
