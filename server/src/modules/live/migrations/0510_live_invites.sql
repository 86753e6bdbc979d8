-- Private-room invitations: one row per invite link, so a link can be listed and revoked; the link
-- itself is a signed token naming this row (room-invite audience).
create table live_room_invites (
  id bigint generated always as identity primary key,
  room_id bigint not null references live_rooms (id) on delete cascade,
  merchant_id bigint not null references merchants (id),
  note text not null default '',
  expires_at timestamptz not null,
  revoked_at timestamptz,
  created_by bigint not null references users (id),
  created_at timestamptz not null default now()
);
create index live_room_invites_room_idx on live_room_invites (room_id, id desc);
