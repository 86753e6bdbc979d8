-- After-sales (售后): refund-only and return-and-refund requests, per order line and quantity.
create table aftersales (
  id bigint generated always as identity primary key,
  aftersale_no text not null unique,
  order_id bigint not null references orders (id),
  merchant_id bigint not null references merchants (id),
  user_id bigint not null references users (id),
  type text not null check (type in ('refund_only', 'return_refund')),
  status text not null check (status in ('requested', 'awaiting_return', 'returned', 'refunding', 'refunded', 'rejected', 'cancelled')),
  reason text not null,
  description text not null default '',
  reject_reason text,
  return_carrier text,
  return_tracking_no text,
  amount_fen bigint not null check (amount_fen >= 0),
  shipping_fen bigint not null default 0,
  refund_id bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index aftersales_order_idx on aftersales (order_id);
create index aftersales_merchant_idx on aftersales (merchant_id, status, id desc);
create index aftersales_user_idx on aftersales (user_id, id desc);
create unique index aftersales_refund_uq on aftersales (refund_id) where refund_id is not null;

create table aftersale_lines (
  aftersale_id bigint not null references aftersales (id),
  order_line_id bigint not null references order_lines (id),
  quantity integer not null check (quantity > 0),
  amount_fen bigint not null check (amount_fen >= 0),
  primary key (aftersale_id, order_line_id)
);
