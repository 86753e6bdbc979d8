-- Bargain (砍价): a shopper starts a bargain, friends each cut once; the cuts are planned from a
-- seed so that the price reaches the floor exactly at the configured number of helps.
create table bargain_campaigns (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  product_id bigint not null,
  sku_id bigint not null,
  title text not null,
  floor_price_fen bigint not null check (floor_price_fen >= 0),
  helps_needed integer not null check (helps_needed between 1 and 500),
  expire_hours integer not null check (expire_hours between 1 and 720),
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'ended')),
  created_at timestamptz not null default now()
);

create table bargains (
  id bigint generated always as identity primary key,
  campaign_id bigint not null references bargain_campaigns (id),
  user_id bigint not null,
  start_price_fen bigint not null,
  current_price_fen bigint not null,
  floor_price_fen bigint not null,
  helps_needed integer not null,
  helps integer not null default 0,
  seed bigint not null,
  status text not null default 'active' check (status in ('active', 'reached', 'bought', 'expired')),
  expires_at timestamptz not null,
  order_id bigint,
  created_at timestamptz not null default now(),
  unique (campaign_id, user_id),
  check (current_price_fen >= floor_price_fen)
);

create table bargain_helps (
  bargain_id bigint not null references bargains (id),
  helper_user_id bigint not null,
  seq integer not null,
  cut_fen bigint not null,
  created_at timestamptz not null default now(),
  primary key (bargain_id, helper_user_id),
  unique (bargain_id, seq)
);
