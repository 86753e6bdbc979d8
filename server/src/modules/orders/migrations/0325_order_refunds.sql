-- Refunds of an order as a ledger. A refund's amount and its share of the shipping fee are decided
-- when it starts, under the order's row lock, against what is already refunded or being refunded
-- (refunding_*), never against requests that may still be withdrawn. The fee goes back at most once:
-- shipping_refund_id names the refund that carries it.
alter table orders add column refunding_fen bigint not null default 0 check (refunding_fen >= 0);
alter table orders add column shipping_refund_id bigint;
alter table orders add constraint orders_refund_committed_check check (refunded_fen + refunding_fen <= total_fen);

alter table order_lines add column refunding_quantity integer not null default 0 check (refunding_quantity >= 0);
alter table order_lines add column refunding_fen bigint not null default 0 check (refunding_fen >= 0);
alter table order_lines add constraint order_lines_refund_committed_check
  check (refunded_quantity + refunding_quantity <= quantity and refunded_fen + refunding_fen <= payable_fen);

create table order_refunds (
  id bigint generated always as identity primary key,
  order_id bigint not null references orders (id),
  -- who asked, once: 'aftersale:12', 'payment-refund:34'
  ref text not null unique,
  status text not null check (status in ('refunding', 'refunded')),
  amount_fen bigint not null check (amount_fen >= 0),
  shipping_fen bigint not null default 0 check (shipping_fen >= 0),
  created_at timestamptz not null default now(),
  refunded_at timestamptz
);
create index order_refunds_order_idx on order_refunds (order_id);

create table order_refund_lines (
  order_refund_id bigint not null references order_refunds (id),
  order_line_id bigint not null references order_lines (id),
  quantity integer not null check (quantity > 0),
  -- of these units, how many had not shipped when the refund started (they go back on sale)
  unshipped_quantity integer not null check (unshipped_quantity between 0 and quantity),
  amount_fen bigint not null check (amount_fen >= 0),
  primary key (order_refund_id, order_line_id)
);

-- Refunds booked before the ledger existed: one entry per order, so the ledger adds up to refunded_fen.
insert into order_refunds (order_id, ref, status, amount_fen, shipping_fen, refunded_at)
select o.id, 'before-ledger:' || o.id, 'refunded', o.refunded_fen,
       greatest(0, o.refunded_fen - coalesce((select sum(l.refunded_fen) from order_lines l where l.order_id = o.id), 0)),
       o.updated_at
  from orders o
 where o.refunded_fen > 0;
insert into order_refund_lines (order_refund_id, order_line_id, quantity, unshipped_quantity, amount_fen)
select r.id, l.id, l.refunded_quantity, 0, l.refunded_fen
  from order_refunds r
  join order_lines l on l.order_id = r.order_id
 where r.ref like 'before-ledger:%' and l.refunded_quantity > 0;
update orders o set shipping_refund_id = r.id
  from order_refunds r
 where r.order_id = o.id and r.ref like 'before-ledger:%' and r.shipping_fen > 0;
