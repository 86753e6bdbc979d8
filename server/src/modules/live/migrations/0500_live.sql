-- Live rooms: schedule, stream key, product bag, sessions (each with its recording), reminders.
create table live_rooms (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  title text not null,
  cover_url text,
  anchor_user_id bigint references users (id),
  scheduled_at timestamptz,
  status text not null default 'scheduled' check (status in ('scheduled', 'live', 'ended')),
  visibility text not null default 'public' check (visibility in ('public', 'private')),
  stream_key text not null unique,
  pinned_product_id bigint,
  viewer_peak integer not null default 0,
  started_at timestamptz,
  ended_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index live_rooms_status_idx on live_rooms (status, scheduled_at);
create index live_rooms_merchant_idx on live_rooms (merchant_id, id desc);

create table live_room_products (
  room_id bigint not null references live_rooms (id) on delete cascade,
  product_id bigint not null,
  position integer not null,
  primary key (room_id, product_id)
);

create table live_sessions (
  id bigint generated always as identity primary key,
  room_id bigint not null references live_rooms (id),
  started_at timestamptz not null default now(),
  ended_at timestamptz,
  replay_ready boolean not null default false,
  replay_duration_sec integer,
  replay_deleted_at timestamptz
);
create index live_sessions_room_idx on live_sessions (room_id, id desc);

create table live_reminders (
  room_id bigint not null references live_rooms (id) on delete cascade,
  user_id bigint not null references users (id),
  created_at timestamptz not null default now(),
  notified_at timestamptz,
  primary key (room_id, user_id)
);
