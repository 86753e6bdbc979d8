-- Flash-sale attempts. A unit is taken in the cache before the order transaction, with an attempt
-- id and a lease. Each attempt ends here exactly once: 'settled' by the order transaction that
-- made it an order, or 'expired' by the undo (order refused) or the reconciler (lease ran out).
-- Both insert the same primary key, so whichever commits first decides; the other backs off.
create table flash_attempts (
  attempt_id text primary key,
  item_id bigint not null references flash_items (id),
  user_id bigint not null,
  quantity integer not null check (quantity > 0),
  outcome text not null check (outcome in ('settled', 'expired')),
  order_id bigint,
  created_at timestamptz not null default now(),
  check ((outcome = 'settled') = (order_id is not null))
);
create index flash_attempts_item_idx on flash_attempts (item_id);

-- The load generation of the item's cache counters: bumped by every (re)load, so an attempt taken
-- from counters that were lost (a Redis restart) cannot settle against counters rebuilt without it.
alter table flash_items add column cache_gen integer not null default 0;

-- The generation an order's units were given back in, so a return the cache has not heard of yet
-- (a crash between the database and the cache) is told again only to the counters it belongs to.
alter table flash_orders add column returned_gen integer;
