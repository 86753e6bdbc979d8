// Commerce benchmark: product-detail latency and place-order throughput through the real HTTP
// API (real database, real stock reservation, real payment record), next to a bare Fastify
// route measured in the same run. Bounded: a few seconds per target.
//   npx tsx bench/commerce.ts            (embedded PGlite)
//   DATABASE_URL=postgres://… REDIS_URL=redis://… npx tsx bench/commerce.ts
// Fixed rate (open model, latency from each request's intended send time): product detail only,
// at exactly N req/s for BENCH_SECONDS (default 10) after BENCH_WARMUP seconds (default 3), next to
// the bare route answering the same product's JSON, byte for byte:
//   npx tsx bench/commerce.ts --rate=1000
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixedRate, fixedRateTable } from './lib/fixed-rate.ts';
import { load, table, type LoadResult } from './lib/load.ts';
import { startBare, startLiveMall } from './lib/processes.ts';

const RATE = Number(process.argv.find((a) => a.startsWith('--rate='))?.slice('--rate='.length) ?? 0);
const DURATION = Number(process.env.BENCH_SECONDS ?? (RATE ? 10 : 8));
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.headers ?? {}),
    },
  });
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const backend = `${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}${process.env.REDIS_URL ? ' + Redis' : ''}`;
if (RATE) {
  await fixedRateDetail();
  process.exit(0);
}

/** Product detail at a fixed offered rate, LiveMall then the bare route with the same body. */
async function fixedRateDetail() {
  console.log(`LiveMall product detail at a fixed ${RATE} req/s (${backend}), ${WARMUP}s warm-up + ${DURATION}s each`);
  console.log('open model: each request is due at t0 + i/rate and timed from then, answered or not');
  const node = await startLiveMall();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livemall-bench-bare-'));
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    const list = await json(`${node.url}/api/products?q=${encodeURIComponent('芒')}`);
    const url = `${node.url}/api/products/${list.items[0].id}`;
    const file = path.join(dir, 'product.json');
    fs.writeFileSync(file, JSON.stringify(await json(url)));
    bare = await startBare({ BARE_PRODUCT_FILE: file });
    const opts = { rate: RATE, seconds: DURATION, warmupSeconds: WARMUP };
    const rows = [
      await fixedRate('bare Fastify GET (same JSON)', {
        ...opts,
        url: `${bare.url}/bare/products/1`,
        serverGroup: bare.child.pid!,
      }),
      await fixedRate('LiveMall GET /api/products/:id', { ...opts, url, serverGroup: node.child.pid! }),
    ];
    console.log(`\n${fixedRateTable(rows)}\n`);
    const [b, l] = rows as [(typeof rows)[0], (typeof rows)[0]];
    console.log(
      `product detail at ${RATE} req/s: p99 ${l.p99} ms (bare ${b.p99} ms), p95 ${l.p95} ms, p50 ${l.p50} ms; ` +
        `achieved ${l.achievedRps} req/s (bare ${b.achievedRps}); ` +
        `server CPU ${l.serverCpuMs} ms/req (bare ${b.serverCpuMs})`,
    );
  } finally {
    await Promise.all([node.stop(), bare?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

console.log(`LiveMall commerce benchmark (${backend}), ${DURATION}s per target`);
console.log('starting servers...');
const [node, bare] = await Promise.all([startLiveMall(), startBare()]);
try {
  const login = async (phone: string) =>
    (
      await json(`${node.url}/api/auth/login`, {
        method: 'POST',
        body: JSON.stringify({ phone, password: 'demo1234' }),
      })
    ).tokens.accessToken as string;
  const owner = await login('13800000001');
  const buyer = await login('13900000001');
  const list = await json(`${node.url}/api/products?q=${encodeURIComponent('芒')}`);
  const productId = list.items[0].id as number;
  const detail = await json(`${node.url}/api/products/${productId}`);
  const skuId = detail.skus[0].id as number;
  const me = await json(`${node.url}/api/me`, { token: owner });
  await json(`${node.url}/api/merchants/${me.merchants[0].id}/stock/adjust`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({ skuId, quantity: 1_000_000 }),
  });
  const address = await json(`${node.url}/api/me/addresses`, {
    method: 'POST',
    token: buyer,
    body: JSON.stringify({
      name: '压测',
      phone: '13900000001',
      province: '广东省',
      city: '深圳市',
      detail: '科技园1号',
    }),
  });

  const results: LoadResult[] = [];
  console.log('product detail (GET):');
  results.push(
    await load('bare Fastify GET', { url: `${bare.url}/bare/products/1`, connections: 20, duration: DURATION }),
  );
  results.push(
    await load('LiveMall GET /api/products/:id', {
      url: `${node.url}/api/products/${productId}`,
      connections: 20,
      duration: DURATION,
    }),
  );
  console.log('place order (POST):');
  const orderBody = () =>
    JSON.stringify({ idempotencyKey: crypto.randomUUID(), items: [{ skuId, quantity: 1 }], addressId: address.id });
  results.push(
    await load('bare Fastify POST', {
      url: `${bare.url}/bare/orders`,
      method: 'POST',
      connections: 10,
      duration: DURATION,
      headers: { 'content-type': 'application/json' },
      requests: [{ setupRequest: (r) => ({ ...r, body: orderBody() }) }],
    }),
  );
  results.push(
    await load('LiveMall POST /api/orders', {
      url: `${node.url}/api/orders`,
      method: 'POST',
      connections: 10,
      duration: DURATION,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer}` },
      requests: [{ setupRequest: (r) => ({ ...r, body: orderBody() }) }],
    }),
  );

  console.log(`\n${table(results)}\n`);
  const [bg, lg, bp, lp] = results as [LoadResult, LoadResult, LoadResult, LoadResult];
  console.log(
    `product detail: p99 ${lg.p99} ms (bare ${bg.p99} ms), ${lg.rps} req/s = ${((lg.rps / bg.rps) * 100).toFixed(1)} % of bare`,
  );
  console.log(
    `place order:    ${lp.rps} orders/s, p99 ${lp.p99} ms (bare route ${bp.rps} req/s) = ${((lp.rps / bp.rps) * 100).toFixed(1)} % of bare`,
  );
  const placed = await json(`${node.url}/api/orders?pageSize=1`, { token: buyer });
  console.log(`orders actually stored for the buyer: ${placed.total}`);
} finally {
  await Promise.all([node.stop(), bare.stop()]);
}
