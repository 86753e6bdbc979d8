-- Tickets (工单) for what chat cannot settle, with SLA timers (first response, resolution) whose
-- deadlines are durable jobs; compensation records (先行赔付); the per-shop SLA settings; and the
-- service-metrics facts kept from the conversation events (one row per conversation).
create table support_ticket_settings (
  merchant_id bigint primary key references merchants (id),
  -- Seconds (the console speaks minutes): 2 h first response, 24 h resolution by default.
  first_response_seconds integer not null default 7200 check (first_response_seconds between 1 and 604800),
  resolution_seconds integer not null default 86400 check (resolution_seconds between 1 and 2592000),
  -- Complaints escalated as urgent are answered sooner (the source documents: within 15 minutes).
  urgent_first_response_seconds integer not null default 900 check (urgent_first_response_seconds between 1 and 604800),
  updated_at timestamptz not null default now()
);

create table support_tickets (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  user_id bigint not null references users (id),
  conversation_id bigint,
  source text not null check (source in ('conversation', 'shop', 'bot')),
  category text not null check (category in ('dispute', 'complaint', 'aftersale', 'other')),
  reason text not null,
  priority text not null check (priority in ('low', 'normal', 'high', 'urgent')),
  status text not null default 'open' check (status in ('open', 'responded', 'resolved', 'closed')),
  assignee_id bigint references users (id),
  created_by bigint references users (id),
  first_response_due_at timestamptz not null,
  resolution_due_at timestamptz not null,
  first_responded_at timestamptz,
  resolved_at timestamptz,
  first_response_breached boolean not null default false,
  resolution_breached boolean not null default false,
  escalations integer not null default 0,
  resolution_note text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index support_tickets_merchant_idx on support_tickets (merchant_id, status, id desc);
-- One live ticket per conversation: opening again raises that one's priority instead.
create unique index support_tickets_open_conversation on support_tickets (merchant_id, conversation_id)
  where conversation_id is not null and status in ('open', 'responded');

create table support_ticket_log (
  id bigserial primary key,
  ticket_id bigint not null references support_tickets (id),
  kind text not null,
  actor_id bigint,
  note text not null default '',
  created_at timestamptz not null default now()
);
create index support_ticket_log_ticket_idx on support_ticket_log (ticket_id, id);

create table support_compensations (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  ticket_id bigint not null references support_tickets (id),
  user_id bigint not null references users (id),
  amount_fen bigint not null check (amount_fen > 0),
  reason text not null,
  method text not null check (method in ('coupon')),
  status text not null default 'proposed' check (status in ('proposed', 'approved', 'paid', 'rejected')),
  proposed_by bigint not null references users (id),
  approved_by bigint references users (id),
  approved_at timestamptz,
  coupon_template_id bigint,
  coupon_id bigint,
  paid_at timestamptz,
  created_at timestamptz not null default now()
);
create index support_compensations_ticket_idx on support_compensations (ticket_id, id);

create table support_conversation_facts (
  conversation_id bigint primary key,
  merchant_id bigint not null,
  user_id bigint not null,
  opened_at timestamptz not null,
  queued_at timestamptz,
  assigned_at timestamptz,
  agent_id bigint,
  first_shopper_at timestamptz,
  first_agent_reply_at timestamptz,
  bot_answers integer not null default 0,
  handed_over boolean not null default false,
  -- The angriest message the bot saw (emotion.ts score): a ticket opened from it starts urgent.
  max_emotion integer not null default 0,
  closed_at timestamptz,
  resolved_by text,
  stars integer
);
create index support_conversation_facts_merchant_idx on support_conversation_facts (merchant_id, opened_at);
