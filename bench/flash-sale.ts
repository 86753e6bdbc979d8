// Flash-sale benchmark: 10,000 purchase attempts for 100 units through the real HTTP API (token
// checked, unit decided atomically in the cache, winners' orders written to PostgreSQL), next to
// (a) a bare Fastify route and (b) the naive PostgreSQL flash sale (SELECT … FOR UPDATE per
// attempt), all in the same run. Each attempt is a different buyer.
//   DATABASE_URL=postgres://… [REDIS_URL=redis://…] npx tsx bench/flash-sale.ts
import crypto from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { createPostgresDatabase } from '../server/test/backends.ts';
import { TokenService } from '../server/src/platform/auth/tokens.ts';
import { progress } from '../server/src/platform/progress.ts';
import { load, table, type LoadResult } from './lib/load.ts';
import { startBare, startLiveMall, startNaiveFlash } from './lib/processes.ts';

const ATTEMPTS = Number(process.env.BENCH_ATTEMPTS ?? 10_000);
const UNITS = Number(process.env.BENCH_UNITS ?? 100);
const CONNECTIONS = 50;
if (!process.env.DATABASE_URL) {
  console.log(
    'bench/flash-sale needs PostgreSQL for the naive baseline: set DATABASE_URL (and REDIS_URL for the Redis decision).',
  );
  process.exit(0);
}

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
  });
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

