// Proof for "every id a request carries is checked against the tenant": the sweep (sweep.ts) runs
// every operation of the live OpenAPI document as shop A and shopper A with shop B's and shopper
// B's ids, and no answer, row or reference may show a breach. A new route is swept the day it is
// added: the operations, their id slots and who may call them all come from the document.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../backends.ts';
import { startNode, type TestNode } from '../harness.ts';
import { sweep, type SweepResult } from './sweep.ts';
import { TenantRows } from './tenant-rows.ts';
import { buildTenant, type Tenant } from './world.ts';

describe.each(APP_BACKENDS)('tenancy sweep on $name', (backend) => {
  let node: TestNode;
  let A: Tenant;
  let B: Tenant;
  let rows: TenantRows;
  let result: SweepResult;

  beforeAll(async () => {
    // No background workers: the sweep delivers events itself after each request, so any change
    // an event handler makes is pinned on the request that caused it.
    node = await startNode({ db: backend.db, cache: backend.cache, config: { workers: false, paymentsSandbox: true } });
    const categoryId = await node.app.ctx.services.categories.ensurePath(node.app.ctx.db, ['租户扫描', '类目']);
    A = await buildTenant(node, 'A', '135000001', categoryId);
    B = await buildTenant(node, 'B', '135000002', categoryId);
    rows = await TenantRows.open(node.app.ctx.db, node.app.ctx.dbKind);
  }, 180_000);
  afterAll(async () => {
    await node?.close();
  });

  it("starts from a world where no shop points at another shop's things", async () => {
    expect(await rows.crossRefs()).toEqual([]);
    const bUsers = [B.owner.userId, B.staff.userId, B.shopper.userId];
    expect(await rows.markerCopies(B.priv, B.merchantId, bUsers)).toEqual([]);
    expect((await rows.snapshot(B.merchantId, bUsers)).get('orders')?.length).toBeGreaterThan(0);
  });

  it("lets no operation read, change or point at another tenant's data", async () => {
    const started = Date.now();
    const doc = (await node.api('GET', '/openapi.json')).body;
    result = await sweep(node, doc, A, B, rows);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    // TENANCY_SWEEP_LOG=file keeps every attempt with its answer, to see which check refused what.
    const log = process.env.TENANCY_SWEEP_LOG;
    if (log) fs.writeFileSync(log, result.attempts.map((a) => `${a.status} ${a.code ?? ''} | ${a.label}`).join('\n'));
    const kinds = Object.entries(result.byKind)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
    process.stdout.write(
      [
        `tenancy sweep (${backend.name}): ${result.operations} operations (${kinds}),` +
          ` ${result.attempts.length} attempts in ${seconds} s: ${result.breaches.length} breaches,` +
          ` ${result.errors.length} server errors; ${result.baselineAccepted.length} accepted A's own ids`,
        ...result.breaches.map((b) => `  BREACH ${b.label} -> ${b.status}: ${b.what}`),
        ...result.errors.map((e) => `  5xx ${e.label} -> ${e.status} ${e.code ?? ''}`),
        '',
      ].join('\n'),
    );
    expect(result.breaches).toEqual([]);
    expect(result.errors).toEqual([]);
  }, 600_000);

  it("reaches the services: every generated request passes its schema, most are accepted with A's own ids", () => {
    expect(result.operations).toBeGreaterThan(150);
    // A VALIDATION_FAILED answer to A's own ids means the generator, not a tenancy check, refused it.
    expect(result.baselineRefused.filter((r) => r.code === 'VALIDATION_FAILED')).toEqual([]);
    expect(result.baselineAccepted.length).toBeGreaterThan(result.operations * 0.6);
  });
});
