// `npm run reconcile` for real, in its own process: clean books exit 0 with "All clean", a
// discrepancy exits 1 with the rows printed, a PGlite folder in use by a running node is refused
// with a clear message (exit 3) instead of being opened twice, and PostgreSQL is read while the
// node keeps running.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { addressFor } from '../../../test/order-fixtures.ts';
import { storefront } from './test-support.ts';

const root = path.resolve(import.meta.dirname, '../../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-reconcile-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function reconcileCli(env: Record<string, string>, args: string[] = []) {
  const r = spawnSync(path.join(root, 'node_modules/.bin/tsx'), ['server/src/modules/reconciliation/cli.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: '', NODE_ENV: 'test', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A shop with one unpaid order whose deadline passed without the timeout running: one real finding. */
async function stuckOrder(node: TestNode): Promise<number> {
  const s = await storefront(node, '命令行店', '13844400001', [{ title: '命令行货', priceFen: 800, stock: 5 }]);
  const buyer = await node.userToken('13944400001');
  const addr = await addressFor(node, buyer.token, '江苏省');
  const items = [{ skuId: s.products[0]!.skuId, quantity: 1 }];
  const body = { idempotencyKey: 'cli-stuck-1', items, addressId: addr.id, couponIds: [] };
  const placed = await node.api('POST', '/api/orders', { token: buyer.token, body });
  const orderId = placed.body.orders[0].orderId as number;
  await node.app.ctx.db
    .updateTable('orders')
    .set({ pay_deadline: new Date(Date.now() - 3600_000) })
    .where('id', '=', orderId)
    .execute();
  return orderId;
}

describe('npm run reconcile on a PGlite data folder', () => {
  const env = { DATA_DIR: dir };

  it('says there is nothing to reconcile in an empty folder', () => {
    const r = reconcileCli({ DATA_DIR: path.join(dir, 'nothing-here') });
    expect(r.code).toBe(3);
    expect(r.err).toContain('No LiveMall database');
  });

  it('exits 0 with "All clean" on books that agree, and 1 with every row when they do not', async () => {
    let node = await startNode({ pgliteDir: path.join(dir, 'pglite') });
    await node.close();
    const clean = reconcileCli(env);
    expect(clean.err).toContain('[1/');
    expect(clean.out).toContain('All clean');
    expect(clean.code).toBe(0);

    node = await startNode({ pgliteDir: path.join(dir, 'pglite') });
    const orderId = await stuckOrder(node);
    await node.close();
    const dirty = reconcileCli(env);
    expect(dirty.code).toBe(1);
    expect(dirty.out).toContain(`order:${orderId}`);
    expect(dirty.out).toContain('past its deadline');
    expect(dirty.out).toMatch(/"orderId":\s*\d+/);
    const json = reconcileCli(env, ['--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).discrepancies.map((d: { subject: string }) => d.subject)).toContain(`order:${orderId}`);
  }, 300_000);

  it('refuses, clearly, a folder a running node holds, and rejects bad arguments', async () => {
    const node = await startNode({ pgliteDir: path.join(dir, 'pglite') });
    try {
      const r = reconcileCli(env);
      expect(r.code).toBe(3);
      expect(r.err).toContain('PGlite is locked');
      expect(r.err).toContain(`pid ${process.pid}`);
      // The node it refused is unharmed.
      expect((await node.api('GET', '/health')).status).toBe(200);
    } finally {
      await node.close();
    }
    expect(reconcileCli(env, ['--day', '2026-02-30']).code).toBe(64);
    expect(reconcileCli(env, ['--merchant', 'abc']).code).toBe(64);
    expect(reconcileCli(env, ['--colour']).code).toBe(64);
  }, 300_000);
});

describe.skipIf(!process.env.DATABASE_URL)('npm run reconcile on PostgreSQL', () => {
  it('reads the database while the node keeps running', async () => {
    const db = await createPostgresDatabase();
    const node = await startNode({ databaseUrl: db.url });
    try {
      const orderId = await stuckOrder(node);
      const r = reconcileCli({ DATABASE_URL: db.url });
      expect(r.err).toContain('PostgreSQL');
      expect(r.code).toBe(1);
      expect(r.out).toContain(`order:${orderId}`);
      expect((await node.api('GET', '/health')).status).toBe(200);
    } finally {
      await node.close();
      await db.drop();
    }
  }, 120_000);
});
