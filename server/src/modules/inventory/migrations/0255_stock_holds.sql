-- A burst's hold (order-stock.ts, hold): units reserved for an order before the order's transaction writes
-- it. A hold is unconfirmed until that transaction confirms it; an unconfirmed hold is given back by whoever
-- placed it if the order fails, or by the sweep once it has lapsed (its node died in between). Every
-- reservation made before holds existed was made in its order's own transaction: confirmed.
alter table stock_reservations add column confirmed boolean not null default true;
create index stock_reservations_unconfirmed_idx on stock_reservations (created_at) where not confirmed;
