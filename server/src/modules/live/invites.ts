// Private-room invitations. Each link is a row (listable, revocable) and a signed token that names
// the row: the signature rejects forgeries without a query, the row answers "revoked?" and "expired?".
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { ROOM_WRITERS } from './room-service.ts';
import './tables.ts';

const AUDIENCE = 'room-invite';
/** How long a node may reuse an invite's state for media requests (an HLS viewer asks every second). */
const MEDIA_CACHE_MS = 5000;

export interface InviteView {
  id: number;
  roomId: number;
  note: string;
  expiresAt: Date;
  revokedAt: Date | null;
  createdAt: Date;
  createdBy: number;
}
export interface VerifiedInvite {
  inviteId: number;
  expiresAt: number;
}

const invalid = () => new AppError(403, 'INVITE_INVALID', 'This invitation is not valid for this room');
const expired = () => new AppError(403, 'INVITE_EXPIRED', 'This invitation has expired; ask the shop for a new link');
const revoked = () => new AppError(403, 'INVITE_REVOKED', 'The shop has withdrawn this invitation');

export class InviteService {
  private readonly recent = new Map<number, { at: number; row: Promise<InviteRow | undefined> }>();

  constructor(private readonly ctx: AppContext) {}

  /** Issue a link for one of the shop's rooms (operators of an active shop). */
  async create(actor: Actor, merchantId: number, roomId: number, ttlSec: number, note = '') {
    await this.ctx.services.merchants.requireOperating(actor, merchantId, ROOM_WRITERS, 'broadcast');
    await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
    const expiresAt = new Date(Date.now() + ttlSec * 1000);
    const row = await this.ctx.db
      .insertInto('live_room_invites')
      .values({ room_id: roomId, merchant_id: merchantId, note, expires_at: expiresAt, created_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    const token = await this.ctx.tokens.signPayload({ r: roomId, i: row.id }, AUDIENCE, ttlSec);
    const base = this.ctx.config.publicUrl;
    const url = `${base}/api/rooms/${roomId}?invite=${token}`;
    // The shop's room page (web/shop at /shop/) opens the show with the same invitation.
    const pageUrl = `${base}/shop/room/${roomId}?invite=${token}`;
    return { inviteId: row.id, url, pageUrl, token, expiresAt };
  }

  async list(actor: Actor, merchantId: number, roomId: number): Promise<InviteView[]> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ROOM_WRITERS);
    await this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
    const rows = await this.ctx.db
      .selectFrom('live_room_invites')
      .selectAll()
      .where('room_id', '=', roomId)
      .where('merchant_id', '=', merchantId)
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      roomId: r.room_id,
      note: r.note,
      expiresAt: r.expires_at,
      revokedAt: r.revoked_at,
      createdAt: r.created_at,
      createdBy: r.created_by,
    }));
  }

  /** Withdraw a link (idempotent). Invitees watching now are re-checked on every node and leave. */
  async revoke(actor: Actor, merchantId: number, roomId: number, inviteId: number): Promise<void> {
    await this.ctx.services.merchants.requireRole(actor, merchantId, ROOM_WRITERS);
    const exists = await this.ctx.db
      .selectFrom('live_room_invites')
      .select('id')
      .where('id', '=', inviteId)
      .where('room_id', '=', roomId)
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    if (!exists) throw notFound('Invitation', 'INVITE_NOT_FOUND');
    await this.ctx.db
      .updateTable('live_room_invites')
      .set({ revoked_at: sql`now()` })
      .where('id', '=', inviteId)
      .where('revoked_at', 'is', null)
      .execute();
    this.recent.delete(inviteId);
    await this.ctx.services.live.recheckViewers({ roomId });
  }

  /** Check an invite token for a room; throws INVITE_INVALID / INVITE_EXPIRED / INVITE_REVOKED. */
  async verifyToken(token: string, roomId: number): Promise<VerifiedInvite> {
    const claims = await this.ctx.tokens.verifyPayload<{ r?: unknown; i?: unknown }>(token, AUDIENCE);
    if (claims === 'expired') throw expired();
    // Tokens without a row id (issued before invites could be revoked) are refused: nobody could withdraw them.
    if (!claims || claims.r !== roomId || typeof claims.i !== 'number') throw invalid();
    return this.verifyId(claims.i, roomId, false);
  }

  /** Check an invite by id (play links carry it); `cached` allows MEDIA_CACHE_MS of staleness. */
  async verifyId(inviteId: number, roomId: number, cached: boolean): Promise<VerifiedInvite> {
    const row = await this.row(inviteId, cached);
    if (!row || row.room_id !== roomId) throw invalid();
    if (row.revoked_at) throw revoked();
    const expiresAt = new Date(row.expires_at).getTime();
    if (expiresAt <= Date.now()) throw expired();
    return { inviteId, expiresAt };
  }

  private row(inviteId: number, cached: boolean): Promise<InviteRow | undefined> {
    const hit = this.recent.get(inviteId);
    if (cached && hit && Date.now() - hit.at < MEDIA_CACHE_MS) return hit.row;
    const row = this.ctx.db
      .selectFrom('live_room_invites')
      .select(['room_id', 'expires_at', 'revoked_at'])
      .where('id', '=', inviteId)
      .executeTakeFirst();
    this.recent.set(inviteId, { at: Date.now(), row: row.catch(() => undefined) });
    if (this.recent.size > 10_000) this.recent.delete(this.recent.keys().next().value!);
    return row;
  }
}

interface InviteRow {
  room_id: number;
  expires_at: Date;
  revoked_at: Date | null;
}
