// Two complete tenants for the tenancy sweep: a shop (owner, staff) and a shopper each, with one
// of every resource the API has, made through the API where one exists. Every text a tenant
// writes carries its markers: `pub` in what any shopper may see, `priv` in what only the shop or
// the shopper may see, so an answer that leaks another tenant's data can be recognised.
import crypto from 'node:crypto';
import type { Actor } from '../../src/platform/auth/access.ts';
import { settle } from '../../src/modules/aftersales/test-support.ts';
import { makeMerchant, type TestNode } from '../harness.ts';
import { payWithSandbox } from '../order-fixtures.ts';
import { distributionWorld } from './world-distribution.ts';
import { growthWorld } from './world-growth.ts';
import { supportWorld } from './world-support.ts';
import { supportTicketsWorld } from './world-support-tickets.ts';

export interface Person {
  token: string;
  userId: number;
  phone: string;
}

export interface Tenant {
  tag: 'A' | 'B';
  /** Marker in this tenant's public texts (shop name, listed products and rooms, running deals). */
  pub: string;
  /** Marker in its private texts; `secrets` adds values that must never reach anyone else. */
  priv: string;
  secrets: string[];
  merchantId: number;
  owner: Person;
  staff: Person;
  shopper: Person;
  /** Every id this tenant owns, by resource. */
  ids: Record<string, number | string>;
}

type Call = (method: string, path: string, who: Person, body?: unknown) => Promise<any>;
const soon = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Deliver every due outbox event and job now; the node's own workers may hold one (leased) while they
 * deliver it, which these passes skip, so then wait until nothing due is left in anyone's hands.
 */
export async function drain(node: TestNode): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const n = (await node.app.ctx.events.dispatchOnce()) + (await node.app.ctx.jobs.runDue());
    if (n === 0) break;
  }
  await settle(node, 30_000);
}

