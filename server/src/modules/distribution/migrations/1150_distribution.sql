-- Distribution (分销): a shop's settings, promoter levels and per-product rates, promoters (at most
-- two levels: a promoter and the one who recruited them), customer bindings, commissions per order
-- and tier, each promoter's balance with its ledger (balance = Σ entries), and withdrawals.
create table distribution_settings (
  merchant_id bigint primary key references merchants (id),
  enabled boolean not null default true,
  levels smallint not null default 2 check (levels between 1 and 2),
  level1_bp integer not null default 1000 check (level1_bp between 0 and 10000),
  level2_bp integer not null default 300 check (level2_bp between 0 and 10000),
  binding_days integer not null default 30 check (binding_days between 1 and 3650),
  binding_mode text not null default 'first' check (binding_mode in ('first', 'last')),
  self_purchase boolean not null default false,
  auto_approve boolean not null default false,
  min_withdraw_fen bigint not null default 100 check (min_withdraw_fen >= 1),
  updated_at timestamptz not null default now()
);

create table distribution_levels (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  level1_bp integer not null check (level1_bp between 0 and 10000),
  level2_bp integer not null check (level2_bp between 0 and 10000),
  position integer not null default 0,
  created_at timestamptz not null default now(),
  unique (merchant_id, name)
);

create table distribution_product_rules (
  merchant_id bigint not null references merchants (id),
  product_id bigint not null,
  level1_bp integer not null check (level1_bp between 0 and 10000),
  level2_bp integer not null check (level2_bp between 0 and 10000),
  updated_at timestamptz not null default now(),
  primary key (merchant_id, product_id)
);

create table distribution_promoters (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  user_id bigint not null references users (id),
  status text not null check (status in ('invited', 'pending', 'approved', 'rejected', 'suspended')),
  source text not null check (source in ('applied', 'invited')),
  level_id bigint references distribution_levels (id),
  parent_id bigint references distribution_promoters (id),
  note text not null default '',
  created_at timestamptz not null default now(),
  decided_at timestamptz,
  unique (merchant_id, user_id)
);
create index distribution_promoters_parent_idx on distribution_promoters (parent_id);
create index distribution_promoters_shop_idx on distribution_promoters (merchant_id, status, id desc);

-- One binding per customer and shop: who earns on the customer's orders until expires_at.
create table distribution_bindings (
  merchant_id bigint not null references merchants (id),
  customer_user_id bigint not null references users (id),
  promoter_id bigint not null references distribution_promoters (id),
  share_id bigint,
  bound_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (merchant_id, customer_user_id)
);
create index distribution_bindings_promoter_idx on distribution_bindings (promoter_id, bound_at desc);

-- A commission of one order for one tier (1: the direct promoter, 2: their parent).
-- amount_fen is what the kept goods earn now; original_fen what the order earned when paid.
create table distribution_commissions (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  order_id bigint not null,
  order_no text not null,
  buyer_user_id bigint not null,
  promoter_id bigint not null references distribution_promoters (id),
  tier smallint not null check (tier in (1, 2)),
  lines jsonb not null,
  paid_fen bigint not null,
  original_fen bigint not null check (original_fen >= 0),
  amount_fen bigint not null check (amount_fen >= 0 and amount_fen <= original_fen),
  credited_fen bigint not null default 0,
  status text not null check (status in ('pending', 'settled', 'reversed')),
  created_at timestamptz not null default now(),
  settled_at timestamptz,
  unique (order_id, tier)
);
create index distribution_commissions_promoter_idx on distribution_commissions (promoter_id, id desc);
create index distribution_commissions_shop_idx on distribution_commissions (merchant_id, id desc);

-- Each refund of an order applied once (redelivered or replayed refunds change nothing).
create table distribution_refunds_applied (
  order_id bigint not null,
  refund_id bigint not null,
  items jsonb not null,
  created_at timestamptz not null default now(),
  primary key (order_id, refund_id)
);

create table distribution_accounts (
  promoter_id bigint primary key references distribution_promoters (id),
  merchant_id bigint not null references merchants (id),
  balance_fen bigint not null default 0,
  updated_at timestamptz not null default now()
);

create table distribution_ledger (
  id bigserial primary key,
  promoter_id bigint not null references distribution_promoters (id),
  merchant_id bigint not null references merchants (id),
  delta_fen bigint not null,
  balance_after bigint not null,
  reason text not null check (reason in ('commission_settled', 'commission_reversed', 'withdrawal',
    'withdrawal_returned')),
  ref text not null,
  created_at timestamptz not null default now(),
  unique (reason, ref)
);
create index distribution_ledger_promoter_idx on distribution_ledger (promoter_id, id desc);

create table distribution_withdrawals (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  promoter_id bigint not null references distribution_promoters (id),
  amount_fen bigint not null check (amount_fen > 0),
  status text not null check (status in ('requested', 'paying', 'paid', 'rejected', 'failed')),
  out_batch_no text not null unique,
  idempotency_key text not null,
  provider text,
  provider_batch_id text,
  last_error text,
  note text not null default '',
  requested_at timestamptz not null default now(),
  decided_at timestamptz,
  finished_at timestamptz,
  unique (promoter_id, idempotency_key)
);
create index distribution_withdrawals_shop_idx on distribution_withdrawals (merchant_id, status, id desc);
