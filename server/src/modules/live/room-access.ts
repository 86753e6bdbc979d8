// Who may watch a room — the one decision behind every way in: the room page, the WebSocket (join,
// resume, the periodic and on-demand rechecks), the online count, FLV/HLS/replay delivery and the
// viewer actions of a room (lucky bags, coupon drops). Staff of the shop and platform admins always
// may; everyone else only while the shop is active, and for a private room only with a valid
// invitation or a signed play link that came from one.
import crypto from 'node:crypto';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { RoomContract } from './room-service.ts';
import './tables.ts';

export type AccessVia = 'public' | 'staff' | 'invite' | 'play_link';

export interface ViewerCredentials {
  actor?: { userId: number; isPlatformAdmin: boolean } | null | undefined;
  /** An invitation token (the `invite` of a room link). */
  invite?: string | undefined;
  /**
   * The signed FLV/HLS link's query: `exp`, `sig`, and `inv` when it was issued to an invitee or `st`
   * when it was issued to a member of the shop's staff.
   */
  playLink?: PlayLinkQuery | undefined;
}

export interface PlayLinkQuery {
  exp?: number | undefined;
  sig?: string | undefined;
  inv?: number | undefined;
  st?: number | undefined;
}

/** What a viewer holds while watching: rechecked when it expires, and whenever the shop changes access. */
export interface RoomGrant {
  roomId: number;
  merchantId: number;
  via: AccessVia;
  inviteId: number | null;
  /** ms since epoch; null: until access changes (staff, public room). */
  expiresAt: number | null;
  /** A shop member's grant (not a platform admin's): their play links name them and die when they leave. */
  staffUserId?: number | undefined;
}

const PLAY_LINK_TTL_SEC = 6 * 3600;
const hidden = () => notFound('Room', 'ROOM_NOT_FOUND');

export class RoomAccess {
  constructor(private readonly ctx: AppContext) {}

  private get secret(): string {
    return `media:${this.ctx.config.jwtSecret ?? 'embedded'}`;
  }

  /**
   * Decide, reading the database (never a cache: a revoked invite or a suspended shop takes effect
   * at once). Strangers get ROOM_NOT_FOUND, as for a room that does not exist; a credential that was
   * presented and failed gets its own code (INVITE_EXPIRED, INVITE_REVOKED, INVITE_INVALID, PLAY_LINK_INVALID).
   * `fresh`: a recheck after an access change; the invitation behind a play link is read anew, not cached.
   */
  async authorize(
    roomId: number,
    creds: ViewerCredentials,
    opts: { fresh?: boolean } = {},
  ): Promise<{ room: RoomContract; grant: RoomGrant }> {
    const room = await this.ctx.services.live.getRoom(roomId);
    if (!room) throw hidden();
    const grant = (
      via: AccessVia,
      inviteId: number | null = null,
      expiresAt: number | null = null,
      staffUserId?: number,
    ) => {
      const given: RoomGrant = { roomId, merchantId: room.merchantId, via, inviteId, expiresAt, staffUserId };
      return { room, grant: given };
    };
    const { actor } = creds;
    const merchants = this.ctx.services.merchants;
    if (actor?.isPlatformAdmin) return grant('staff');
    const member = actor && (await merchants.merchantRole(actor.userId, room.merchantId));
    if (member) return grant('staff', null, null, actor.userId);
    if (!(await this.ctx.services.merchants.isPublic(room.merchantId))) throw hidden();
    if (!room.isPrivate) return grant('public');
    if (creds.invite !== undefined) {
      const inv = await this.ctx.services.roomInvites.verifyToken(creds.invite, roomId);
      return grant('invite', inv.inviteId, inv.expiresAt);
    }
    if (creds.playLink) {
      const { exp, sig, inv, st } = creds.playLink;
      if (!this.verifyPlay(roomId, exp, sig, inv, st)) {
        throw new AppError(403, 'PLAY_LINK_INVALID', 'This private show needs a valid, unexpired link');
      }
      // A link handed to a staff member dies when they leave the shop.
      if (st !== undefined && !(await merchants.merchantRole(st, room.merchantId))) {
        throw new AppError(403, 'PLAY_LINK_INVALID', "This link was issued to someone no longer on the shop's staff");
      }
      // A link handed to an invitee dies with the invitation (checked with a few seconds of caching).
      const invite = inv === undefined ? null : await this.ctx.services.roomInvites.verifyId(inv, roomId, !opts.fresh);
      return grant('play_link', invite?.inviteId ?? null, Math.min(exp! * 1000, invite?.expiresAt ?? Infinity));
    }
    throw hidden();
  }

  // ---- signed play links (FLV, HLS, replays of private rooms) ----
  signPlay(roomId: number, exp: number, inv?: number, st?: number): string {
    const holder = inv !== undefined ? `:i${inv}` : st !== undefined ? `:s${st}` : '';
    const subject = `${roomId}:${exp}${holder}`;
    return crypto.createHmac('sha256', this.secret).update(subject).digest('base64url');
  }

  verifyPlay(roomId: number, exp: number | undefined, sig: string | undefined, inv?: number, st?: number): boolean {
    if (!exp || !sig || exp * 1000 < Date.now() || (inv !== undefined && st !== undefined)) return false;
    const expected = this.signPlay(roomId, exp, inv, st);
    return expected.length === sig.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(sig));
  }

  /** The query a private room's media URLs carry for this grant ('' for public rooms). */
  playQuery(room: { id: number; isPrivate: boolean }, grant: RoomGrant | null): { query: string; expiresAt?: Date } {
    if (!room.isPrivate) return { query: '' };
    let exp = Math.floor(Date.now() / 1000) + PLAY_LINK_TTL_SEC;
    const inv = grant?.inviteId ?? undefined;
    const st = inv === undefined ? grant?.staffUserId : undefined;
    if (grant?.expiresAt) exp = Math.min(exp, Math.floor(grant.expiresAt / 1000));
    const holder = inv !== undefined ? `&inv=${inv}` : st !== undefined ? `&st=${st}` : '';
    const query = `?exp=${exp}${holder}&sig=${this.signPlay(room.id, exp, inv, st)}`;
    return { query, expiresAt: new Date(exp * 1000) };
  }
}
