// Attribution benchmark: order placement through the real HTTP API for buyers who never came
// through a share, and for buyers with shares and touches (anonymous visit linked at sign-in, a
// signed-in visit through a second share), in the same run, alternating rounds so drift hits both.
// Attribution happens in growth's outbox handlers, so its cost shows as the CPU they take from the
// same server while it places orders. Goal: < 10 % on placement latency (p50) and throughput.
//   npx tsx bench/attribution.ts            (embedded PGlite)
//   DATABASE_URL=postgres://… REDIS_URL=redis://… npx tsx bench/attribution.ts
import crypto from 'node:crypto';
import { load, table, type LoadResult } from './lib/load.ts';
import { startLiveMall } from './lib/processes.ts';

const ROUND_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = 3;
const BUYERS = 10;

async function json(url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(url, {
    ...init,
    headers: {
      'content-type': 'application/json',
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
    },
  });
  const body = (await res.json()) as any;
  if (!res.ok) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

console.log(
  `LiveMall attribution benchmark (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'}${process.env.REDIS_URL ? ' + Redis' : ''}), ${ROUNDS} × ${ROUND_SECONDS}s per group`,
);
console.log('starting server...');
const node = await startLiveMall();
try {
  const post = (path: string, body: unknown, token?: string) =>
    json(`${node.url}${path}`, { method: 'POST', body: JSON.stringify(body), ...(token ? { token } : {}) });
  const login = async (phone: string) =>
    (await post('/api/auth/login', { phone, password: 'demo1234' })).tokens.accessToken as string;
  const owner = await login('13800000001');
  const me = await json(`${node.url}/api/me`, { token: owner });
  const merchantId = me.merchants[0].id as number;
  const list = await json(`${node.url}/api/products?q=${encodeURIComponent('芒')}`);
  const productId = list.items[0].id as number;
  const skuId = (await json(`${node.url}/api/products/${productId}`)).skus[0].id as number;
  await post(`/api/merchants/${merchantId}/stock/adjust`, { skuId, quantity: 1_000_000 }, owner);
  const rooms = await json(`${node.url}/api/merchants/${merchantId}/rooms`, { token: owner });
  const roomId = (rooms.items ?? rooms)[0].id as number;

  const run = crypto.randomBytes(3).toString('hex');
  let phoneSeq = 0;
  const register = async () => {
    const phone = `137${String(Number.parseInt(run, 16) % 10_000).padStart(4, '0')}${String(phoneSeq++).padStart(4, '0')}`;
    const r = await post('/api/auth/register', { phone, password: 'Bench-Attr-2026', nickname: `压测${phoneSeq}` });
    return { token: r.tokens.accessToken as string, phone };
  };
  const withAddress = async (b: { token: string; phone: string }) => {
    const a = await post(
      '/api/me/addresses',
      { name: '压测', phone: b.phone, province: '广东省', city: '深圳市', detail: '科技园1号' },
      b.token,
    );
    return { token: b.token, addressId: a.id as number };
  };

  console.log('preparing buyers: plain, and with shares and touches...');
  const sharers = await Promise.all([register(), register(), register()]);
  const shares = await Promise.all(
    sharers.flatMap((s) => [
      post('/api/shares', { targetKind: 'room', targetId: roomId }, s.token),
      post('/api/shares', { targetKind: 'product', targetId: productId }, s.token),
    ]),
  );
  const plain = await Promise.all(Array.from({ length: BUYERS }, async () => withAddress(await register())));
  const shared = [];
  for (let i = 0; i < BUYERS; i++) {
    // Arrive anonymously through one share, sign up, link the device, then come back through another.
    const device = `dbench${run}${i}xx`;
    await post(`/api/shares/${shares[i % shares.length].token}/visits`, { visitorKey: device });
    const b = await register();
    await post('/api/me/share-visitor', { visitorKey: device }, b.token);
    await post(`/api/shares/${shares[(i + 1) % shares.length].token}/visits`, {}, b.token);
    shared.push(await withAddress(b));
  }

  const target = (label: string, buyers: Array<{ token: string; addressId: number }>) => {
    let n = 0;
    return load(label, {
      url: `${node.url}/api/orders`,
      method: 'POST',
      connections: 10,
      duration: ROUND_SECONDS,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (r) => {
            const b = buyers[n++ % buyers.length]!;
            const body = {
              idempotencyKey: crypto.randomUUID(),
              items: [{ skuId, quantity: 1 }],
              addressId: b.addressId,
            };
            return { ...r, headers: { ...r.headers, authorization: `Bearer ${b.token}` }, body: JSON.stringify(body) };
          },
        },
      ],
    });
  };
  // One unmeasured round of each first: the first seconds of load pay for JIT and cold caches.
  await target('warm-up (no shares)', plain);
  await target('warm-up (with shares)', shared);
  const without: LoadResult[] = [];
  const withAttr: LoadResult[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    without.push(await target(`no shares (round ${round + 1})`, plain));
    withAttr.push(await target(`with shares (round ${round + 1})`, shared));
  }
  console.log(`\n${table([...without, ...withAttr])}\n`);
  const mean = (xs: LoadResult[], f: (r: LoadResult) => number) => xs.reduce((s, r) => s + f(r), 0) / xs.length;
  const [p50a, p50b] = [mean(without, (r) => r.p50), mean(withAttr, (r) => r.p50)];
  const [p99a, p99b] = [mean(without, (r) => r.p99), mean(withAttr, (r) => r.p99)];
  const [rpsA, rpsB] = [mean(without, (r) => r.rps), mean(withAttr, (r) => r.rps)];
  const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
  console.log(
    `place order without attribution: ${rpsA.toFixed(0)} orders/s, p50 ${p50a.toFixed(1)} ms, p99 ${p99a.toFixed(1)} ms`,
  );
  console.log(
    `place order with attribution:    ${rpsB.toFixed(0)} orders/s, p50 ${p50b.toFixed(1)} ms, p99 ${p99b.toFixed(1)} ms`,
  );
  console.log(
    `attribution adds ${pct(p50a, p50b)} to p50 latency, ${pct(p99a, p99b)} to p99, ${pct(rpsB, rpsA)} in time per order (goal < 10 %)`,
  );
  const stats = await json(`${node.url}/api/merchants/${merchantId}/growth/shares?by=sharer`, { token: owner });
  console.log(`touches recorded: ${stats.totals.visitors} visitors through ${shares.length} shares`);
} finally {
  await node.stop();
}
