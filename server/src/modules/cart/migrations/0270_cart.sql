-- Shopping cart: one line per user and SKU; the price at add time lets us flag repricing.
create table cart_items (
  user_id bigint not null references users (id) on delete cascade,
  sku_id bigint not null references skus (id),
  quantity integer not null check (quantity > 0 and quantity <= 999),
  price_fen_at_add bigint not null,
  selected boolean not null default true,
  added_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (user_id, sku_id)
);
