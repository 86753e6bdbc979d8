-- Customer-service conversations (客服会话) between a shopper and a shop, their messages (each with
-- the conversation's monotonic seq, stored once per client id), internal notes, staff availability
-- and capacity, and canned replies.
create table support_conversations (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  user_id bigint not null references users (id),
  status text not null check (status in ('bot', 'queued', 'assigned', 'left_message', 'closed')),
  priority text not null default 'normal' check (priority in ('normal', 'high')),
  source text not null default 'shop' check (source in ('shop', 'product', 'order', 'aftersale', 'room')),
  source_id bigint,
  room_id bigint,
  agent_user_id bigint references users (id),
  last_seq integer not null default 0,
  shopper_read_seq integer not null default 0,
  agent_read_seq integer not null default 0,
  shopper_unread integer not null default 0 check (shopper_unread >= 0),
  agent_unread integer not null default 0 check (agent_unread >= 0),
  last_message_at timestamptz,
  last_preview text not null default '',
  queue_reason text,
  queued_at timestamptz,
  assigned_at timestamptz,
  first_shopper_at timestamptz,
  first_response_at timestamptz,
  human_joined boolean not null default false,
  closed_at timestamptz,
  closed_by text,
  rating smallint check (rating between 1 and 5),
  rating_comment text not null default '',
  rated_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
-- One open conversation per shopper and shop: opening again reuses it.
create unique index support_conversations_open_idx on support_conversations (merchant_id, user_id)
  where status <> 'closed';
create index support_conversations_user_idx on support_conversations (user_id, id desc);
create index support_conversations_queue_idx on support_conversations (merchant_id, status, queued_at);
create index support_conversations_agent_idx on support_conversations (merchant_id, agent_user_id)
  where status = 'assigned';

create table support_messages (
  id bigserial primary key,
  conversation_id bigint not null references support_conversations (id),
  merchant_id bigint not null,
  seq integer not null,
  sender text not null check (sender in ('shopper', 'agent', 'bot', 'system')),
  sender_user_id bigint,
  client_id text,
  kind text not null check (kind in ('text', 'image', 'product', 'order', 'system')),
  text text not null default '',
  payload jsonb not null default '{}',
  moderation jsonb,
  created_at timestamptz not null default now(),
  unique (conversation_id, seq)
);
-- A retried send (same client id from the same sender) is stored once.
create unique index support_messages_client_idx
  on support_messages (conversation_id, coalesce(sender_user_id, 0), client_id) where client_id is not null;

create table support_notes (
  id bigserial primary key,
  conversation_id bigint not null references support_conversations (id),
  merchant_id bigint not null,
  author_user_id bigint not null references users (id),
  text text not null,
  created_at timestamptz not null default now()
);
create index support_notes_conversation_idx on support_notes (conversation_id, id);

create table support_agents (
  merchant_id bigint not null references merchants (id),
  user_id bigint not null references users (id),
  status text not null default 'offline' check (status in ('online', 'busy', 'away', 'offline')),
  capacity integer not null default 5 check (capacity between 1 and 50),
  active integer not null default 0 check (active >= 0),
  last_assigned_at timestamptz,
  updated_at timestamptz not null default now(),
  primary key (merchant_id, user_id)
);

create table support_canned_replies (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  title text not null,
  text text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index support_canned_replies_merchant_idx on support_canned_replies (merchant_id, id);
