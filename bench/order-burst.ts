// The "上链接" burst: the anchor pins a product with UNITS units and ORDERS taps on buy arrive within
// BURST_MS — ordinary orders (quote with the shopper's address and coupons, then place with the quote),
// not a flash sale. Prints orders/s, p50/p99 of placement, what the losers were told, whether anything was
// oversold, the reconciliation run's verdict, and (on PostgreSQL) pgbench's TPC-B-like TPS against the
// same server in the same run as the baseline.
//   npx tsx bench/order-burst.ts                                      (embedded PGlite)
//   DATABASE_URL=postgres://… REDIS_URL=redis://… npx tsx bench/order-burst.ts
//   BENCH_KILL=1 (PostgreSQL): a second node takes every other tap and is killed (SIGKILL) while its taps
//   are in flight (BURST_MS/2 after the first); the oversold check and the reconciliation then cover what
//   its cut-off transactions left.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { createPostgresDatabase } from '../server/test/backends.ts';
import { progress } from '../server/src/platform/progress.ts';
import { startLiveMall } from './lib/processes.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2000);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 3000);
const BUYERS = Number(process.env.BENCH_BUYERS ?? ORDERS); // one tap each, like viewers
const BURST_MS = Number(process.env.BENCH_BURST_MS ?? 2000);
const pg = process.env.DATABASE_URL;
const KILL = process.env.BENCH_KILL === '1' && Boolean(pg);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function call(url: string, init: RequestInit & { token?: string } = {}) {
  try {
    const res = await fetch(url, {
      ...init,
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
    });
    return { status: res.status, body: (await res.json()) as any };
  } catch (e) {
    // A refused or reset connection is an answer too (the tap failed): counted, not a crash of the bench.
    const code = (e as { cause?: { code?: string } }).cause?.code ?? 'FETCH_FAILED';
    return { status: 599, body: { error: { code: `connection ${code}` } } };
  }
}
async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const r = await call(url, init);
  if (r.status >= 300) throw new Error(`${url}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** pgbench's TPC-B-like load on a scratch database of the same server: what this PostgreSQL can do. */
function pgbenchTps(url: string): number {
  execFileSync('pgbench', ['-i', '-s', '10', '-q', url], { stdio: 'ignore' });
  const out = execFileSync('pgbench', ['-n', '-c', '16', '-j', '2', '-T', '10', url], { encoding: 'utf8' });
  return Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? Number.NaN);
}

console.log(
  `"上链接" burst: ${ORDERS} taps on buy within ${BURST_MS} ms for ${UNITS} units, ${BUYERS} shoppers ` +
    `(${pg ? 'PostgreSQL' : 'PGlite'}${process.env.REDIS_URL ? ' + Redis' : ''})`,
);
const db = pg ? await createPostgresDatabase() : null;
const scratch = pg ? await createPostgresDatabase() : null;
let baselineTps = Number.NaN;
if (scratch) {
  console.log('baseline: pgbench -c 16 -j 2 -T 10 (TPC-B-like, scale 10) on the same server…');
  baselineTps = pgbenchTps(scratch.url);
  console.log(`  pgbench: ${baselineTps.toFixed(0)} TPS`);
}
const shared = {
  ...(db ? { DATABASE_URL: db.url, DB_POOL_MAX: '20' } : {}),
  REDIS_PREFIX: `lmburst:${crypto.randomBytes(4).toString('hex')}:`,
  JWT_SECRET: crypto.randomBytes(32).toString('hex'), // a token from one node is good on the other
};
const node = await startLiveMall(shared);
const victim = KILL ? await startLiveMall({ ...shared, SEED_DEMO: 'false' }) : null;
try {
  const login = async (phone: string) =>
    (
      await json(`${node.url}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ phone, password: 'demo1234' }),
      })
    ).tokens.accessToken as string;
  const owner = await login('13800000001');
  const admin = await login('13800000000');
  const shop = `${node.url}/api/merchants/${(await json(`${node.url}/api/me`, { token: owner })).merchants[0].id}`;
  const productId = (await json(`${shop}/products?pageSize=1`, { token: owner })).items[0].id as number;
  const skuId = (await json(`${node.url}/api/products/${productId}`)).skus[0].id as number;
  const stockOf = async () => (await json(`${shop}/stock?skuId=${skuId}`, { token: owner })).items as any[];
  const level = (rows: any[]) => ({
    onHand: rows.reduce((s, r) => s + r.onHand, 0),
    reserved: rows.reduce((s, r) => s + r.reserved, 0),
  });
  const before = level(await stockOf());
  await json(`${shop}/stock/adjust`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({ skuId, delta: UNITS - (before.onHand - before.reserved) }),
  });
  const room = await json(`${shop}/rooms`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({ title: '上链接 bench', productIds: [productId] }),
  });
  await json(`${shop}/rooms/${room.id}/pin`, { method: 'PUT', token: owner, body: JSON.stringify({ productId }) });

  const registering = progress('  shoppers registered', BUYERS);
  const buyers: Array<{ token: string; addressId: number }> = [];
  for (let i = 0; i < BUYERS; i += 20) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(20, BUYERS - i) }, async (_, k) => {
        const phone = `175${String(i + k).padStart(8, '0')}`;
        const reg = await json(`${node.url}/api/auth/register`, {
          method: 'POST',
          body: JSON.stringify({ phone, password: 'bench1234' }),
        });
        const token = reg.tokens.accessToken as string;
        const address = await json(`${node.url}/api/me/addresses`, {
          method: 'POST',
          token,
          body: JSON.stringify({ name: '压测', phone, province: '广东省', city: '深圳市', detail: '科技园1号' }),
        });
        return { token, addressId: address.id as number };
      }),
    );
    buyers.push(...batch);
    registering.update(buyers.length);
  }
  registering.finish();

  // The burst: each tap quotes (address, best coupons) and places with the quote, like the buy sheet.
  const placeLatencies: number[] = [];
  const tapLatencies: number[] = [];
  const answers = new Map<string, number>();
  let placed = 0;
  let lastPlacedAt = 0;
  const tapping = progress('  taps answered', ORDERS);
  let answered = 0;
  const started = Date.now();
  const tap = async (n: number) => {
    await sleep((n / ORDERS) * BURST_MS);
    const b = buyers[n % buyers.length]!;
    const tapAt = Date.now();
    const body = { items: [{ skuId, quantity: 1 }], addressId: b.addressId, roomId: room.id };
    const at = victim && n % 2 === 1 ? victim.url : node.url;
    const quote = await call(`${at}/api/checkout/quote`, {
      method: 'POST',
      token: b.token,
      body: JSON.stringify(body),
    });
    let code = quote.status >= 300 ? `quote ${quote.body.error?.code ?? quote.status}` : '';
    if (!code) {
      const placeAt = Date.now();
      const order = await call(`${at}/api/orders`, {
        method: 'POST',
        token: b.token,
        body: JSON.stringify({ ...body, idempotencyKey: crypto.randomUUID(), quoteToken: quote.body.quoteToken }),
      });
      const now = Date.now();
      placeLatencies.push(now - placeAt);
      tapLatencies.push(now - tapAt);
      if (order.status < 300) {
        placed++;
        lastPlacedAt = now;
        code = 'placed';
      } else code = order.body.error?.code ?? String(order.status);
    }
    answers.set(code, (answers.get(code) ?? 0) + 1);
    tapping.update(++answered);
  };
  const killing = victim
    ? sleep(BURST_MS / 2).then(() => {
        process.kill(-victim.child.pid!, 'SIGKILL'); // its whole process group, mid-transaction
        console.log(`\n  second node killed at ${Date.now() - started} ms`);
      })
    : Promise.resolve();
  await Promise.all([killing, ...Array.from({ length: ORDERS }, (_, n) => tap(n))]);
  tapping.finish();
  const answeredIn = (Date.now() - started) / 1000;
  const seconds = (lastPlacedAt - started) / 1000;
  const after = level(await stockOf());

  const run = await json(`${node.url}/api/platform/reconciliation/runs`, { method: 'POST', token: admin, body: '{}' });
  let verdict = run.run;
  for (let i = 0; i < 120 && ['queued', 'running'].includes(verdict.status); i++) {
    await sleep(500);
    verdict = (await json(`${node.url}/api/platform/reconciliation/runs/${run.run.id}`, { token: admin })).run;
  }

  const ordersPerSec = placed / seconds;
  console.log('\n| path | orders placed | orders/s | place p50 / p99 | tap→order p50 / p99 |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(
    `| LiveMall POST /api/orders, one hot SKU | ${placed} of ${UNITS} units | ${ordersPerSec.toFixed(0)} | ` +
      `${pct(placeLatencies, 50)} / ${pct(placeLatencies, 99)} ms | ${pct(tapLatencies, 50)} / ${pct(tapLatencies, 99)} ms |`,
  );
  if (pg) {
    console.log(
      `| pgbench TPC-B-like, same server | — | ${baselineTps.toFixed(0)} TPS | — | — |\n\n` +
        `orders/s = ${(ordersPerSec / baselineTps).toFixed(3)} × pgbench's TPS (goal ≥ 0.25)`,
    );
  }
  // Every tap is worked through (a refused one too, most of the way), so this is the capacity to compare when
  // repeat taps of one buyer (BENCH_BUYERS < ORDERS) make the number placed depend on timing.
  console.log(`taps answered: ${ORDERS} in ${answeredIn.toFixed(1)} s, ${(ORDERS / answeredIn).toFixed(0)} taps/s`);
  console.log('answers:', Object.fromEntries(answers));
  const oversold = after.onHand < after.reserved || placed > UNITS;
  console.log(
    `stock after: on hand ${after.onHand}, reserved ${after.reserved} (placed ${placed}); ` +
      `oversold: ${oversold ? 'YES' : '0'}; reconciliation: ${verdict.status}, ${verdict.clean ? 'clean' : verdict.summary}`,
  );
} finally {
  await victim?.stop();
  await node.stop();
  await db?.drop();
  await scratch?.drop();
}
process.exit(0);
