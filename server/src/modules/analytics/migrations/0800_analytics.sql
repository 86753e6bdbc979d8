-- Analytics: raw events (client beacons and server facts), device→user stitching, rollups
-- (minute → hour → day), per-room visitor funnel state, online samples, alerts and A/B tests.

-- Raw events. Append-only; the rollup job reads them in id order behind a short lag.
create table analytics_events (
  id bigint generated always as identity primary key,
  type text not null,
  source text not null check (source in ('client', 'server')),
  -- '' for server facts without a device; dedupe_key makes beacon retries and redeliveries no-ops.
  device_id text not null default '',
  dedupe_key text,
  user_id bigint,
  merchant_id bigint,
  room_id bigint,
  product_id bigint,
  amount_fen bigint not null default 0,
  seconds integer not null default 0,
  props jsonb not null default '{}',
  occurred_at timestamptz not null,
  received_at timestamptz not null default now()
);
create unique index analytics_events_dedupe_idx on analytics_events (device_id, dedupe_key) where dedupe_key is not null;
create index analytics_events_room_idx on analytics_events (room_id, occurred_at) where room_id is not null;
create index analytics_events_received_idx on analytics_events (received_at);
-- Which room a follower was watching (follows carry no room).
create index analytics_events_user_idx on analytics_events (user_id, occurred_at) where user_id is not null;

-- An anonymous device seen signed in: its events count for the user (first user wins).
create table analytics_devices (
  device_id text primary key,
  user_id bigint not null,
  linked_at timestamptz not null default now()
);
create index analytics_devices_user_idx on analytics_devices (user_id);

-- Additive counters per grain and bucket. room_id 0 = not in a room; product_id 0 = all products
-- (every event counts in the product_id 0 row, product events also in their product's row).
create table analytics_rollups (
  grain text not null check (grain in ('minute', 'hour', 'day')),
  bucket timestamptz not null,
  merchant_id bigint not null,
  room_id bigint not null,
  product_id bigint not null,
  page_views integer not null default 0,
  exposures integer not null default 0,
  enters integer not null default 0,
  watch_seconds bigint not null default 0,
  clicks integer not null default 0,
  carts integer not null default 0,
  checkouts integer not null default 0,
  comments integer not null default 0,
  follows integer not null default 0,
  shares integer not null default 0,
  orders integer not null default 0,
  order_fen bigint not null default 0,
  paid_orders integer not null default 0,
  gmv_fen bigint not null default 0,
  refunds integer not null default 0,
  refund_fen bigint not null default 0,
  primary key (grain, merchant_id, room_id, product_id, bucket)
);
create index analytics_rollups_bucket_idx on analytics_rollups (grain, bucket);

-- Distinct visitors per local day, for exact UV per merchant (room_id 0) and per room.
create table analytics_daily_visitors (
  day date not null,
  merchant_id bigint not null,
  room_id bigint not null,
  visitor text not null,
  primary key (merchant_id, room_id, day, visitor)
);

-- Each visitor's progress through a room's funnel, kept current by the rollup.
create table analytics_room_visitors (
  room_id bigint not null,
  visitor text not null,
  merchant_id bigint not null,
  exposed boolean not null default false,
  entered boolean not null default false,
  watch_seconds integer not null default 0,
  clicked boolean not null default false,
  ordered boolean not null default false,
  paid boolean not null default false,
  interacted boolean not null default false,
  first_at timestamptz not null,
  last_at timestamptz not null,
  primary key (room_id, visitor)
);

-- Online viewers sampled while a room is live (peak online, "online dropped" alerts).
create table analytics_online_samples (
  room_id bigint not null,
  at timestamptz not null,
  merchant_id bigint not null,
  online integer not null,
  primary key (room_id, at)
);

-- Where each rollup source has got to.
create table analytics_rollup_state (
  source text primary key,
  last_id bigint not null default 0,
  updated_at timestamptz not null default now()
);

create table analytics_alert_rules (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  name text not null,
  metric text not null check (metric in ('online_drop_pct', 'online_below', 'conversion_below', 'gpm_below')),
  threshold numeric not null,
  room_id bigint,
  min_visitors integer not null default 20,
  cooldown_sec integer not null default 300,
  webhook_url text,
  -- Signs webhook bodies (X-LiveMall-Signature); shown once, when the rule is created.
  webhook_secret text,
  enabled boolean not null default true,
  created_at timestamptz not null default now()
);
create index analytics_alert_rules_merchant_idx on analytics_alert_rules (merchant_id);

create table analytics_alerts (
  id bigint generated always as identity primary key,
  rule_id bigint not null references analytics_alert_rules (id) on delete cascade,
  merchant_id bigint not null,
  room_id bigint not null,
  value numeric not null,
  message text not null,
  fired_at timestamptz not null,
  acknowledged_at timestamptz
);
create index analytics_alerts_rule_idx on analytics_alerts (rule_id, room_id, fired_at desc);
create index analytics_alerts_merchant_idx on analytics_alerts (merchant_id, fired_at desc);

create table analytics_experiments (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  key text not null,
  name text not null,
  variants jsonb not null,
  goal text not null,
  status text not null default 'running' check (status in ('running', 'stopped')),
  created_at timestamptz not null default now(),
  unique (merchant_id, key)
);

-- One row per unit (device, or user without a device) the experiment was shown to.
create table analytics_experiment_units (
  experiment_id bigint not null references analytics_experiments (id) on delete cascade,
  unit text not null,
  variant text not null,
  user_id bigint,
  exposed_at timestamptz not null,
  converted_at timestamptz,
  primary key (experiment_id, unit)
);
create index analytics_experiment_units_user_idx on analytics_experiment_units (user_id) where user_id is not null;
