-- A provider redelivers a notification until it is acknowledged. Count the deliveries: a refused
-- notice (amount or merchant mismatch) is refused again on each one, an accepted one is acknowledged
-- again without being applied twice.
alter table payment_notifications add column deliveries integer not null default 1;
alter table payment_notifications add column last_received_at timestamptz not null default now();
