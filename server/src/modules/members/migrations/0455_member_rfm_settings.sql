-- RFM thresholds a shop can read and change (absolute, not ranks among a handful of customers):
-- bought within active_days = recent; no purchase for lapsed_days = lapsed; loyal_orders paid
-- orders = frequent; big_spend_fen paid in all = a big spender. No row: the defaults in rfm.ts.
create table member_rfm_settings (
  merchant_id bigint primary key references merchants (id),
  active_days integer not null check (active_days between 1 and 3650),
  lapsed_days integer not null check (lapsed_days between 2 and 3650),
  loyal_orders integer not null check (loyal_orders between 2 and 1000),
  big_spend_fen bigint not null check (big_spend_fen >= 1),
  updated_at timestamptz not null default now(),
  check (lapsed_days > active_days)
);
