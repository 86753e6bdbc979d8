-- Catalog: platform categories (three levels), merchant products (SPU) with a spec matrix and

create extension if not exists pg_trgm;
-- their SKUs, merchant tags, and CSV imports.

create table categories (
  id bigint generated always as identity primary key,
  parent_id bigint references categories (id),
  name text not null,
  level smallint not null check (level between 1 and 3),
  position integer not null default 0,
  icon_url text,
  created_at timestamptz not null default now(),
  unique (parent_id, name)
);
create unique index categories_root_name_uq on categories (name) where parent_id is null;

create table products (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  category_id bigint references categories (id),
  title text not null,
  subtitle text not null default '',
  description text not null default '',
  cover_url text,
  -- [{ "type": "image" | "video", "url": "..." }]
  media jsonb not null default '[]'::jsonb,
  -- [{ "name": "颜色", "values": ["红", "蓝"] }, ...]; SKUs are the cartesian product
  specs jsonb not null default '[]'::jsonb,
  status text not null default 'draft' check (status in ('draft', 'on_shelf', 'off_shelf')),
  spu_code text,
  sales integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index products_merchant_idx on products (merchant_id, status);
create index products_category_idx on products (category_id) where deleted_at is null;
create unique index products_spu_code_uq on products (merchant_id, spu_code) where spu_code is not null and deleted_at is null;
-- Keyword search: trigram index serves ILIKE '%词%' for Chinese substrings and similarity ranking.
create index products_title_trgm_idx on products using gin (title gin_trgm_ops);

create table skus (
  id bigint generated always as identity primary key,
  product_id bigint not null references products (id),
  merchant_id bigint not null references merchants (id),
  spec_values jsonb not null default '[]'::jsonb,
  name text not null default '',
  code text,
  price_fen bigint not null check (price_fen >= 0),
  original_price_fen bigint not null check (original_price_fen >= 0),
  weight_grams integer not null default 0 check (weight_grams >= 0),
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index skus_product_idx on skus (product_id);
create unique index skus_code_uq on skus (merchant_id, code) where code is not null;

create table tags (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  unique (merchant_id, name)
);

create table product_tags (
  product_id bigint not null references products (id) on delete cascade,
  tag_id bigint not null references tags (id) on delete cascade,
  primary key (product_id, tag_id)
);
create index product_tags_tag_idx on product_tags (tag_id);

create table product_imports (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  created_by bigint not null references users (id),
  file_key text not null,
  filename text not null,
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'failed')),
  total_rows integer not null default 0,
  processed_rows integer not null default 0,
  ok_rows integer not null default 0,
  error_rows integer not null default 0,
  products_created integer not null default 0,
  products_updated integer not null default 0,
  -- [{ "row": 7, "column": "price", "message": "..." }]
  errors jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index product_imports_merchant_idx on product_imports (merchant_id, id desc);
