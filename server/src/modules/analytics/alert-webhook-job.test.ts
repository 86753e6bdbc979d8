// An alert's webhook is posted by a durable job that the outbox handler books, never by the
// handler itself: the event is done at once even while the receiver is down, the job retries with
// backoff until it answers 2xx, every attempt carries the same event id and Idempotency-Key, and an
// event delivered twice still posts once.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { makeShop, type ShopFixture } from '../../../test/commerce-fixtures.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { until } from '../../../test/order-fixtures.ts';
import { ANALYTICS_TEST_CONFIG } from './test-support.ts';

interface Hit {
  key: string | undefined;
  body: { eventId: number; alert: { id: number; message: string } };
}

describe.each(APP_BACKENDS)('alert webhooks as jobs on $name', (backend) => {
  let node: TestNode;
  let shop: ShopFixture;
  let receiver: http.Server;
  let webhookUrl = '';
  let failuresLeft = 0;
  const hits: Hit[] = [];
  const refused: Array<string | undefined> = [];

  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache, config: ANALYTICS_TEST_CONFIG });
    shop = await makeShop(node, '回调小店', '13800009301');
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        const key = req.headers['idempotency-key'] as string | undefined;
        if (failuresLeft > 0) {
          failuresLeft--;
          refused.push(key);
          res.writeHead(503).end();
          return;
        }
        hits.push({ key, body: JSON.parse(body) });
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;
  });
  afterAll(async () => {
    await node?.close();
    await new Promise((r) => receiver?.close(r));
  });
  beforeEach(() => {
    hits.length = 0;
    refused.length = 0;
    failuresLeft = 0;
  });

  async function saveRule(): Promise<number> {
    const r = await node.api('POST', `/api/merchants/${shop.merchantId}/alert-rules`, {
      token: shop.owner.token,
      body: { name: '回调', metric: 'online_below', threshold: 1, webhookUrl },
    });
    expect(r.status).toBe(201);
    return r.body.id;
  }

  async function fire(ruleId: number, alertId: number): Promise<number> {
    const ctx = node.app.ctx;
    return ctx.db.transaction().execute((trx) =>
      ctx.events.emit(trx, {
        type: 'analytics.alert_fired',
        aggregateType: 'merchant',
        aggregateId: shop.merchantId,
        payload: {
          id: alertId,
          ruleId,
          merchantId: shop.merchantId,
          roomId: 1,
          metric: 'online_below',
          value: 0,
          threshold: 1,
          message: `alert ${alertId}`,
          firedAt: new Date().toISOString(),
          ruleName: '回调',
          webhookUrl,
        },
      }),
    );
  }

  const job = (eventId: number) =>
    node.app.ctx.db
      .selectFrom('jobs')
      .select(['type', 'status', 'attempts', 'max_attempts', 'last_error'])
      .where('unique_key', '=', `alert-webhook:${eventId}`)
      .executeTakeFirst();
  const dispatched = async (eventId: number) =>
    Boolean(
      await node.app.ctx.db
        .selectFrom('outbox_events')
        .select('id')
        .where('id', '=', eventId)
        .where(sql<boolean>`dispatched_at is not null`)
        .executeTakeFirst(),
    );

  it('finishes the event at once and retries the post with backoff until the receiver answers', async () => {
    const ruleId = await saveRule();
    failuresLeft = 1;
    const started = Date.now();
    const eventId = await fire(ruleId, 101);
    await until(() => dispatched(eventId));
    await until(async () => hits.length === 1);
    // The first post was refused; the job came back after its backoff (about 2 s), not at once.
    expect(refused).toEqual([`analytics.alert:${eventId}`]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(hits[0]).toEqual({
      key: `analytics.alert:${eventId}`,
      body: expect.objectContaining({ eventId, alert: expect.objectContaining({ id: 101, message: 'alert 101' }) }),
    });
    await until(async () => (await job(eventId))?.status === 'done');
    expect(await job(eventId)).toMatchObject({ type: 'analytics.post_alert_webhook', attempts: 2, max_attempts: 12 });
    // The outbox was never failed by the receiver: its handler only booked the job.
    const row = await node.app.ctx.db
      .selectFrom('outbox_events')
      .select(['attempts', 'last_error'])
      .where('id', '=', eventId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ attempts: 0, last_error: null });
  });

  it('posts once when the same event is delivered again', async () => {
    const ruleId = await saveRule();
    const eventId = await fire(ruleId, 102);
    await until(async () => (await job(eventId))?.status === 'done');
    // Replay the event as a redelivery after a lost acknowledgement would.
    const db = node.app.ctx.db;
    await db.deleteFrom('processed_events').where('event_id', '=', eventId).execute();
    await db.updateTable('outbox_events').set({ dispatched_at: null }).where('id', '=', eventId).execute();
    node.app.ctx.events.wake();
    await until(() => dispatched(eventId));
    await new Promise((r) => setTimeout(r, 800));
    expect(hits.map((h) => h.body.eventId)).toEqual([eventId]);
    const jobs = await db
      .selectFrom('jobs')
      .select('id')
      .where('unique_key', '=', `alert-webhook:${eventId}`)
      .execute();
    expect(jobs).toHaveLength(1);
  });

  it('books no job for a rule without a webhook, and posts nothing once the rule is deleted', async () => {
    const noHook = await node.api('POST', `/api/merchants/${shop.merchantId}/alert-rules`, {
      token: shop.owner.token,
      body: { name: '无回调', metric: 'online_below', threshold: 1 },
    });
    const ctx = node.app.ctx;
    const quiet = await ctx.db.transaction().execute((trx) =>
      ctx.events.emit(trx, {
        type: 'analytics.alert_fired',
        aggregateType: 'merchant',
        aggregateId: shop.merchantId,
        payload: {
          id: 103,
          ruleId: noHook.body.id,
          merchantId: shop.merchantId,
          roomId: 1,
          metric: 'online_below',
          value: 0,
          threshold: 1,
          message: 'quiet',
          firedAt: new Date().toISOString(),
          ruleName: '无回调',
          webhookUrl: null,
        },
      }),
    );
    await until(() => dispatched(quiet));
    expect(await job(quiet)).toBeUndefined();

    const ruleId = await saveRule();
    await node.api('DELETE', `/api/merchants/${shop.merchantId}/alert-rules/${ruleId}`, { token: shop.owner.token });
    const gone = await fire(ruleId, 104);
    await until(async () => (await job(gone))?.status === 'done');
    expect(hits).toEqual([]);
  });
});
