-- Growth: shares (a token naming the sharer and what was shared), the touches that came through
-- them, first and last touch per (shop, visitor), orders attributed from them, and invitations.
-- A visitor is 'u:<userId>' once known, 'd:<visitor key>' (the shop's device id) before that.
create table growth_shares (
  id bigint generated always as identity primary key,
  token text not null unique,
  merchant_id bigint not null references merchants (id),
  sharer_key text not null,
  -- null for an anonymous sharer until that visitor signs in
  sharer_user_id bigint references users (id),
  target_kind text not null,
  target_id bigint not null,
  -- the share through which the sharer themself arrived (the spread tree); depth 0 for a root
  parent_share_id bigint references growth_shares (id),
  depth int not null default 0,
  times_shared int not null default 1,
  last_shared_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
create unique index growth_shares_same_idx on growth_shares (merchant_id, sharer_key, target_kind, target_id);
create index growth_shares_merchant_idx on growth_shares (merchant_id, created_at);
create index growth_shares_user_idx on growth_shares (sharer_user_id, target_kind, target_id)
  where sharer_user_id is not null;
create index growth_shares_parent_idx on growth_shares (parent_share_id) where parent_share_id is not null;

-- One row per (share, visitor as first seen, kind); repeats bump hits and last_at.
create table growth_touches (
  id bigint generated always as identity primary key,
  merchant_id bigint not null,
  share_id bigint not null references growth_shares (id),
  visitor_key text not null,
  visitor_user_id bigint,
  kind text not null check (kind in ('visit', 'signup', 'room_entry')),
  room_id bigint,
  hits int not null default 1,
  first_at timestamptz not null default now(),
  last_at timestamptz not null default now(),
  unique (share_id, visitor_key, kind)
);
create index growth_touches_visitor_idx on growth_touches (visitor_key);
create index growth_touches_user_idx on growth_touches (visitor_user_id, merchant_id) where visitor_user_id is not null;
create index growth_touches_merchant_idx on growth_touches (merchant_id, first_at);
-- at most one sign-up touch per user and shop
create unique index growth_touches_signup_idx on growth_touches (merchant_id, visitor_user_id) where kind = 'signup';

-- First and last touch per (shop, visitor). The first share of a visitor is the one that brought
-- them in: the spread tree's "new visitor" and the K coefficient count these rows.
create table growth_visitor_touches (
  merchant_id bigint not null,
  visitor_key text not null,
  first_share_id bigint not null references growth_shares (id),
  first_at timestamptz not null,
  last_share_id bigint not null references growth_shares (id),
  last_at timestamptz not null,
  primary key (merchant_id, visitor_key)
);
create index growth_visitor_touches_first_idx on growth_visitor_touches (first_share_id);

-- Sign-ups as identity reported them (user.registered), to tell a new account from an old one.
create table growth_registrations (
  user_id bigint primary key,
  registered_at timestamptz not null
);

create table growth_order_attributions (
  order_id bigint primary key,
  merchant_id bigint not null,
  buyer_user_id bigint not null,
  room_id bigint,
  first_share_id bigint not null references growth_shares (id),
  last_share_id bigint not null references growth_shares (id),
  total_fen bigint not null,
  refunded_fen bigint not null default 0,
  product_ids jsonb not null default '[]',
  placed_at timestamptz not null default now(),
  paid_at timestamptz
);
create index growth_order_attributions_merchant_idx on growth_order_attributions (merchant_id, paid_at);
create index growth_order_attributions_last_idx on growth_order_attributions (last_share_id);
