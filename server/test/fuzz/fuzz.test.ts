// Proof for "bad input is a 4xx, never a 500": every operation of the live OpenAPI document (the
// tenancy sweep's walk, test/tenancy/requests.ts) gets FUZZ_RUNS requests generated from its
// schemas with fast-check (requests.ts, values.ts): schema-valid ones with the fuzz shop's real ids,
// ones with wrong types, values just past the bounds, NUL, huge numbers, long text, unknown and
// missing fields, and broken bodies, and the tenancy sweep's accepted request for the operation
// with one field swapped for such a value (it reaches deep into the service). They are sent
// anonymously, with a broken token, as a shopper, the owner of a shop with data (products, rooms,
// deals, orders) and a platform admin, so many get past the guard into the services. No answer
// may be a 5xx, every refusal is in the one error shape ({ error: { code, message } },
// src/platform/errors.ts) with a code the server is known to emit, the node still answers /health
// and it logged no unhandled error. A new route is fuzzed the day it is added. The run prints its
// seed, the operations covered and the requests sent.
//
// FUZZ_SEED replays a run (the seed is printed); FUZZ_RUNS sets the requests per operation
// (DEFAULT_RUNS); FUZZ_CONCURRENCY how many are in flight at once (4); FUZZ_LOG=file writes one line
// per operation with its answers by code.
//
// Skipped: none. HEAD (Fastify answers it for every GET) is not in the document and not fuzzed.
// Held to a looser rule: POST /api/payments/notify/{provider} answers in the provider's protocol
// (WeChat Pay's {code:"FAIL"}, Alipay's "fail"), so only "never a 5xx" applies (run.ts).
// Destructive operations are fuzzed too, and the world is put back after each operation instead
// (repair below): the callers' tokens are issued again (a logout or a password change may have
// ended them), an account a platform admin disabled is enabled again, the fuzz shop is made active
// again and its owner and staff get their roles back (random ids hit the fuzz's own people and
// shop, not only the spare ones).
import fs from 'node:fs';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.ts';
import { APP_BACKENDS } from '../backends.ts';
import { DYNAMIC_SITES, scanErrorCodes } from '../error-codes.ts';
import { makeMerchant, startNode, type TestNode } from '../harness.ts';
import { isIdKind, valuesOf } from '../tenancy/ids.ts';
import { buildRequest, findSlots, operations, PATH_HINTS, slotKey } from '../tenancy/requests.ts';
import { phase } from '../tenancy/sweep.ts';
import { buildTenant, type Tenant } from '../tenancy/world.ts';
import type { Known } from './requests.ts';
import { fuzzOperation, type Finding, type FuzzWorld } from './run.ts';

const DEFAULT_RUNS = 100;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000_000);
const RUNS = Number(process.env.FUZZ_RUNS ?? DEFAULT_RUNS);
/** Requests of one operation in flight at once: races (two defaults, a limit read then written) show on PostgreSQL. */
const CONCURRENCY = Number(process.env.FUZZ_CONCURRENCY ?? 4);
if (![SEED, RUNS, CONCURRENCY].every(Number.isSafeInteger) || RUNS < 1 || CONCURRENCY < 1) {
  throw new Error(`FUZZ_SEED, FUZZ_RUNS and FUZZ_CONCURRENCY are whole numbers: ${SEED}, ${RUNS}, ${CONCURRENCY}`);
}

/**
 * The shop's real ids by the names the schemas use (the tenancy sweep's kinds, test/tenancy/ids.ts).
 * Platform routes get a spare shop and user: suspending or disabling is tried on them, not on the
 * fuzz's own callers. A phone is the shopper's, so sign-in and reset routes meet a real account.
 */
function knownValues(t: Tenant, spare: { merchantId: number; userId: number }): Known {
  return (op, name, parent) => {
    if (op.path.startsWith('/api/platform/') && name === 'merchantId') return [spare.merchantId];
    if (op.path.startsWith('/api/platform/') && name === 'userId') return [spare.userId];
    if (name === 'phone') return [t.shopper.phone];
    if (parent !== 'query' && PATH_HINTS[name]) return [PATH_HINTS[name]];
    const key = slotKey(parent, name, isIdKind);
    return key ? valuesOf(key, t) : undefined;
  };
}

