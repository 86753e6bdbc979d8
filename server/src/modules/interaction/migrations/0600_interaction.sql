-- Interaction: chat log and moderation, coin wallets and gifts, lucky bags, room coupon drops.

create table sensitive_words (
  id bigserial primary key,
  merchant_id bigint,                         -- null: platform-wide list
  word text not null,
  action text not null check (action in ('mask', 'block', 'review')),
  created_by bigint,
  created_at timestamptz not null default now()
);
create unique index sensitive_words_scope_word on sensitive_words (coalesce(merchant_id, 0), word);

create table chat_messages (
  id bigserial primary key,
  room_id bigint not null,
  merchant_id bigint not null,
  seq bigint,                                 -- room frame seq when published
  user_id bigint not null,
  nickname text not null,
  text text not null,                         -- as shown (masked)
  original_text text not null,
  status text not null check (status in ('visible', 'held', 'blocked', 'deleted', 'rejected')),
  moderation jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index chat_messages_room on chat_messages (room_id, id desc);
create index chat_messages_held on chat_messages (merchant_id, status) where status = 'held';
create unique index chat_messages_room_seq on chat_messages (room_id, seq) where seq is not null;

create table room_sanctions (
  id bigserial primary key,
  merchant_id bigint not null,
  room_id bigint,                             -- mute: one room; ban: null (all the merchant's rooms)
  user_id bigint not null,
  kind text not null check (kind in ('mute', 'ban')),
  until timestamptz,                          -- null: until lifted
  reason text not null default '',
  created_by bigint not null,
  lifted_at timestamptz,
  created_at timestamptz not null default now()
);
create index room_sanctions_active on room_sanctions (merchant_id, user_id) where lifted_at is null;

create table chat_reports (
  id bigserial primary key,
  room_id bigint not null,
  merchant_id bigint not null,
  message_seq bigint not null,
  reporter_id bigint not null,
  reason text not null,
  status text not null default 'open' check (status in ('open', 'resolved', 'dismissed')),
  created_at timestamptz not null default now(),
  unique (room_id, message_seq, reporter_id)
);

create table gifts (
  id bigserial primary key,
  name text not null,
  icon_url text,
  price_coins bigint not null check (price_coins > 0),
  effect text not null default 'float' check (effect in ('float', 'banner', 'fullscreen')),
  enabled boolean not null default true,
  sort int not null default 0,
  created_at timestamptz not null default now()
);

create table coin_wallets (
  user_id bigint primary key,
  balance bigint not null default 0 check (balance >= 0),
  updated_at timestamptz not null default now()
);

create table coin_ledger (
  id bigserial primary key,
  user_id bigint not null,
  delta bigint not null,
  balance_after bigint not null,
  reason text not null,                       -- topup | gift | lucky_bag_prize
  ref text not null,                          -- topup id, gift send id…: (reason, ref) happens once
  created_at timestamptz not null default now(),
  unique (reason, ref)
);
create index coin_ledger_user on coin_ledger (user_id, id desc);

create table coin_topups (
  id bigserial primary key,
  user_id bigint not null,
  coins bigint not null check (coins > 0),
  amount_fen bigint not null check (amount_fen > 0),
  payment_id bigint,
  status text not null default 'pending' check (status in ('pending', 'credited')),
  created_at timestamptz not null default now(),
  credited_at timestamptz
);

create table gift_sends (
  id bigserial primary key,
  room_id bigint not null,
  merchant_id bigint not null,
  anchor_user_id bigint,
  sender_id bigint not null,
  gift_id bigint not null references gifts(id),
  quantity int not null check (quantity > 0),
  coins bigint not null check (coins > 0),
  client_ref text not null,                   -- idempotency: a retried send debits once
  created_at timestamptz not null default now(),
  unique (sender_id, client_ref)
);
create index gift_sends_room on gift_sends (room_id, id desc);

create table gift_earnings (
  id bigserial primary key,
  gift_send_id bigint not null unique references gift_sends(id),
  merchant_id bigint not null,
  anchor_user_id bigint,
  room_id bigint not null,
  gross_fen bigint not null,
  merchant_fen bigint not null,               -- merchant_fen + platform_fen = gross_fen
  platform_fen bigint not null,
  created_at timestamptz not null default now()
);
create index gift_earnings_merchant on gift_earnings (merchant_id, id desc);

create table lucky_bags (
  id bigserial primary key,
  room_id bigint not null,
  merchant_id bigint not null,
  title text not null,
  prize jsonb not null,
  winners_count int not null check (winners_count > 0),
  condition jsonb not null,
  seed_hash text not null,
  seed text not null,                         -- secret until the draw
  status text not null default 'open' check (status in ('open', 'drawn', 'cancelled')),
  draw_at timestamptz not null,
  drawn_at timestamptz,
  created_by bigint not null,
  created_at timestamptz not null default now()
);
create index lucky_bags_room on lucky_bags (room_id, status);

create table lucky_bag_entries (
  bag_id bigint not null references lucky_bags(id),
  user_id bigint not null,
  created_at timestamptz not null default now(),
  primary key (bag_id, user_id)
);

create table lucky_bag_winners (
  bag_id bigint not null references lucky_bags(id),
  user_id bigint not null,
  rank int not null,
  prize jsonb not null,
  created_at timestamptz not null default now(),
  primary key (bag_id, user_id)
);

create table coupon_drops (
  id bigserial primary key,
  room_id bigint not null,
  merchant_id bigint not null,
  coupon_id bigint not null,                  -- the marketing module's coupon template
  title text not null,
  quantity int not null check (quantity > 0),
  claimed int not null default 0 check (claimed <= quantity),
  ends_at timestamptz not null,
  created_by bigint not null,
  created_at timestamptz not null default now()
);

create table coupon_drop_claims (
  drop_id bigint not null references coupon_drops(id),
  user_id bigint not null,
  status text not null check (status in ('granted', 'pending_marketing')),
  detail jsonb not null default '{}',
  created_at timestamptz not null default now(),
  primary key (drop_id, user_id)
);
