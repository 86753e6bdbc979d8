// Shared by growth's tests: shares and visits through the HTTP API, sign-up through the real
// register route, and the growth events in the outbox.
import type { TestNode } from '../../../test/harness.ts';

let deviceSeq = 0;
/** A fresh visitor key like the shop's device id. */
export const newDevice = () => `dtest${Date.now().toString(36)}${(deviceSeq++).toString(36)}x`;

export async function share(
  node: TestNode,
  who: { token?: string; visitorKey?: string },
  targetKind: string,
  targetId: number,
  extra: Record<string, unknown> = {},
) {
  const r = await node.api('POST', '/api/shares', {
    ...(who.token ? { token: who.token } : {}),
    body: { targetKind, targetId, ...(who.visitorKey ? { visitorKey: who.visitorKey } : {}), ...extra },
  });
  if (r.status !== 201) throw new Error(`share: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { id: number; token: string; depth: number; parentShareId: number | null; url: string };
}

export async function visit(
  node: TestNode,
  token: string,
  who: { token?: string; visitorKey?: string },
  roomId?: number,
) {
  const r = await node.api('POST', `/api/shares/${token}/visits`, {
    ...(who.token ? { token: who.token } : {}),
    body: { ...(who.visitorKey ? { visitorKey: who.visitorKey } : {}), ...(roomId ? { roomId } : {}) },
  });
  if (r.status !== 200) throw new Error(`visit: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { recorded: boolean; self: boolean; kind: string };
}

/** Register through the real route (so identity emits user.registered), then link the device. */
export async function signUp(node: TestNode, phone: string, visitorKey: string) {
  const r = await node.api('POST', '/api/auth/register', {
    body: { phone, password: 'Fission-2026-ok', nickname: `新客${phone.slice(-4)}` },
  });
  if (r.status !== 201 && r.status !== 200) throw new Error(`register: ${r.status} ${JSON.stringify(r.body)}`);
  const token = r.body.tokens.accessToken as string;
  const linked = await node.api('POST', '/api/me/share-visitor', { token, body: { visitorKey } });
  if (linked.status !== 200) throw new Error(`link: ${JSON.stringify(linked.body)}`);
  return { token, userId: r.body.user.id as number, linked: linked.body.linked as number };
}

export async function growthEvents(node: TestNode, type: 'share.touched' | 'share.order_attributed') {
  const rows = await node.app.ctx.db
    .selectFrom('outbox_events')
    .select('payload')
    .where('type', '=', type)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.payload as Record<string, unknown>);
}
