-- Search: each product's words (jieba, written with the product; null = not indexed yet, filled in
-- by the next search), synonym groups a shop adds (芒果 ↔ 芒 ↔ 贵妃芒), what shoppers searched (hot
-- words, per shop and platform) and each shopper's own recent searches (history they can clear).
alter table products add column search_terms text;
create index products_unindexed_idx on products (id) where search_terms is null;

create table search_synonyms (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  -- ["芒果", "芒", "贵妃芒"]: any of them finds the others
  words jsonb not null,
  created_at timestamptz not null default now()
);
create index search_synonyms_merchant_idx on search_synonyms (merchant_id);

create table search_queries (
  id bigint generated always as identity primary key,
  merchant_id bigint references merchants (id),
  user_id bigint references users (id) on delete set null,
  query text not null,
  results integer not null,
  created_at timestamptz not null default now()
);
create index search_queries_recent_idx on search_queries (created_at);
create index search_queries_shop_idx on search_queries (merchant_id, created_at);

create table search_history (
  user_id bigint not null references users (id) on delete cascade,
  query text not null,
  searched_at timestamptz not null default now(),
  primary key (user_id, query)
);
