-- Inventory: stock per SKU per warehouse, reservations per order, and a ledger of every change.

create table warehouses (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  region text not null default '',
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  unique (merchant_id, name)
);
create unique index warehouses_one_default_uq on warehouses (merchant_id) where is_default;

-- available = on_hand - reserved; the checks make "below zero" impossible whatever the code does.
create table stock_levels (
  sku_id bigint not null references skus (id),
  warehouse_id bigint not null references warehouses (id),
  merchant_id bigint not null references merchants (id),
  on_hand integer not null default 0 check (on_hand >= 0),
  reserved integer not null default 0 check (reserved >= 0),
  low_stock_threshold integer not null default 0 check (low_stock_threshold >= 0),
  low_stock_alerted boolean not null default false,
  updated_at timestamptz not null default now(),
  primary key (sku_id, warehouse_id),
  check (reserved <= on_hand)
);
create index stock_levels_merchant_idx on stock_levels (merchant_id);

create table stock_reservations (
  order_id bigint not null,
  sku_id bigint not null references skus (id),
  warehouse_id bigint not null references warehouses (id),
  merchant_id bigint not null references merchants (id),
  quantity integer not null check (quantity > 0),
  returned_quantity integer not null default 0,
  status text not null check (status in ('reserved', 'committed', 'released')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (order_id, sku_id, warehouse_id)
);
create index stock_reservations_status_idx on stock_reservations (status, created_at);

create table stock_ledger (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  sku_id bigint not null references skus (id),
  warehouse_id bigint not null references warehouses (id),
  delta_on_hand integer not null,
  delta_reserved integer not null,
  on_hand_after integer not null,
  reserved_after integer not null,
  reason text not null check (reason in ('initial', 'adjust', 'import', 'reserve', 'commit', 'release', 'return')),
  order_id bigint,
  refund_id bigint,
  note text,
  actor_user_id bigint,
  created_at timestamptz not null default now()
);
create index stock_ledger_sku_idx on stock_ledger (sku_id, id);
create index stock_ledger_order_idx on stock_ledger (order_id) where order_id is not null;
create index stock_ledger_merchant_idx on stock_ledger (merchant_id, id desc);
