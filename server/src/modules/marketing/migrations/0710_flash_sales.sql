-- Flash sales (秒杀): sessions (time slots), items with a flash price, a stock allotment and a
-- per-user limit. The cache decides who gets a unit; flash_items.sold is the database's guard and
-- flash_orders settles each unit with its order.
create table flash_sessions (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  title text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  room_id bigint,
  status text not null default 'active' check (status in ('active', 'cancelled')),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index flash_sessions_time_idx on flash_sessions (status, starts_at, ends_at);

create table flash_items (
  id bigint generated always as identity primary key,
  session_id bigint not null references flash_sessions (id),
  merchant_id bigint not null,
  sku_id bigint not null,
  product_id bigint not null,
  flash_price_fen bigint not null check (flash_price_fen >= 0),
  stock integer not null check (stock > 0),
  sold integer not null default 0,
  per_user_limit integer not null default 1 check (per_user_limit > 0),
  cache_key text not null,                    -- names the item's cache counters: unique even if the database is reset under a live cache
  unique (session_id, sku_id),
  check (sold >= 0 and sold <= stock)
);

create table flash_orders (
  order_id bigint primary key,
  item_id bigint not null references flash_items (id),
  user_id bigint not null,
  quantity integer not null,
  status text not null default 'held' check (status in ('held', 'paid', 'returned')),
  created_at timestamptz not null default now()
);
create index flash_orders_item_idx on flash_orders (item_id, user_id);
