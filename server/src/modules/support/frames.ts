// The customer-service frames on the room gateway's sockets (docs/realtime-protocol.md, "Customer
// service"): resume delivery, send (acknowledged once stored), read. A socket acts as the shopper
// of its own conversations and as an agent of its shops' (tenancy as over HTTP: another shop's
// conversation is not found).
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import type { Conn } from '../realtime/connection.ts';
import type { IncomingFrame } from '../realtime/protocol.ts';
import type { ConversationService, Side } from './conversations.ts';

const MAX_CURSORS = 50;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

function signedIn(conn: Conn): Actor {
  if (!conn.user) throw new AppError(401, 'AUTH_REQUIRED', 'Sign in to use customer service');
  return { userId: conn.user.userId, sessionId: conn.user.sessionId, isPlatformAdmin: conn.user.isPlatformAdmin };
}

/** The shopper of the conversation, else a member of its shop (404 for anyone else). */
async function sideOf(ctx: AppContext, actor: Actor, conversationId: unknown): Promise<[Side, number]> {
  if (!isId(conversationId)) throw badRequest('VALIDATION_FAILED', 'data.conversationId must be a positive integer');
  const row = await ctx.db
    .selectFrom('support_conversations')
    .select(['user_id', 'merchant_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
  if (!row) throw notFound('Conversation', 'CONVERSATION_NOT_FOUND');
  if (row.user_id === actor.userId) return [{ as: 'shopper', userId: actor.userId }, conversationId];
  return [{ as: 'agent', actor, merchantId: row.merchant_id }, conversationId];
}

export function registerFrames(ctx: AppContext, conversations: ConversationService): void {
  const gateway = ctx.services.realtime.gateway;

  gateway.on('support.resume', async (conn: Conn, f: IncomingFrame) => {
    const actor = signedIn(conn);
    const raw = f.data.cursors ?? [];
    if (!Array.isArray(raw) || raw.length > MAX_CURSORS)
      throw badRequest('VALIDATION_FAILED', `data.cursors: at most ${MAX_CURSORS} { conversationId, after }`);
    const cursors: Array<{ conversationId: number; after: number }> = [];
    for (const c of raw as Array<Record<string, unknown> | null>) {
      if (!c || typeof c !== 'object' || !isSeq(c.after))
        throw badRequest('VALIDATION_FAILED', 'Each cursor needs conversationId and after (a seq)');
      const [side, conversationId] = await sideOf(ctx, actor, c.conversationId);
      await conversations.visible(side, conversationId);
      cursors.push({ conversationId, after: c.after });
    }
    const answered = await conversations.delivery.resume(conn, actor.userId, cursors);
    return { userId: actor.userId, conversations: answered };
  });

  gateway.on('support.send', async (conn: Conn, f: IncomingFrame) => {
    const actor = signedIn(conn);
    const [side, conversationId] = await sideOf(ctx, actor, f.data.conversationId);
    const d = f.data;
    const optional = (k: string) => (d[k] === undefined ? undefined : d[k]) as never;
    for (const k of ['productId', 'orderId'])
      if (d[k] !== undefined && !isId(d[k]))
        throw badRequest('VALIDATION_FAILED', `data.${k} must be a positive integer`);
    if (d.imageKey !== undefined && typeof d.imageKey !== 'string')
      throw badRequest('VALIDATION_FAILED', 'data.imageKey must be a string');
    const sent = await conversations.send(side, conversationId, {
      clientId: d.clientId as string,
      text: optional('text'),
      imageKey: optional('imageKey'),
      productId: optional('productId'),
      orderId: optional('orderId'),
    });
    return { messageId: sent.messageId, seq: sent.seq, duplicate: sent.duplicate, createdAt: sent.createdAt };
  });

  gateway.on('support.read', async (conn: Conn, f: IncomingFrame) => {
    const actor = signedIn(conn);
    const [side, conversationId] = await sideOf(ctx, actor, f.data.conversationId);
    if (!isSeq(f.data.seq)) throw badRequest('VALIDATION_FAILED', 'data.seq must be a seq (integer ≥ 0)');
    return conversations.read(side, conversationId, f.data.seq);
  });
}
