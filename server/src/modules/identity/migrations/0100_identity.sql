-- Identity & access: users, merchants (tenants), staff membership, sessions and refresh tokens.

create table users (
  id bigint generated always as identity primary key,
  phone text unique,
  password_hash text,
  nickname text not null,
  avatar_url text,
  wechat_openid text unique,
  wechat_unionid text,
  is_platform_admin boolean not null default false,
  status text not null default 'active' check (status in ('active', 'disabled')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (phone is not null or wechat_openid is not null)
);

create table merchants (
  id bigint generated always as identity primary key,
  name text not null,
  description text not null default '',
  logo_url text,
  status text not null default 'pending' check (status in ('pending', 'active', 'suspended', 'rejected')),
  -- platform commission in basis points (1/100 of a percent): 500 = 5 %
  commission_rate_bp integer not null default 500 check (commission_rate_bp between 0 and 10000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index merchants_name_uq on merchants (lower(name));

create table merchant_members (
  merchant_id bigint not null references merchants (id) on delete cascade,
  user_id bigint not null references users (id) on delete cascade,
  role text not null check (role in ('merchant_owner', 'merchant_staff', 'anchor')),
  created_at timestamptz not null default now(),
  primary key (merchant_id, user_id)
);
create index merchant_members_user_idx on merchant_members (user_id);

-- A session is one sign-in on one device; its refresh tokens rotate, and reuse of an old one
-- (a stolen token) revokes the whole session.
create table auth_sessions (
  id uuid primary key,
  user_id bigint not null references users (id) on delete cascade,
  created_at timestamptz not null default now(),
  last_used_at timestamptz not null default now(),
  expires_at timestamptz not null,
  revoked_at timestamptz,
  revoke_reason text,
  user_agent text,
  ip text
);
create index auth_sessions_user_idx on auth_sessions (user_id);

create table refresh_tokens (
  token_hash text primary key,
  session_id uuid not null references auth_sessions (id) on delete cascade,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null,
  used_at timestamptz
);
create index refresh_tokens_session_idx on refresh_tokens (session_id);
