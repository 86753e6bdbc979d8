// What other modules read of rooms, one query per batch: which rooms are live (media's restart check,
// analytics' tick), a room's stream key (media serves its play URLs), owners and titles (beacons,
// reports). Tenancy stays with RoomService.requireOwnRoom; these are lookups by id.
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import type { RoomStatus } from './tables.ts';
import './tables.ts';

export interface RoomBrief {
  id: number;
  merchantId: number;
  title: string;
  status: RoomStatus;
  isPrivate: boolean;
  streamKey: string;
  startedAt: Date | null;
  endedAt: Date | null;
}

export class RoomDirectory {
  constructor(private readonly ctx: AppContext) {}

  /** The rooms among `ids` that exist, by id. */
  async byIds(ids: readonly number[], db: Db = this.ctx.db): Promise<Map<number, RoomBrief>> {
    if (ids.length === 0) return new Map();
    const rows = await db
      .selectFrom('live_rooms')
      .select(['id', 'merchant_id', 'title', 'status', 'visibility', 'stream_key', 'started_at', 'ended_at'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, brief(r)]));
  }

  async byId(roomId: number, db: Db = this.ctx.db): Promise<RoomBrief | undefined> {
    return (await this.byIds([roomId], db)).get(roomId);
  }

  /** Every room that is live now. */
  async live(db: Db = this.ctx.db): Promise<RoomBrief[]> {
    const rows = await db
      .selectFrom('live_rooms')
      .select(['id', 'merchant_id', 'title', 'status', 'visibility', 'stream_key', 'started_at', 'ended_at'])
      .where('status', '=', 'live')
      .execute();
    return rows.map(brief);
  }

  /** The demo room (seeded under this title), if there is one. */
  async byTitle(title: string, db: Db = this.ctx.db): Promise<RoomBrief | undefined> {
    const r = await db
      .selectFrom('live_rooms')
      .select(['id', 'merchant_id', 'title', 'status', 'visibility', 'stream_key', 'started_at', 'ended_at'])
      .where('title', '=', title)
      .executeTakeFirst();
    return r ? brief(r) : undefined;
  }
}

function brief(r: {
  id: number;
  merchant_id: number;
  title: string;
  status: RoomStatus;
  visibility: 'public' | 'private';
  stream_key: string;
  started_at: Date | null;
  ended_at: Date | null;
}): RoomBrief {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    title: r.title,
    status: r.status,
    isPrivate: r.visibility === 'private',
    streamKey: r.stream_key,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  };
}