export async function buildTenant(
  node: TestNode,
  tag: 'A' | 'B',
  phoneBase: string,
  categoryId: number,
): Promise<Tenant> {
  const rand = crypto.randomBytes(4).toString('hex');
  const t: Tenant = {
    tag,
    pub: `pub${tag}${rand}`,
    priv: `priv${tag}${rand}`,
    secrets: [],
    merchantId: 0,
    owner: undefined as never,
    staff: undefined as never,
    shopper: undefined as never,
    ids: {},
  };
  const call: Call = async (method, path, who, body) => {
    const r = await node.api(method, path, { token: who.token, ...(body === undefined ? {} : { body }) });
    if (r.status >= 300) throw new Error(`world ${tag}: ${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const m = await makeMerchant(node, `店${t.pub}`, `${phoneBase}01`);
  t.merchantId = m.merchantId;
  t.owner = { ...m.owner, phone: `${phoneBase}01` };
  t.staff = { ...(await node.userToken(`${phoneBase}02`)), phone: `${phoneBase}02` };
  t.shopper = { ...(await node.userToken(`${phoneBase}03`)), phone: `${phoneBase}03` };
  await node.app.ctx.db
    .updateTable('users')
    .set({ nickname: `昵称${t.pub}` })
    .where('id', '=', t.shopper.userId)
    .execute();
  await call('POST', `/api/merchants/${t.merchantId}/staff`, t.owner, { phone: t.staff.phone, role: 'merchant_staff' });
  Object.assign(t.ids, {
    merchantId: t.merchantId,
    ownerUserId: t.owner.userId,
    staffUserId: t.staff.userId,
    shopperUserId: t.shopper.userId,
  });
  t.secrets.push(t.shopper.phone, t.staff.phone);

  await catalog(node, t, call, categoryId);
  await rooms(node, t, call);
  await marketing(node, t, call);
  await inRooms(node, t, call);
  await shopper(node, t, call);
  await distributionWorld(node, t, call);
  await growthWorld(t, call);
  await supportWorld(t, call);
  await supportTicketsWorld(t, call);
  await drain(node);
  const missing = Object.entries(t.ids)
    .filter(([, v]) => v === undefined || v === null)
    .map(([k]) => k);
  if (missing.length) throw new Error(`world ${tag}: no id for ${missing.join(', ')}`);
  return t;
}

async function catalog(node: TestNode, t: Tenant, call: Call, categoryId: number) {
  const base = `/api/merchants/${t.merchantId}`;
  const product = await call('POST', `${base}/products`, t.owner, {
    title: `商品${t.pub}`,
    categoryId,
    status: 'on_shelf',
    tags: [`标签${t.pub}`],
    specs: [],
    skus: [{ specValues: [], priceFen: 10_000, stock: 1_000, weightGrams: 100, code: `SKU${t.pub}` }],
  });
  const draft = await call('POST', `${base}/products`, t.owner, {
    title: `草稿${t.priv}`,
    status: 'draft',
    specs: [],
    skus: [{ specValues: [], priceFen: 5_000, stock: 10 }],
  });
  Object.assign(t.ids, {
    productId: product.id,
    skuId: product.skus[0].id,
    tagId: product.tags[0].id,
    draftProductId: draft.id,
    draftSkuId: draft.skus[0].id,
  });
  t.ids.warehouseId = (await call('POST', `${base}/warehouses`, t.owner, { name: `仓库${t.priv}`, region: t.priv })).id;
  await call('POST', `${base}/stock/adjust`, t.owner, {
    skuId: t.ids.skuId,
    warehouseId: t.ids.warehouseId,
    delta: 50,
    note: t.priv,
  });
  t.ids.shippingTemplateId = (
    await call('POST', `${base}/shipping-templates`, t.owner, {
      name: `运费${t.priv}`,
      chargeBy: 'pieces',
      isDefault: true,
      rules: [{ regions: ['*'], firstUnits: 1, firstFeeFen: 0, extraUnits: 1, extraFeeFen: 0 }],
    })
  ).id;
  // Imports upload a CSV (multipart): started through the service the route calls.
  const actor: Actor = { userId: t.owner.userId, sessionId: 'tenancy-world', isPlatformAdmin: false };
  t.ids.importId = await node.app.ctx.services.productImports.start(actor, t.merchantId, {
    filename: `${t.priv}.csv`,
    body: Buffer.from(`not,a,valid,import\n${t.priv}\n`),
  });
  // A search synonym group (the console's search words page).
  const synonyms = { words: [`同义${t.pub}`, `近义${t.pub}`] };
  t.ids.synonymId = (await call('POST', `/api/merchants/${t.merchantId}/search/synonyms`, t.owner, synonyms)).id;
}

async function rooms(node: TestNode, t: Tenant, call: Call) {
  const base = `/api/merchants/${t.merchantId}`;
  const bag = [t.ids.productId];
  t.ids.roomId = (await call('POST', `${base}/rooms`, t.owner, { title: `直播${t.pub}`, productIds: bag })).id;
  const hidden = { title: `私密${t.priv}`, visibility: 'private', productIds: bag };
  t.ids.privateRoomId = (await call('POST', `${base}/rooms`, t.owner, hidden)).id;
  await call('PUT', `${base}/rooms/${t.ids.roomId}/pin`, t.owner, { productId: t.ids.productId });
  const invite = await call('POST', `${base}/rooms/${t.ids.privateRoomId}/invite`, t.owner, { note: `邀请${t.priv}` });
  t.ids.inviteId = invite.inviteId;
  t.secrets.push(invite.token);
  for (const [room, session] of [
    ['roomId', 'liveSessionId'],
    ['privateRoomId', 'privateLiveSessionId'],
  ] as const) {
    t.secrets.push((await call('GET', `${base}/rooms/${t.ids[room]}/push`, t.owner)).streamKey);
    t.ids[session] = await node.app.ctx.services.live.goLive(Number(t.ids[room]));
  }
  // Chat arrives over the socket: written here as the gateway writes it.
  const db = node.app.ctx.db;
  const messages = [
    ['messageId', t.ids.roomId, 'visible'],
    ['heldMessageId', t.ids.roomId, 'held'],
    ['privateMessageId', t.ids.privateRoomId, 'visible'],
  ] as const;
  for (const [key, roomId, status] of messages) {
    t.ids[key] = (
      await db
        .insertInto('chat_messages')
        .values({
          room_id: Number(roomId),
          merchant_id: t.merchantId,
          user_id: t.shopper.userId,
          nickname: `昵称${t.pub}`,
          text: `聊天${t.priv}`,
          original_text: `聊天${t.priv}`,
          status,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }
  await db
    .insertInto('chat_reports')
    .values({
      room_id: Number(t.ids.roomId),
      merchant_id: t.merchantId,
      message_seq: 1,
      reporter_id: t.shopper.userId,
      reason: `举报${t.priv}`,
    })
    .execute();
  t.ids.sanctionId = (
    await call('POST', `${base}/rooms/${t.ids.roomId}/sanctions`, t.owner, {
      userId: t.staff.userId,
      kind: 'mute',
      minutes: 5,
      reason: `禁言${t.priv}`,
    })
  ).id;
  const words = await call('POST', `${base}/sensitive-words`, t.owner, {
    words: [{ word: `敏感${t.priv}`, action: 'mask' }],
  });
  t.ids.wordId = words.find((w: { word: string }) => w.word.includes(t.priv)).id;
}

async function marketing(_node: TestNode, t: Tenant, call: Call) {
  const base = `/api/merchants/${t.merchantId}`;
  const window = { startsAt: soon(-60_000), endsAt: soon(86_400_000) };
  t.ids.couponTemplateId = (
    await call('POST', `${base}/coupons`, t.owner, {
      title: `券${t.pub}`,
      kind: 'fixed',
      amountFen: 100,
      validDays: 7,
      totalQuantity: 1_000,
      perUserLimit: 5,
      channels: ['claim_centre', 'room_drop', 'lucky_bag', 'staff_issue'],
    })
  ).id;
  t.ids.couponId = (await call('POST', `/api/coupons/${t.ids.couponTemplateId}/claim`, t.shopper)).couponId;
  t.ids.promotionId = (
    await call('POST', `${base}/promotions`, t.owner, {
      kind: 'full_reduction',
      title: `满减${t.pub}`,
      ...window,
      terms: { tiers: [{ thresholdFen: 100_000, amountOffFen: 100 }] },
    })
  ).id;
  const flash = await call('POST', `${base}/flash-sales`, t.owner, {
    title: `秒杀${t.pub}`,
    roomId: t.ids.roomId,
    ...window,
    items: [{ skuId: t.ids.skuId, flashPriceFen: 5_000, stock: 100, perUserLimit: 5 }],
  });
  Object.assign(t.ids, { flashSessionId: flash.id, flashItemId: flash.items[0].id });
  t.ids.dealId = (
    await call('POST', `${base}/group-buys`, t.owner, {
      skuId: t.ids.skuId,
      title: `拼团${t.pub}`,
      groupPriceFen: 6_000,
      groupSize: 50,
      expireMinutes: 600,
      ...window,
    })
  ).id;
  t.ids.campaignId = (
    await call('POST', `${base}/bargains`, t.owner, {
      skuId: t.ids.skuId,
      title: `砍价${t.pub}`,
      floorPriceFen: 1_000,
      helpsNeeded: 50,
      expireHours: 24,
      ...window,
    })
  ).id;
  t.ids.bargainId = (await call('POST', `/api/bargains/campaigns/${t.ids.campaignId}/start`, t.shopper)).id;
}

async function inRooms(node: TestNode, t: Tenant, call: Call) {
  const base = `/api/merchants/${t.merchantId}`;
  const bags = [
    ['bagId', t.ids.roomId, t.pub],
    ['privateBagId', t.ids.privateRoomId, t.priv],
  ] as const;
  for (const [key, roomId, marker] of bags) {
    const bag = await call('POST', `${base}/rooms/${roomId}/lucky-bags`, t.owner, {
      title: `福袋${marker}`,
      prize: { kind: 'coupon', description: `奖品${marker}`, couponId: t.ids.couponTemplateId },
      winners: 1,
      condition: { kind: 'follow' },
      minutes: 60,
    });
    t.ids[key] = bag.bagId;
    // The draw seed is secret until the draw.
    const row = await node.app.ctx.db
      .selectFrom('lucky_bags')
      .select('seed')
      .where('id', '=', bag.bagId)
      .executeTakeFirstOrThrow();
    t.secrets.push(row.seed);
  }
  for (const [key, roomId] of [
    ['dropId', t.ids.roomId],
    ['privateDropId', t.ids.privateRoomId],
  ] as const) {
    const drop = { templateId: t.ids.couponTemplateId, quantity: 100, minutes: 60 };
    t.ids[key] = (await call('POST', `${base}/rooms/${roomId}/coupon-drops`, t.owner, drop)).dropId;
  }
  const rule = await call('POST', `${base}/alert-rules`, t.owner, {
    name: `告警${t.priv}`,
    metric: 'online_below',
    threshold: 1,
    roomId: t.ids.roomId,
  });
  t.ids.ruleId = rule.id;
  // Alerts fire from the analytics tick: one written as it would.
  t.ids.alertId = (
    await node.app.ctx.db
      .insertInto('analytics_alerts')
      .values({
        rule_id: rule.id,
        merchant_id: t.merchantId,
        room_id: Number(t.ids.roomId),
        value: 1,
        message: `告警${t.priv}`,
        fired_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  const experiment = await call('POST', `${base}/experiments`, t.owner, {
    key: `exp${t.pub}`,
    name: `实验${t.priv}`,
    goal: 'order',
    variants: [
      { key: 'control', weight: 1 },
      { key: `v${t.pub}`, weight: 1 },
    ],
  });
  Object.assign(t.ids, { experimentId: experiment.id, experimentKey: experiment.key });
  t.ids.runId = (await call('POST', `${base}/reconciliation/runs`, t.owner, {})).run.id;
}

async function shopper(node: TestNode, t: Tenant, call: Call) {
  const me = t.shopper;
  t.ids.addressId = (
    await call('POST', '/api/me/addresses', me, {
      name: `收件${t.priv}`,
      phone: me.phone,
      province: '广东省',
      city: '深圳市',
      district: '南山区',
      detail: `地址${t.priv}`,
    })
  ).id;
  await call('PUT', `/api/me/favourites/${t.ids.productId}`, me);
  await call('PUT', `/api/me/follows/${t.merchantId}`, me);
  await call('POST', '/api/cart/items', me, { skuId: t.ids.skuId, quantity: 1 });
  const place = (key: string, extra: Record<string, unknown> = {}) =>
    call('POST', '/api/orders', me, {
      idempotencyKey: `${key}-${t.priv}`,
      items: [{ skuId: t.ids.skuId, quantity: 1 }],
      addressId: t.ids.addressId,
      couponIds: [],
      buyerNote: `留言${t.priv}`,
      roomId: t.ids.roomId,
      ...extra,
    });
  const paid = await place('paid');
  Object.assign(t.ids, { orderId: paid.orders[0].orderId, paymentNo: paid.payment.paymentNo });
  const outcome = await payWithSandbox(node, paid.payment.cashierUrl, 'succeeded');
  if (outcome !== 'succeeded') throw new Error(`world ${t.tag}: payment ${outcome}`);
  await drain(node);
  t.ids.lineId = (await call('GET', `/api/orders/${t.ids.orderId}`, me)).lines[0].id;
  t.ids.aftersaleId = (
    await call('POST', `/api/orders/${t.ids.orderId}/aftersales`, me, {
      type: 'refund_only',
      reason: `退款${t.priv}`,
      description: t.priv,
      lines: [{ lineId: t.ids.lineId, quantity: 1 }],
    })
  ).id;
  const unpaid = await place('unpaid');
  Object.assign(t.ids, { unpaidOrderId: unpaid.orders[0].orderId, unpaidPaymentNo: unpaid.payment.paymentNo });
  t.secrets.push(paid.payment.paymentNo, unpaid.payment.paymentNo);
  const group = await place('group', { groupBuy: { dealId: t.ids.dealId }, roomId: null });
  t.ids.groupOrderId = group.orders[0].orderId;
  t.ids.groupId = (
    await node.app.ctx.db
      .selectFrom('group_buy_members')
      .select('group_id')
      .where('order_id', '=', Number(t.ids.groupOrderId))
      .executeTakeFirstOrThrow()
  ).group_id;
  t.ids.topupId = (await call('POST', '/api/me/wallet/topups', me, { coins: 10 })).topupId;
}
