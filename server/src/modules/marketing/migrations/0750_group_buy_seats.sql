-- A shopper holds at most one seat in a group while it counts (pending or paid): two orders placed
-- at once for the same group cannot both take one. A shopper whose order was cancelled (left) may
-- join again with a new order, the old row kept as history, so the one-seat rule is a partial
-- unique index and the row's key is its order (already unique), no longer (group, user).
alter table group_buy_members drop constraint group_buy_members_pkey;
alter table group_buy_members drop constraint group_buy_members_order_id_key;
alter table group_buy_members add primary key (order_id);
create unique index group_buy_members_one_seat on group_buy_members (group_id, user_id)
  where status in ('pending', 'paid');
