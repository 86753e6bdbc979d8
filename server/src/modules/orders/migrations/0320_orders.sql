-- Orders: one checkout (one payment) makes one order per shop.

create table checkouts (
  id bigint generated always as identity primary key,
  checkout_no text not null unique,
  user_id bigint not null references users (id),
  idempotency_key text not null,
  request_hash text not null,
  payment_id bigint,
  created_at timestamptz not null default now(),
  unique (user_id, idempotency_key)
);

create table orders (
  id bigint generated always as identity primary key,
  order_no text not null unique,
  checkout_id bigint not null references checkouts (id),
  user_id bigint not null references users (id),
  merchant_id bigint not null references merchants (id),
  room_id bigint,
  status text not null check (status in ('pending_payment', 'paid', 'shipped', 'delivered', 'completed', 'cancelled', 'refunded')),
  goods_fen bigint not null check (goods_fen >= 0),
  discount_fen bigint not null check (discount_fen >= 0),
  shipping_fen bigint not null check (shipping_fen >= 0),
  total_fen bigint not null check (total_fen >= 0),
  refunded_fen bigint not null default 0 check (refunded_fen >= 0),
  points_used integer not null default 0,
  -- [{ "step", "reason", "amountFen" }] order-level charges (shipping)
  charges jsonb not null default '[]'::jsonb,
  address jsonb,
  buyer_note text not null default '',
  payment_id bigint,
  pay_deadline timestamptz not null,
  cancel_reason text,
  created_at timestamptz not null default now(),
  paid_at timestamptz,
  shipped_at timestamptz,
  delivered_at timestamptz,
  completed_at timestamptz,
  cancelled_at timestamptz,
  updated_at timestamptz not null default now(),
  check (refunded_fen <= total_fen),
  check (total_fen = goods_fen - discount_fen + shipping_fen)
);
create index orders_user_idx on orders (user_id, id desc);
create index orders_merchant_idx on orders (merchant_id, id desc);
create index orders_merchant_status_idx on orders (merchant_id, status, created_at desc);
create index orders_checkout_idx on orders (checkout_id);
create index orders_room_idx on orders (room_id) where room_id is not null;

create table order_lines (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders (id),
  sku_id bigint not null,
  product_id bigint not null,
  product_title text not null,
  sku_name text not null,
  image_url text,
  quantity integer not null check (quantity > 0),
  list_unit_price_fen bigint not null,
  unit_price_fen bigint not null,
  goods_fen bigint not null,
  discount_fen bigint not null check (discount_fen >= 0),
  payable_fen bigint not null check (payable_fen >= 0),
  refunded_fen bigint not null default 0,
  refunded_quantity integer not null default 0,
  shipped_quantity integer not null default 0,
  -- every pricing step's effect on this line: [{ "step", "stage", "reason", "amountFen", "ref" }]
  adjustments jsonb not null,
  check (refunded_fen <= payable_fen),
  check (refunded_quantity <= quantity),
  check (shipped_quantity <= quantity)
);
create index order_lines_order_idx on order_lines (order_id);

create table order_status_history (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders (id),
  from_status text,
  to_status text not null,
  actor_user_id bigint,
  note text,
  created_at timestamptz not null default now()
);
create index order_status_history_order_idx on order_status_history (order_id, id);
