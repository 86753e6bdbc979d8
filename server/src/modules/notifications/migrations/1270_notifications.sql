-- The shopper's message centre (消息中心): one row per notice a shopper sees, by kind (customer
-- service, orders, after-sales, live reminders, marketing). dedupe_key makes every producer
-- idempotent: the same event or job delivered twice inserts nothing the second time.
create table notifications (
  id bigserial primary key,
  user_id bigint not null references users (id),
  kind text not null check (kind in ('service', 'order', 'aftersale', 'live', 'marketing')),
  topic text not null,
  merchant_id bigint,
  -- What the notice opens: 'order:12', 'aftersale:3', 'room:7', 'conversation:5', 'campaign:2'.
  ref text not null,
  params jsonb not null default '{}',
  dedupe_key text not null,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  unique (user_id, dedupe_key)
);
create index notifications_user_kind_idx on notifications (user_id, kind, id desc);
create index notifications_unread_idx on notifications (user_id, kind) where read_at is null;

-- Per-kind switches a shopper sets; a missing row means the kind's default (marketing off).
create table notification_preferences (
  user_id bigint not null references users (id),
  kind text not null check (kind in ('service', 'order', 'aftersale', 'live', 'marketing')),
  enabled boolean not null,
  sms boolean not null,
  wechat boolean not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, kind)
);

-- Offline copies of a notice (SMS, WeChat subscribe message), each sent by a job.
create table notification_deliveries (
  id bigserial primary key,
  notification_id bigint not null references notifications (id),
  channel text not null check (channel in ('sms', 'wechat')),
  status text not null default 'queued' check (status in ('queued', 'sent', 'skipped', 'failed')),
  detail text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (notification_id, channel)
);

-- Who followed which shop (from merchant.followed): the candidates for "the shop is live" notices
-- and marketing; social.followersAmong() filters out those who unfollowed since.
create table notification_followers (
  merchant_id bigint not null,
  user_id bigint not null,
  created_at timestamptz not null default now(),
  primary key (merchant_id, user_id)
);

-- A shop's marketing message to its followers who agreed to marketing.
create table notification_campaigns (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  title text not null,
  body text not null,
  product_id bigint,
  created_by bigint not null references users (id),
  recipients integer,
  created_at timestamptz not null default now()
);
create index notification_campaigns_merchant_idx on notification_campaigns (merchant_id, id desc);
