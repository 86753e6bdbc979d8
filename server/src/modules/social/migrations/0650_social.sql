-- Favourites (收藏: products a shopper saves) and follows (关注: shops a shopper follows).
create table favourites (
  user_id bigint not null references users (id),
  product_id bigint not null,
  created_at timestamptz not null default now(),
  primary key (user_id, product_id)
);
create table follows (
  user_id bigint not null references users (id),
  merchant_id bigint not null references merchants (id),
  created_at timestamptz not null default now(),
  primary key (user_id, merchant_id)
);
create index follows_merchant_idx on follows (merchant_id, created_at desc);
