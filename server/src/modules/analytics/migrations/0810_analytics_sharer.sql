-- Share attribution (issue 15 plumbing; the growth work reads it): the sharer a mini-program page
-- was opened with (?sharer=<userId or share token>), as the client's beacon reported it.
alter table analytics_events add column sharer text;
create index analytics_events_sharer_idx on analytics_events (sharer, occurred_at) where sharer is not null;
