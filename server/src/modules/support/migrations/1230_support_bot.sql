-- The customer-service bot (智能客服): each shop's FAQ (question, other ways shoppers ask it, answer)
-- and its settings. The platform's default FAQ lives in code (bot/default-faqs.ts), not here.
create table support_faqs (
  id bigserial primary key,
  merchant_id bigint not null references merchants (id),
  question text not null,
  phrasings jsonb not null default '[]',
  answer text not null,
  enabled boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index support_faqs_merchant_idx on support_faqs (merchant_id, id);

create table support_bot_settings (
  merchant_id bigint primary key references merchants (id),
  -- Below this confidence (0..1) the bot hands the shopper to a human instead of guessing.
  threshold double precision not null default 0.35 check (threshold >= 0 and threshold <= 1),
  use_platform_faqs boolean not null default true,
  updated_at timestamptz not null default now()
);
