-- Group-buy (拼团): a deal offers a SKU at a group price when N shoppers pay within the window.
create table group_buy_deals (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  product_id bigint not null,
  sku_id bigint not null,
  title text not null,
  group_price_fen bigint not null check (group_price_fen >= 0),
  group_size integer not null check (group_size between 2 and 100),
  expire_minutes integer not null check (expire_minutes between 1 and 10080),
  auto_fill boolean not null default false,   -- a nearly full group (one short) succeeds at expiry
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'ended')),
  created_at timestamptz not null default now()
);

create table group_buy_groups (
  id bigint generated always as identity primary key,
  deal_id bigint not null references group_buy_deals (id),
  leader_user_id bigint not null,
  status text not null default 'forming' check (status in ('forming', 'succeeded', 'failed')),
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  closed_at timestamptz
);
create index group_buy_groups_deal_idx on group_buy_groups (deal_id, status);

create table group_buy_members (
  group_id bigint not null references group_buy_groups (id),
  user_id bigint not null,
  order_id bigint not null unique,
  status text not null default 'pending' check (status in ('pending', 'paid', 'left', 'refunding', 'refunded')),
  refund_id bigint,
  joined_at timestamptz not null default now(),
  primary key (group_id, user_id)
);
