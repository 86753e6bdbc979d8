-- Shipping: shoppers' address book, merchants' shipping-fee templates, and parcels shipped.

create table addresses (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id) on delete cascade,
  name text not null,
  phone text not null,
  province text not null,
  city text not null,
  district text not null default '',
  detail text not null,
  postal_code text,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  deleted_at timestamptz
);
create index addresses_user_idx on addresses (user_id) where deleted_at is null;

-- Fee = first unit fee + each further unit fee, by province; free when the shop subtotal reaches free_over_fen.
create table shipping_templates (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  charge_by text not null check (charge_by in ('weight', 'pieces')),
  -- [{ "regions": ["广东省"] | ["*"], "firstUnits": 1000, "firstFeeFen": 800, "extraUnits": 1000, "extraFeeFen": 500 }]
  rules jsonb not null,
  free_over_fen bigint,
  excluded_regions jsonb not null default '[]'::jsonb,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index shipping_templates_default_uq on shipping_templates (merchant_id) where is_default;

create table shipments (
  id bigint generated always as identity primary key,
  order_id bigint not null,
  merchant_id bigint not null references merchants (id),
  carrier text not null,
  tracking_no text not null,
  -- [{ "lineId": 1, "quantity": 2 }]
  items jsonb not null,
  shipped_at timestamptz not null default now(),
  unique (carrier, tracking_no)
);
create index shipments_order_idx on shipments (order_id);
