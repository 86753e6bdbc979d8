// Chat / danmaku: the `chat` frame runs sanctions (ban, mute), slow mode and a per-user rate limit
// shared by all nodes, then moderation (platform + shop word lists through Aho–Corasick: mask,
// block or hold for review; an optional external moderation hook), then fans the message out and
// keeps it in the chat log. Text is plain text end to end: clients render it as text, never HTML.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Db } from '../../platform/db/types.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import type { Conn } from '../realtime/connection.ts';
import { deletedKey } from '../realtime/room-hub.ts';
import { getLiveRoom } from '../realtime/rooms.ts';
import type { WordAction } from './tables.ts';
import { maskMatches, WordFilter } from './word-filter.ts';
import { visibleMessagesSince } from './chat-feed.ts';
import './tables.ts';

export const MAX_CHAT_CHARS = 200;
const FILTER_TTL_MS = 30_000;
const slowKey = (roomId: number) => `rt:room:${roomId}:slow`;

export type ExternalModeration = (input: {
  text: string;
  userId: number;
  roomId: number;
  merchantId: number;
}) => Promise<'allow' | 'block' | 'review'>;

export class ChatService {
  /** A deployment plugs an external moderation service in here (called after the word lists). */
  externalModeration: ExternalModeration | null = null;
  private readonly filters = new Map<number, { at: number; filter: Promise<WordFilter> }>();

  constructor(private readonly ctx: AppContext) {}

  /** Visible messages after an id, for analytics' comment counts (chat-feed.ts). */
  visibleSince(db: Db, afterId: number, opts: { lagMs: number; batchSize?: number | undefined }) {
    return visibleMessagesSince(db, afterId, opts);
  }

  private filterFor(merchantId: number): Promise<WordFilter> {
    const hit = this.filters.get(merchantId);
    if (hit && Date.now() - hit.at < FILTER_TTL_MS) return hit.filter;
    const filter = this.ctx.db
      .selectFrom('sensitive_words')
      .select(['word', 'action'])
      .where((eb) => eb.or([eb('merchant_id', 'is', null), eb('merchant_id', '=', merchantId)]))
      .execute()
      .then((rows) => new WordFilter(rows));
    this.filters.set(merchantId, { at: Date.now(), filter });
    return filter;
  }

  /**
   * The shop's and the platform's word lists applied to a text sent elsewhere than a room
   * (customer-service messages): the strongest action and the text with 'mask' words starred.
   */
  async screen(
    merchantId: number,
    text: string,
  ): Promise<{ action: WordAction | 'allow'; masked: string; words: string[] }> {
    const check = (await this.filterFor(merchantId)).check(text);
    const masked = maskMatches(
      text,
      check.matches.filter((m) => m.action === 'mask'),
    );
    return { action: check.action, masked, words: check.matches.map((m) => m.word) };
  }

  async activeSanction(merchantId: number, roomId: number, userId: number) {
    return this.ctx.db
      .selectFrom('room_sanctions')
      .select(['kind', 'until'])
      .where('merchant_id', '=', merchantId)
      .where('user_id', '=', userId)
      .where('lifted_at', 'is', null)
      .where((eb) => eb.or([eb('until', 'is', null), eb('until', '>', new Date())]))
      .where((eb) => eb.or([eb('kind', '=', 'ban'), eb('room_id', '=', roomId)]))
      .orderBy('kind')
      .executeTakeFirst();
  }

