-- Reconciliation (对账): every run of the registered checks and what it found.

create table reconciliation_runs (
  id bigint generated always as identity primary key,
  -- null: the whole platform (every shop); otherwise one shop's books
  merchant_id bigint references merchants (id),
  range_from timestamptz not null,
  range_to timestamptz not null,
  trigger text not null check (trigger in ('schedule', 'manual', 'cli')),
  requested_by bigint references users (id),
  status text not null default 'queued' check (status in ('queued', 'running', 'clean', 'discrepancies', 'failed')),
  -- [{ name, description, status: clean|discrepancies|error, count, error?, ms }]
  checks jsonb not null default '[]'::jsonb,
  discrepancy_count integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  check (range_from < range_to)
);
create index reconciliation_runs_scope_idx on reconciliation_runs (merchant_id, id desc);
-- One active run per scope and range: pressing "run now" twice returns the run already under way.
create unique index reconciliation_runs_active_uq on reconciliation_runs (coalesce(merchant_id, 0), range_from, range_to)
  where status in ('queued', 'running');

create table reconciliation_discrepancies (
  id bigint generated always as identity primary key,
  run_id bigint not null references reconciliation_runs (id) on delete cascade,
  check_name text not null,
  merchant_id bigint,
  subject text not null,
  message text not null,
  expected text not null,
  actual text not null,
  -- the rows involved: ids and amounts, never personal data
  rows jsonb not null default '[]'::jsonb
);
create index reconciliation_discrepancies_run_idx on reconciliation_discrepancies (run_id, id);
create index reconciliation_discrepancies_merchant_idx on reconciliation_discrepancies (run_id, merchant_id);
