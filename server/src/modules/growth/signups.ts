// Sign-ups through shares: a new account whose device touched shares before it registered. In each
// shop the latest such share gets the sign-up touch, and the latest invitation among them (from a
// signed-in inviter) becomes an invitation. Idempotent; runs from sign-in linking and from
// user.registered — whichever comes second finds both facts.
import { sql } from 'kysely';
import type { Db } from '../../platform/db/types.ts';
import type { TouchService } from './touch-service.ts';
import { userVisitor } from './visitors.ts';
import './tables.ts';

/**
 * Both paths take this lock first: without it, the link and the registration committing at once
 * would each miss the other's row (on PostgreSQL) and the sign-up would never be recorded.
 */
export async function lockUser(db: Db, userId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`growth:user:${userId}`}, 0))`.execute(db);
}

export async function registered(db: Db, touches: TouchService, userId: number, at: Date): Promise<void> {
  await lockUser(db, userId);
  await db
    .insertInto('growth_registrations')
    .values({ user_id: userId, registered_at: at })
    .onConflict((oc) => oc.doNothing())
    .execute();
  await signups(db, touches, userId);
}

export async function signups(db: Db, touches: TouchService, userId: number): Promise<void> {
  const reg = await db
    .selectFrom('growth_registrations')
    .select('registered_at')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!reg) return;
  const registeredAt = new Date(reg.registered_at);
  const before = await db
    .selectFrom('growth_touches')
    .select(['share_id', 'merchant_id'])
    .where('visitor_user_id', '=', userId)
    .where('kind', '!=', 'signup')
    .where('first_at', '<=', registeredAt)
    .orderBy('first_at', 'desc')
    .execute();
  if (before.length === 0) return;
  const shares = await touches.facts(
    db,
    before.map((t) => t.share_id),
  );
  const done = new Set<number>();
  const invited = new Set<number>();
  for (const t of before) {
    const share = shares.get(t.share_id)!;
    if (!done.has(t.merchant_id)) {
      done.add(t.merchant_id);
      await touches.record(db, share, userVisitor(userId), 'signup', null, registeredAt);
    }
    const inviter = share.sharer_user_id;
    if (share.target_kind !== 'invite' || !inviter || inviter === userId || invited.has(t.merchant_id)) continue;
    invited.add(t.merchant_id);
    await db
      .insertInto('growth_invitations')
      .values({ merchant_id: t.merchant_id, inviter_user_id: inviter, invitee_user_id: userId, share_id: share.id })
      .onConflict((oc) => oc.columns(['merchant_id', 'invitee_user_id']).doNothing())
      .execute();
  }
}
