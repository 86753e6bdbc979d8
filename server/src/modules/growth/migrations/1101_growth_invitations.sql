-- Invitations (邀请有礼): the shop's reward for the inviter and the invited new shopper, granted once
-- on the invitee's first paid order in the shop and taken back if that order is fully refunded
-- before it completes. growth_invite_rewards is the ledger of what was given and taken back.
create table growth_invite_settings (
  merchant_id bigint primary key references merchants (id),
  enabled boolean not null default true,
  inviter_coupon_template_ids jsonb not null default '[]',
  inviter_points int not null default 0,
  invitee_coupon_template_ids jsonb not null default '[]',
  invitee_points int not null default 0,
  updated_at timestamptz not null default now()
);

create table growth_invitations (
  id bigint generated always as identity primary key,
  merchant_id bigint not null references merchants (id),
  inviter_user_id bigint not null references users (id),
  invitee_user_id bigint not null references users (id),
  share_id bigint not null references growth_shares (id),
  -- pending → rewarded → settled (order completed) | reversed (order fully refunded first)
  status text not null default 'pending' check (status in ('pending', 'rewarded', 'settled', 'reversed')),
  order_id bigint,
  created_at timestamptz not null default now(),
  rewarded_at timestamptz,
  settled_at timestamptz,
  reversed_at timestamptz,
  unique (merchant_id, invitee_user_id)
);
create index growth_invitations_inviter_idx on growth_invitations (inviter_user_id, created_at desc);
create index growth_invitations_order_idx on growth_invitations (order_id) where order_id is not null;

create table growth_invite_rewards (
  id bigint generated always as identity primary key,
  invitation_id bigint not null references growth_invitations (id),
  user_id bigint not null references users (id),
  role text not null check (role in ('inviter', 'invitee')),
  kind text not null check (kind in ('coupon', 'points')),
  coupon_template_id bigint,
  coupon_id bigint,
  points int not null default 0,
  -- granted; skipped (the coupon could not be given: sold out, ended); revoked (taken back);
  -- kept (could not be taken back: the coupon was used, or the points were spent)
  status text not null check (status in ('granted', 'skipped', 'revoked', 'kept', 'partly_revoked')),
  points_revoked int not null default 0,
  note text,
  created_at timestamptz not null default now(),
  revoked_at timestamptz
);
create index growth_invite_rewards_invitation_idx on growth_invite_rewards (invitation_id);
create index growth_invite_rewards_user_idx on growth_invite_rewards (user_id, created_at desc);
