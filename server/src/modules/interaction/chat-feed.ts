// The chat as a feed for analytics (comments become its events): chat is a hot path, so analytics
// reads it in id order in batches instead of an event per message. Only up to the first message
// younger than the lag, so a message whose transaction commits after a later id is never skipped.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import './tables.ts';

export interface ChatFeedItem {
  id: number;
  userId: number;
  merchantId: number;
  roomId: number;
  createdAt: Date;
}

/**
 * The messages shoppers could see (not blocked or rejected) with id in (afterId, upTo], and upTo: the
 * highest id safe to read now (at most `batchSize` past afterId).
 */
export async function visibleMessagesSince(
  db: Db,
  afterId: number,
  opts: { lagMs: number; batchSize?: number | undefined },
): Promise<{ upTo: number; messages: ChatFeedItem[] }> {
  const cutoff = sql.raw(opts.lagMs > 0 ? `now() - interval '${Math.round(opts.lagMs)} milliseconds'` : `now()`);
  const bounds = await db
    .selectFrom('chat_messages')
    .where('id', '>', afterId)
    .select([
      sql<string | null>`max(id)`.as('max_id'),
      sql<string | null>`min(id) filter (where created_at > ${cutoff})`.as('young_id'),
    ])
    .executeTakeFirstOrThrow();
  if (bounds.max_id === null) return { upTo: afterId, messages: [] };
  let upTo = Number(bounds.max_id);
  if (bounds.young_id !== null) upTo = Math.min(upTo, Number(bounds.young_id) - 1);
  upTo = Math.min(upTo, afterId + (opts.batchSize ?? 200_000));
  if (upTo <= afterId) return { upTo: afterId, messages: [] };
  const rows = await db
    .selectFrom('chat_messages')
    .select(['id', 'user_id', 'merchant_id', 'room_id', 'created_at'])
    .where('id', '>', afterId)
    .where('id', '<=', upTo)
    .where('status', 'not in', ['blocked', 'rejected'])
    .orderBy('id')
    .execute();
  return {
    upTo,
    messages: rows.map((m) => ({
      id: m.id,
      userId: m.user_id,
      merchantId: m.merchant_id,
      roomId: m.room_id,
      createdAt: m.created_at,
    })),
  };
}
