// An order's status moves with a line in its history, in the caller's transaction.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import type { OrderStatus } from './tables.ts';

export async function moveOrder(
  db: Db,
  orderId: number,
  move: { from: OrderStatus; to: OrderStatus; note: string; actorUserId: number | null },
  extra: Record<string, unknown> = {},
): Promise<void> {
  await db
    .updateTable('orders')
    .set({ status: move.to, updated_at: sql`now()`, ...extra })
    .where('id', '=', orderId)
    .execute();
  await db
    .insertInto('order_status_history')
    .values({
      order_id: orderId,
      from_status: move.from,
      to_status: move.to,
      actor_user_id: move.actorUserId,
      note: move.note,
    })
    .execute();
}
