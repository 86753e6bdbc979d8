-- Payments through a provider (sandbox, WeChat Pay, Alipay), their notifications, and refunds.

create table payments (
  id bigint generated always as identity primary key,
  payment_no text not null unique,            -- our out_trade_no
  user_id bigint not null references users (id),
  merchant_id bigint references merchants (id), -- null: collected by the platform (coins, multi-shop checkout)
  biz_type text not null,                      -- 'order' | 'coin_topup' | 'group_buy' ...
  biz_id text not null,
  subject text not null,
  amount_fen bigint not null check (amount_fen > 0),
  provider text,                               -- chosen when the shopper starts paying
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed', 'closed')),
  provider_txn_id text,
  refunded_fen bigint not null default 0 check (refunded_fen >= 0),
  expires_at timestamptz not null,
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (refunded_fen <= amount_fen)
);
create index payments_biz_idx on payments (biz_type, biz_id);
create index payments_user_idx on payments (user_id, id desc);

-- Every provider notification we accepted or rejected, for audit; the unique event id makes
-- a replayed notification a no-op.
create table payment_notifications (
  id bigint generated always as identity primary key,
  provider text not null,
  event_id text not null,
  payment_no text,
  outcome text not null,
  detail text,
  received_at timestamptz not null default now(),
  unique (provider, event_id)
);

create table refunds (
  id bigint generated always as identity primary key,
  refund_no text not null unique,              -- our out_refund_no
  payment_id bigint not null references payments (id),
  amount_fen bigint not null check (amount_fen > 0),
  reason text not null,
  idempotency_key text not null unique,
  status text not null default 'pending' check (status in ('pending', 'succeeded', 'failed')),
  provider_refund_id text,
  last_error text,
  created_at timestamptz not null default now(),
  succeeded_at timestamptz
);
create index refunds_payment_idx on refunds (payment_id);
