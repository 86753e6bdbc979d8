-- Marketing: coupon templates and the coupons shoppers hold, order promotions (full-reduction,
-- limited-time discounts, new-user prices), and the points ledger.
create table coupon_templates (
  id bigint generated always as identity primary key,
  merchant_id bigint references merchants (id),       -- null: platform coupon
  title text not null,
  kind text not null check (kind in ('fixed', 'percent', 'threshold', 'free_shipping')),
  amount_fen bigint,
  percent_off_bp integer check (percent_off_bp between 1 and 9999),
  cap_fen bigint,
  threshold_fen bigint not null default 0,
  scope jsonb not null default '{"type":"all"}',
  funding text not null check (funding in ('platform', 'merchant')),
  valid_from timestamptz,
  valid_until timestamptz,
  valid_days integer check (valid_days > 0),          -- N days after claim (instead of a window)
  claim_starts_at timestamptz not null default now(),
  claim_ends_at timestamptz,
  total_quantity integer not null check (total_quantity > 0),
  claimed integer not null default 0 check (claimed >= 0),
  per_user_limit integer not null default 1 check (per_user_limit > 0),
  channels jsonb not null default '["claim_centre"]',
  status text not null default 'active' check (status in ('active', 'paused', 'ended')),
  created_at timestamptz not null default now(),
  check (claimed <= total_quantity),
  check (valid_days is not null or valid_until is not null)
);
create index coupon_templates_merchant_idx on coupon_templates (merchant_id, id desc);

create table coupons (
  id bigint generated always as identity primary key,
  template_id bigint not null references coupon_templates (id),
  user_id bigint not null references users (id),
  merchant_id bigint,
  channel text not null,
  ref text,
  status text not null default 'unused' check (status in ('unused', 'used', 'expired', 'revoked')),
  valid_from timestamptz not null,
  valid_until timestamptz not null,
  order_id bigint,
  claimed_at timestamptz not null default now(),
  used_at timestamptz
);
create index coupons_user_idx on coupons (user_id, status, valid_until);
create index coupons_template_user_idx on coupons (template_id, user_id);
create unique index coupons_claim_ref_idx on coupons (template_id, user_id, channel, ref) where ref is not null;
create index coupons_order_idx on coupons (order_id) where order_id is not null;

create table promotions (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  kind text not null check (kind in ('full_reduction', 'limited_discount', 'new_user_price')),
  title text not null,
  terms jsonb not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  status text not null default 'active' check (status in ('active', 'paused', 'ended')),
  created_at timestamptz not null default now(),
  check (ends_at > starts_at)
);
create index promotions_merchant_idx on promotions (merchant_id, kind, status, starts_at, ends_at);

create table points_accounts (
  user_id bigint primary key references users (id),
  balance bigint not null default 0 check (balance >= 0),
  updated_at timestamptz not null default now()
);
create table points_ledger (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id),
  delta bigint not null,
  balance_after bigint not null,
  reason text not null,                               -- earned | spent | reversed | returned | adjusted
  ref text not null,                                  -- e.g. order:123
  created_at timestamptz not null default now(),
  unique (reason, ref)
);
create index points_ledger_user_idx on points_ledger (user_id, id desc);
