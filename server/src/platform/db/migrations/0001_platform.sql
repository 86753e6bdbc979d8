-- Platform tables: settings, transactional outbox, per-handler processing record, delayed jobs.

create table platform_settings (
  key text primary key,
  value jsonb not null,
  updated_at timestamptz not null default now()
);

-- Every domain event is written here in the same transaction as the change that caused it.
create table outbox_events (
  id bigint generated always as identity primary key,
  type text not null,
  aggregate_type text not null,
  aggregate_id text not null,
  payload jsonb not null,
  created_at timestamptz not null default now(),
  available_at timestamptz not null default now(),
  attempts integer not null default 0,
  last_error text,
  locked_by text,
  locked_until timestamptz,
  dispatched_at timestamptz,
  dead_at timestamptz
);
create index outbox_events_pending_idx on outbox_events (available_at, id) where dispatched_at is null and dead_at is null;
create index outbox_events_aggregate_idx on outbox_events (aggregate_type, aggregate_id);

-- A handler's effects and this row commit together: a redelivered event finds the row and does nothing.
create table processed_events (
  handler text not null,
  event_id bigint not null,
  processed_at timestamptz not null default now(),
  primary key (handler, event_id)
);

-- Durable delayed jobs: unpaid-order auto-cancel, group-buy expiry, auto-confirm receipt...
create table jobs (
  id bigint generated always as identity primary key,
  type text not null,
  payload jsonb not null default '{}'::jsonb,
  unique_key text unique,
  run_at timestamptz not null,
  status text not null default 'pending' check (status in ('pending', 'done', 'failed', 'cancelled')),
  attempts integer not null default 0,
  max_attempts integer not null default 10,
  last_error text,
  locked_by text,
  locked_until timestamptz,
  created_at timestamptz not null default now(),
  finished_at timestamptz
);
create index jobs_due_idx on jobs (run_at, id) where status = 'pending';
