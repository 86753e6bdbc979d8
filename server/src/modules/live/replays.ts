// A show's recording as a replay: the media module packages it and asks here to publish it, to
// retire it after the retention period, and whether a replay still exists before serving it.
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import './tables.ts';

export class Replays {
  constructor(private readonly ctx: AppContext) {}

  /** The session's recording is packaged: a replay when it has any length. */
  async recorded(sessionId: number, durationSec: number, db: Db = this.ctx.db): Promise<void> {
    await db
      .updateTable('live_sessions')
      .set({ replay_ready: durationSec > 0, replay_duration_sec: durationSec })
      .where('id', '=', sessionId)
      .execute();
  }

  /** Sessions that ended more than `days` ago and still have a replay. */
  async pastRetention(days: number, db: Db = this.ctx.db): Promise<number[]> {
    const rows = await db
      .selectFrom('live_sessions')
      .select('id')
      .where('ended_at', '<', sql<Date>`now() - ${`${days} days`}::interval`)
      .where('replay_deleted_at', 'is', null)
      .execute();
    return rows.map((s) => s.id);
  }

  /** The session's recording was deleted: no replay any more. */
  async deleted(sessionId: number, db: Db = this.ctx.db): Promise<void> {
    await db
      .updateTable('live_sessions')
      .set({ replay_ready: false, replay_deleted_at: sql`now()` })
      .where('id', '=', sessionId)
      .execute();
  }

  /** The session's room and whether its replay was deleted, or undefined when there is no such session. */
  async session(sessionId: number, db: Db = this.ctx.db) {
    const s = await db
      .selectFrom('live_sessions')
      .select(['room_id', 'replay_deleted_at'])
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return s ? { roomId: s.room_id, replayDeleted: s.replay_deleted_at !== null } : undefined;
  }
}
