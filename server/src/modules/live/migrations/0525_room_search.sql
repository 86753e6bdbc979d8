-- A room's words for search (jieba over its title), written with the room; null = not indexed yet,
-- filled in by the next search.
alter table live_rooms add column search_terms text;
create index live_rooms_unindexed_idx on live_rooms (id) where search_terms is null;