  /** The `chat` frame. */
  async send(conn: Conn, data: Record<string, unknown>) {
    if (!conn.user) throw new AppError(401, 'AUTH_REQUIRED', 'Sign in to chat');
    if (conn.roomId === null) throw badRequest('NOT_IN_ROOM', 'Join a room first');
    const text = typeof data.text === 'string' ? data.text.replace(/\s+/g, ' ').trim() : '';
    if (!text) throw badRequest('CHAT_EMPTY', 'Say something');
    if ([...text].length > MAX_CHAT_CHARS) throw badRequest('CHAT_TOO_LONG', `At most ${MAX_CHAT_CHARS} characters`);
    const room = await getLiveRoom(this.ctx, conn.roomId);
    if (!room) throw notFound('Room', 'ROOM_NOT_FOUND');
    const { userId, nickname } = conn.user;
    const sanction = await this.activeSanction(room.merchantId, room.id, userId);
    if (sanction?.kind === 'ban') throw new AppError(403, 'BANNED', "You are banned from this shop's rooms");
    if (sanction?.kind === 'mute')
      throw new AppError(403, 'CHAT_MUTED', 'You are muted in this room', { until: sanction.until });
    const limit = await this.ctx.cache.rateLimit(`chat:rl:${userId}`, this.ctx.config.chatPer10s, 10_000);
    if (!limit.allowed)
      throw new AppError(429, 'RATE_LIMITED', 'You are sending messages too fast', { retryAfterMs: limit.resetMs });
    const slow = Number((await this.ctx.cache.get(slowKey(room.id))) ?? 0);
    if (slow > 0) {
      const gate = await this.ctx.cache.rateLimit(`chat:slow:${room.id}:${userId}`, 1, slow * 1000);
      if (!gate.allowed)
        throw new AppError(429, 'SLOW_MODE', `Slow mode: one message every ${slow} s`, { retryAfterMs: gate.resetMs });
    }
    const check = (await this.filterFor(room.merchantId)).check(text);
    let action: WordAction | 'allow' = check.action;
    if (action !== 'block' && this.externalModeration) {
      const verdict = await this.externalModeration({
        text,
        userId,
        roomId: room.id,
        merchantId: room.merchantId,
      }).catch(() => 'allow' as const);
      if (verdict === 'block') action = 'block';
      else if (verdict === 'review' && action !== 'review') action = 'review';
    }
    const moderation = JSON.stringify({
      words: check.matches.map((m) => ({ word: m.word, action: m.action })),
      action,
    });
    const base = {
      room_id: room.id,
      merchant_id: room.merchantId,
      user_id: userId,
      nickname,
      original_text: text,
      moderation,
    };
    if (action === 'block') {
      await this.ctx.db
        .insertInto('chat_messages')
        .values({ ...base, text, status: 'blocked' })
        .execute();
      throw new AppError(422, 'CHAT_BLOCKED', 'This message was not sent: it contains blocked words');
    }
    // Only 'mask' words are starred: a held message is shown as written once staff approve it.
    const shown = maskMatches(
      text,
      check.matches.filter((m) => m.action === 'mask'),
    );
    if (action === 'review') {
      const held = await this.ctx.db
        .insertInto('chat_messages')
        .values({ ...base, text: shown, status: 'held' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { id: held.id, held: true as const, text: shown };
    }
    const row = await this.ctx.db
      .insertInto('chat_messages')
      .values({ ...base, text: shown, status: 'visible' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const frame = await this.ctx.services.realtime.publishToRoom(
      room.id,
      { type: 'chat', data: { id: row.id, userId, nickname, text: shown } },
      { kind: 'chat' },
    );
    await this.ctx.db
      .updateTable('chat_messages')
      .set({ seq: frame.seq ?? null })
      .where('id', '=', row.id)
      .execute();
    await this.ctx.services.luckyBags.onChat(room.id, userId, text); // "send the keyword to enter"
    return { id: row.id, seq: frame.seq!, text: shown, masked: shown !== text }; // a chat frame always gets a seq
  }

  // ---- staff ----
  private async ownRoom(actor: Actor, merchantId: number, roomId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    return this.ctx.services.live.requireOwnRoom(this.ctx.db, merchantId, roomId);
  }

  async remove(actor: Actor, merchantId: number, roomId: number, messageId: number) {
    await this.ownRoom(actor, merchantId, roomId);
    const m = await this.ctx.db
      .updateTable('chat_messages')
      .set({ status: 'deleted' })
      .where('id', '=', messageId)
      .where('room_id', '=', roomId)
      .returning('seq')
      .executeTakeFirst();
    if (!m) throw notFound('Message', 'MESSAGE_NOT_FOUND');
    if (m.seq !== null) await this.ctx.cache.sAdd(deletedKey(roomId), String(m.seq));
    await this.ctx.services.realtime.publishToRoom(
      roomId,
      { type: 'chat.deleted', data: { id: messageId, seq: m.seq } },
      { kind: 'commerce' },
    );
  }

  /** Publish a held message after review. */
  async approve(actor: Actor, merchantId: number, roomId: number, messageId: number) {
    await this.ownRoom(actor, merchantId, roomId);
    const m = await this.ctx.db
      .updateTable('chat_messages')
      .set({ status: 'visible' })
      .where('id', '=', messageId)
      .where('room_id', '=', roomId)
      .where('status', '=', 'held')
      .returningAll()
      .executeTakeFirst();
    if (!m) throw conflict('MESSAGE_NOT_HELD', 'Only held messages can be approved');
    const frame = await this.ctx.services.realtime.publishToRoom(
      roomId,
      { type: 'chat', data: { id: m.id, userId: m.user_id, nickname: m.nickname, text: m.text } },
      { kind: 'chat' },
    );
    await this.ctx.db
      .updateTable('chat_messages')
      .set({ seq: frame.seq ?? null })
      .where('id', '=', m.id)
      .execute();
  }

  async sanction(
    actor: Actor,
    merchantId: number,
    roomId: number,
    input: { userId: number; kind: 'mute' | 'ban'; minutes?: number | undefined; reason?: string | undefined },
  ) {
    await this.ownRoom(actor, merchantId, roomId);
    const until = input.minutes ? new Date(Date.now() + input.minutes * 60_000) : null;
    const r = await this.ctx.db
      .insertInto('room_sanctions')
      .values({
        merchant_id: merchantId,
        room_id: input.kind === 'mute' ? roomId : null,
        user_id: input.userId,
        kind: input.kind,
        until,
        reason: input.reason ?? '',
        created_by: actor.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.ctx.services.realtime.publishToUsers(roomId, [input.userId], {
      type: input.kind === 'ban' ? 'you.banned' : 'you.muted',
      data: { until, reason: input.reason ?? '' },
    });
    if (input.kind === 'ban') {
      // Out of the room now: on this node at once, on the others through the access recheck (the ban
      // is one of the gateway's join checks), which also covers the shop's other rooms.
      for (const conn of this.ctx.services.realtime.gateway.connections())
        if (conn.user?.userId === input.userId && conn.roomId === roomId) conn.close(4003, 'banned');
      await this.ctx.services.realtime.recheckViewers({ merchantId });
    }
    return { id: r.id, until };
  }

  async lift(actor: Actor, merchantId: number, sanctionId: number) {
    await this.ctx.services.merchants.requireRole(actor, merchantId);
    const r = await this.ctx.db
      .updateTable('room_sanctions')
      .set({ lifted_at: sql`now()` })
      .where('id', '=', sanctionId)
      .where('merchant_id', '=', merchantId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw notFound('Sanction', 'SANCTION_NOT_FOUND');
  }

  async setSlowMode(actor: Actor, merchantId: number, roomId: number, seconds: number) {
    await this.ownRoom(actor, merchantId, roomId);
    if (seconds > 0) await this.ctx.cache.set(slowKey(roomId), String(seconds));
    else await this.ctx.cache.del(slowKey(roomId));
    await this.ctx.services.realtime.publishToRoom(
      roomId,
      { type: 'room.slow_mode', data: { seconds } },
      { kind: 'system' },
    );
  }

  async log(actor: Actor, merchantId: number, roomId: number, status?: string) {
    await this.ownRoom(actor, merchantId, roomId);
    let q = this.ctx.db
      .selectFrom('chat_messages')
      .select(['id', 'seq', 'user_id', 'nickname', 'text', 'original_text', 'status', 'moderation', 'created_at'])
      .where('room_id', '=', roomId)
      .orderBy('id', 'desc')
      .limit(200);
    if (status) q = q.where('status', '=', status as never);
    return (await q.execute()).map((m) => ({
      id: m.id,
      seq: m.seq,
      userId: m.user_id,
      nickname: m.nickname,
      text: m.text,
      originalText: m.original_text,
      status: m.status,
      moderation: m.moderation,
      createdAt: m.created_at,
    }));
  }

  /** A viewer reports a message (the `report` frame). */
  async report(conn: Conn, data: Record<string, unknown>) {
    if (!conn.user) throw new AppError(401, 'AUTH_REQUIRED', 'Sign in to report');
    if (conn.roomId === null) throw badRequest('NOT_IN_ROOM', 'Join a room first');
    const seq = Number(data.seq);
    const reason = typeof data.reason === 'string' ? data.reason.slice(0, 200) : '';
    if (!Number.isSafeInteger(seq) || seq <= 0) throw badRequest('VALIDATION_FAILED', 'report needs data.seq');
    const room = await getLiveRoom(this.ctx, conn.roomId);
    await this.ctx.db
      .insertInto('chat_reports')
      .values({
        room_id: conn.roomId,
        merchant_id: room!.merchantId,
        message_seq: seq,
        reporter_id: conn.user.userId,
        reason,
      })
      .onConflict((oc) => oc.columns(['room_id', 'message_seq', 'reporter_id']).doNothing())
      .execute();
    return { reported: true as const };
  }

  /** Reported messages of one shop, or of every shop for platform operators (merchantId null). */
  async reports(actor: Actor, merchantId: number | null) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db
      .selectFrom('chat_reports as r')
      .leftJoin('chat_messages as m', (j) =>
        j.onRef('m.room_id', '=', 'r.room_id').onRef('m.seq', '=', 'r.message_seq'),
      )
      .select([
        'r.id',
        'r.room_id',
        'r.message_seq',
        'r.reason',
        'r.status',
        'r.created_at',
        'm.id as message_id',
        'm.text',
        'm.user_id',
      ])
      .orderBy('r.id', 'desc')
      .limit(200);
    if (merchantId !== null) q = q.where('r.merchant_id', '=', merchantId);
    const rows = await q.execute();
    return rows.map((r) => ({
      id: r.id,
      roomId: r.room_id,
      seq: r.message_seq,
      reason: r.reason,
      status: r.status,
      createdAt: r.created_at,
      messageId: r.message_id,
      text: r.text,
      userId: r.user_id,
    }));
  }

  // ---- word lists ----
  async words(actor: Actor, merchantId: number | null) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId);
    let q = this.ctx.db
      .selectFrom('sensitive_words')
      .select(['id', 'word', 'action', 'created_at'])
      .orderBy('id', 'desc');
    q = merchantId === null ? q.where('merchant_id', 'is', null) : q.where('merchant_id', '=', merchantId);
    return (await q.execute()).map((w) => ({ id: w.id, word: w.word, action: w.action, createdAt: w.created_at }));
  }

  async addWords(actor: Actor, merchantId: number | null, words: Array<{ word: string; action: WordAction }>) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    const clean = words.map((w) => ({ word: w.word.trim(), action: w.action })).filter((w) => w.word.length > 0);
    if (!clean.length) throw badRequest('VALIDATION_FAILED', 'No words given');
    for (const w of clean) {
      await this.ctx.db
        .insertInto('sensitive_words')
        .values({ merchant_id: merchantId, word: w.word, action: w.action, created_by: actor.userId })
        .onConflict((oc) => oc.expression(sql`coalesce(merchant_id, 0), word`).doUpdateSet({ action: w.action }))
        .execute();
    }
    this.filters.clear(); // this node at once; others within FILTER_TTL_MS
    return this.words(actor, merchantId);
  }

  async removeWord(actor: Actor, merchantId: number | null, id: number) {
    if (merchantId === null) {
      if (!actor.isPlatformAdmin) throw forbidden('Platform operators only');
    } else await this.ctx.services.merchants.requireRole(actor, merchantId, ['merchant_owner', 'merchant_staff']);
    let q = this.ctx.db.deleteFrom('sensitive_words').where('id', '=', id);
    q = merchantId === null ? q.where('merchant_id', 'is', null) : q.where('merchant_id', '=', merchantId);
    const r = await q.executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) throw notFound('Word', 'WORD_NOT_FOUND');
    this.filters.clear();
  }
}