console.log(
  `LiveMall flash-sale benchmark: ${ATTEMPTS} attempts for ${UNITS} units, ${CONNECTIONS} connections (PostgreSQL${process.env.REDIS_URL ? ' + Redis' : ' + in-process cache'})`,
);
const db = await createPostgresDatabase();
const secret = crypto.randomBytes(32).toString('hex');
console.log('starting servers...');
const [node, bare, naive] = await Promise.all([
  startLiveMall({
    DATABASE_URL: db.url,
    JWT_SECRET: secret,
    DB_POOL_MAX: '20',
    REDIS_PREFIX: `lmbench:${crypto.randomBytes(4).toString('hex')}:`,
  }),
  startBare(),
  startNaiveFlash(db.url),
]);
const pool = new pg.Pool({ connectionString: db.url, max: 4 });
const kdb = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
try {
  const owner = (
    await json(`${node.url}/api/auth/login`, {
      method: 'POST',
      body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }),
    })
  ).tokens.accessToken as string;
  const me = await json(`${node.url}/api/me`, { token: owner });
  const merchantId = me.merchants[0].id as number;
  const products = await json(`${node.url}/api/merchants/${merchantId}/products?pageSize=1`, { token: owner });
  const product = await json(`${node.url}/api/products/${products.items[0].id}`);
  const sku = product.skus[0];
  await json(`${node.url}/api/merchants/${merchantId}/stock/adjust`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({ skuId: sku.id, quantity: 100_000 }),
  });
  const session = await json(`${node.url}/api/merchants/${merchantId}/flash-sales`, {
    method: 'POST',
    token: owner,
    body: JSON.stringify({
      title: 'bench',
      startsAt: new Date(Date.now() - 1000).toISOString(),
      endsAt: new Date(Date.now() + 3600_000).toISOString(),
      items: [{ skuId: sku.id, flashPriceFen: 1, stock: UNITS, perUserLimit: 1 }],
    }),
  });
  const itemId = session.items[0].id as number;

  // Buyers: users and addresses in bulk, access tokens signed with the node's secret, flash tokens fetched.
  const tokens = new TokenService(secret, 3600);
  const buyers: Array<{ userId: number; token: string; addressId: number; flash: string }> = [];
  const creating = progress('  buyers created', ATTEMPTS);
  for (let i = 0; i < ATTEMPTS; i += 1000) {
    const users = (await kdb
      .insertInto('users')
      .values(
        Array.from({ length: Math.min(1000, ATTEMPTS - i) }, (_, k) => ({
          phone: `166${String(i + k).padStart(8, '0')}`,
          nickname: 'bench',
          password_hash: 'x',
          is_platform_admin: false,
        })),
      )
      .returning('id')
      .execute()) as Array<{ id: number }>;
    const addrs = (await kdb
      .insertInto('addresses')
      .values(
        users.map((u) => ({
          user_id: u.id,
          name: 'b',
          phone: '13900000000',
          province: '广东省',
          city: '深圳市',
          district: '',
          detail: '科技园1号',
          is_default: true,
        })),
      )
      .returning(['id', 'user_id'])
      .execute()) as Array<{ id: number; user_id: number }>;
    for (const u of users) {
      const id = Number(u.id);
      buyers.push({
        userId: id,
        token: await tokens.signAccess({ userId: id, sessionId: `bench-${id}`, isPlatformAdmin: false }),
        addressId: Number(addrs.find((a) => Number(a.user_id) === id)!.id),
        flash: '',
      });
    }
    creating.update(buyers.length);
  }
  creating.finish();
  const fetching = progress('  flash tokens fetched', buyers.length);
  for (let i = 0; i < buyers.length; i += 200) {
    await Promise.all(
      buyers.slice(i, i + 200).map(async (b) => {
        b.flash = (
          await json(`${node.url}/api/flash-sales/items/${itemId}/token`, {
            method: 'POST',
            token: b.token,
            body: '{}',
          })
        ).token;
      }),
    );
    fetching.update(Math.min(i + 200, buyers.length));
  }
  fetching.finish();
  await kdb.schema
    .createTable('naive_flash')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('stock', 'integer', (c) => c.notNull())
    .execute();
  await kdb.schema
    .createTable('naive_flash_orders')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull())
    .execute();
  await kdb.schema.createIndex('naive_flash_orders_user').on('naive_flash_orders').column('user_id').execute();
  await kdb.insertInto('naive_flash').values({ id: 1, stock: UNITS }).execute();

  const results: LoadResult[] = [];
  const codes = new Map<string, number>();
  let nBare = 0;
  let nNaive = 0;
  let nOurs = 0;
  const base = {
    method: 'POST' as const,
    connections: CONNECTIONS,
    amount: ATTEMPTS,
    headers: { 'content-type': 'application/json' },
  };
  results.push(
    await load('(a) bare Fastify POST', {
      ...base,
      url: `${bare.url}/bare/orders`,
      requests: [
        {
          setupRequest: (r) => ({
            ...r,
            body: JSON.stringify({ idempotencyKey: String(nBare++), items: [{ skuId: 1, quantity: 1 }], addressId: 1 }),
          }),
        },
      ],
    }),
  );
  results.push(
    await load('(b) naive PostgreSQL FOR UPDATE', {
      ...base,
      url: `${naive.url}/naive/buy`,
      requests: [
        { setupRequest: (r) => ({ ...r, body: JSON.stringify({ userId: buyers[nNaive++ % buyers.length]!.userId }) }) },
      ],
    }),
  );
  results.push(
    await load('LiveMall POST /api/orders (flash)', {
      ...base,
      url: `${node.url}/api/orders`,
      requests: [
        {
          setupRequest: (r) => {
            const b = buyers[nOurs++ % buyers.length]!;
            return {
              ...r,
              headers: { ...r.headers, authorization: `Bearer ${b.token}` },
              body: JSON.stringify({
                idempotencyKey: `flash-bench-${b.userId}`,
                items: [{ skuId: sku.id, quantity: 1 }],
                addressId: b.addressId,
                flashSaleItemId: itemId,
                flashToken: b.flash,
                couponIds: [],
              }),
            };
          },
          onResponse: (status: number, body: string) => {
            if (status >= 400) codes.set(body.slice(0, 200), (codes.get(body.slice(0, 200)) ?? 0) + 1);
          },
        },
      ],
    }),
  );
  console.log(`\n${table(results)}\n`);
  const [a, n, ours] = results as [LoadResult, LoadResult, LoadResult];
  const sold = await kdb.selectFrom('flash_items').select('sold').where('id', '=', itemId).executeTakeFirstOrThrow();
  const naiveSold = await kdb
    .selectFrom('naive_flash_orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  console.log(
    `LiveMall: ${ours.rps} attempts/s, p99 ${ours.p99} ms = ${(ours.rps / a.rps).toFixed(2)}× the bare route, ${(ours.rps / n.rps).toFixed(1)}× the naive version (${n.rps} attempts/s, p99 ${n.p99} ms)`,
  );
  console.log('LiveMall answers that were not an order:', Object.fromEntries(codes));
  console.log(
    `units sold: LiveMall ${sold.sold} (orders ${ours.requests - ours.non2xx}), naive ${naiveSold.n} — of ${UNITS}`,
  );
} finally {
  await kdb.destroy();
  await Promise.all([node.stop(), bare.stop(), naive.stop()]);
  await db.drop();
}
