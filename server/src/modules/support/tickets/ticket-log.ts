// A ticket's history (opened, answered, escalated, assigned, resolved, compensation), for the workbench.
import type { Db } from '../../../platform/db/types.ts';
import './tables.ts';

export async function ticketLog(db: Db, ticketId: number, kind: string, actorId: number | null, note = '') {
  await db.insertInto('support_ticket_log').values({ ticket_id: ticketId, kind, actor_id: actorId, note }).execute();
}
