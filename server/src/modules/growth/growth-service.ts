// ctx.services.growth: what other modules use of growth (distribution, posters, interaction,
// analytics' live numbers), and the parts the routes call.
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { Attribution } from './attribution.ts';
import type { ShareTargetKind } from './events.ts';
import { Invitations } from './invitations.ts';
import { ShareService, type ShareView } from './share-service.ts';
import { ShareStats } from './stats.ts';
import { TouchService } from './touch-service.ts';

export class GrowthService {
  readonly touches: TouchService;
  readonly shares: ShareService;
  readonly attribution: Attribution;
  readonly invitations: Invitations;
  readonly stats: ShareStats;

  constructor(ctx: AppContext) {
    this.touches = new TouchService(ctx);
    this.shares = new ShareService(ctx, this.touches);
    this.attribution = new Attribution(ctx);
    this.invitations = new Invitations(ctx);
    this.stats = new ShareStats(ctx);
  }

  /** The share a token names: sharer, target, shop, parent (404 SHARE_NOT_FOUND). */
  shareByToken(token: string, db?: Db): Promise<ShareView> {
    return this.shares.byToken(token, db);
  }

  /** Create or reuse a share for a signed-in user (posters call this for the token in their code). */
  createShare(
    actor: Actor,
    input: { targetKind: ShareTargetKind; targetId: number; merchantId?: number | undefined },
  ): Promise<ShareView> {
    return this.shares.create(actor, input);
  }

  /** The lucky bag "share the room" condition: the user shared this room at or after `since`. */
  hasSharedRoom(userId: number, roomId: number, since: Date, db?: Db): Promise<boolean> {
    return this.shares.hasSharedRoom(userId, roomId, since, db);
  }

  /** Shares, visits and attributed orders of a room, for its live data. */
  roomLive(db: Db, roomId: number) {
    return this.stats.roomLive(db, roomId);
  }

  /** An order's first and last touch shares, or null when it came through none. */
  attributionOf(orderId: number, db?: Db) {
    return this.attribution.ofOrder(orderId, db);
  }
}
