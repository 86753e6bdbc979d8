-- WeChat platform: subscribe-message grants (订阅消息, one-time: each accept allows one message) and
-- every message the server queued, sent or dropped (one per event and user: redeliveries send nothing twice).
create table wechat_subscriptions (
  user_id bigint not null references users (id),
  template_id text not null,
  remaining integer not null default 0 check (remaining >= 0),
  last_result text not null,
  updated_at timestamptz not null default now(),
  primary key (user_id, template_id)
);

create table wechat_messages (
  id bigint generated always as identity primary key,
  user_id bigint not null references users (id),
  kind text not null check (kind in ('liveStart', 'orderShipped')),
  template_id text not null,
  ref text not null,
  params jsonb not null default '{}',
  status text not null default 'queued' check (status in ('queued', 'sent', 'dropped', 'failed')),
  errcode integer,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (kind, ref, user_id)
);
create index wechat_messages_user_idx on wechat_messages (user_id, created_at desc);