describe.each(APP_BACKENDS)('schema-driven fuzz on $name', (backend) => {
  let node: TestNode;
  let world: FuzzWorld;
  const report = {
    operations: 0,
    requests: 0,
    byStatus: {} as Record<string, number>,
    findings: [] as Finding[],
    reached: [] as string[],
  };
  const logged: Array<{ level: number; msg?: string; err?: unknown }> = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        try {
          logged.push(JSON.parse(line));
        } catch {
          logged.push({ level: 60, msg: line });
        }
      }
      done();
    },
  });
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => {
    unhandled.push(err);
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    const log = createLogger({ logLevel: 'warn', logPretty: false, nodeId: 'fuzz' }, sink);
    node = await startNode({
      db: backend.db,
      cache: backend.cache,
      log,
      config: { paymentsSandbox: true, rateLimits: { enabled: false, overrides: {} } },
    });
    const categoryId = await node.app.ctx.services.categories.ensurePath(node.app.ctx.db, ['模糊测试', '类目']);
    const shop = await buildTenant(node, 'A', '136000001', categoryId);
    const spare = await makeMerchant(node, '备用小店', '13600000299');
    const people = { shopper: shop.shopper, owner: shop.owner, admin: { phone: '13700000000' } };
    const tokens: Record<string, string> = {};
    const userIds = [shop.shopper.userId, shop.owner.userId, shop.staff.userId];
    const repair = async () => {
      const db = node.app.ctx.db;
      const disabled = await db
        .selectFrom('users')
        .select('id')
        .where('status', '=', 'disabled')
        .where((w) => w.or([w('id', 'in', userIds), w('is_platform_admin', '=', true)]))
        .execute();
      for (const u of disabled) await node.app.ctx.services.auth.setUserStatus(u.id, 'active');
      await db
        .updateTable('merchants')
        .set({ status: 'active' })
        .where('id', '=', shop.merchantId)
        .where('status', '!=', 'active')
        .execute();
      node.app.ctx.services.merchants.forgetShownStatus(db, [shop.merchantId]);
      const roles = [
        [shop.owner.userId, 'merchant_owner'],
        [shop.staff.userId, 'merchant_staff'],
      ] as const;
      for (const [userId, role] of roles) {
        await db
          .insertInto('merchant_members')
          .values({ merchant_id: shop.merchantId, user_id: userId, role })
          .onConflict((oc) => oc.columns(['merchant_id', 'user_id']).doUpdateSet({ role }))
          .execute();
      }
      for (const [who, p] of Object.entries(people)) tokens[who] = (await node.userToken(p.phone)).token;
    };
    await repair();
    const doc = (await node.api('GET', '/openapi.json')).body;
    world = {
      known: knownValues(shop, { merchantId: spare.merchantId, userId: spare.owner.userId }),
      baseline: (op) => buildRequest(doc, op, findSlots(doc, op, isIdKind), (slot) => valuesOf(slot.key, shop)[0]),
      tokens: {
        shopper: async () => tokens.shopper!,
        owner: async () => tokens.owner!,
        admin: async () => tokens.admin!,
      },
      refresh: repair,
    };
  }, 180_000);
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await node?.close();
  });

  it('answers every generated request without a 5xx, in the standard error shape', async () => {
    const started = Date.now();
    const doc = (await node.api('GET', '/openapi.json')).body;
    const ops = operations(doc).sort((a, b) => phase(a) - phase(b));
    const knownCodes = new Set([
      ...scanErrorCodes().codes.keys(),
      ...Object.values(DYNAMIC_SITES).flatMap((s) => s.codes),
    ]);
    for (const [i, op] of ops.entries()) {
      const opStarted = Date.now();
      // One seed per operation, derived from the run's: a finding replays with FUZZ_SEED alone.
      const r = await fuzzOperation(node, doc, op, world, {
        seed: SEED + i * 7919,
        runs: RUNS,
        knownCodes,
        concurrency: CONCURRENCY,
      });
      report.operations++;
      report.requests += r.requests;
      for (const [k, v] of Object.entries(r.byStatus)) report.byStatus[k] = (report.byStatus[k] ?? 0) + v;
      report.findings.push(...r.findings);
      if (r.reached) report.reached.push(`${op.method} ${op.path}`);
      await world.refresh();
      if (process.env.FUZZ_LOG) {
        const codes = Object.entries(r.byCode)
          .sort((a, b) => b[1] - a[1])
          .map(([c, n]) => `${n}×${c}`)
          .join(', ');
        fs.appendFileSync(
          process.env.FUZZ_LOG,
          `${backend.name} ${Date.now() - opStarted} ms ${op.method} ${op.path}` +
            ` ${JSON.stringify(r.byStatus)} ${r.findings.length} findings | ${codes}\n`,
        );
      }
    }
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const statuses = Object.entries(report.byStatus)
      .sort()
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    process.stdout.write(
      [
        `fuzz (${backend.name}): seed ${SEED} (FUZZ_SEED), ${report.operations} of ${ops.length} operations covered,` +
          ` ${report.requests} requests (${RUNS} each, FUZZ_RUNS) in ${seconds} s: ${statuses};` +
          ` ${report.reached.length} operations answered 2xx; ${report.findings.length} findings`,
        ...report.findings
          .slice(0, 40)
          .map(
            (f) =>
              `  ${f.status} ${f.code ?? ''} ${f.op} <- ${f.request.caller}` +
              ` ${f.request.shape} ${f.request.url.slice(0, 160)} ${String(f.request.body ?? '').slice(0, 200)}` +
              `: ${f.what}`,
          ),
        '',
      ].join('\n'),
    );
    expect(report.findings.map((f) => `${f.status} ${f.code ?? ''} ${f.op}: ${f.what}`)).toEqual([]);
  }, 900_000);

  it('reaches the services: most operations accept some of what it sends', () => {
    expect(report.operations).toBeGreaterThan(150);
    expect(report.reached.length).toBeGreaterThan(report.operations * 0.7);
  });

  it('is healthy afterwards and logged no unhandled error', async () => {
    const health = await node.api('GET', '/health');
    expect([health.status, health.body?.status]).toEqual([200, 'up']);
    const errors = logged
      .filter((l) => l.level >= 50)
      .map((l) => `${l.msg}: ${JSON.stringify(l.err ?? '').slice(0, 300)}`);
    expect(errors).toEqual([]);
    expect(unhandled).toEqual([]);
  });
});
