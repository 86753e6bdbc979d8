// A room across nodes: VIEWERS sockets (spread over SWARMS client processes) on NODES LiveMall nodes sharing
// PostgreSQL and Redis, 200 chat messages a second from signed-in senders, and the anchor pinning a product
// twice a second. Prints whether every viewer got every pin and its p50/p99 (sampled sockets), the chat each
// viewer was shown, the servers' CPU per 1,000 viewers, and the Redis traffic per message — the figures
// docs/scale.md extrapolates from.
//   DATABASE_URL=postgres://… REDIS_URL=redis://… npx tsx bench/fanout-nodes.ts   (VIEWERS, NODES, SWARMS)
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { createPostgresDatabase } from '../server/test/backends.ts';
import { repoRoot, startLiveMall, type Running } from './lib/processes.ts';

const VIEWERS = Number(process.env.VIEWERS ?? 20_000);
const NODES = Number(process.env.NODES ?? 3);
const SWARMS = Number(process.env.SWARMS ?? 4);
const RATE = Number(process.env.RATE ?? 200);
const SENDERS = Number(process.env.SENDERS ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
if (!process.env.DATABASE_URL || !process.env.REDIS_URL) {
  console.log('bench/fanout-nodes needs the shared servers: set DATABASE_URL and REDIS_URL.');
  process.exit(0);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};
/** CPU seconds used so far by a server's whole process group (tsx and the node it runs). */
const cpuSeconds = (r: Running) => {
  const pids = execFileSync('ps', ['-o', 'pid=', '-g', String(r.child.pid)], { encoding: 'utf8' }).split(/\s+/);
  let ticks = 0;
  for (const pid of pids.filter(Boolean)) {
    const stat = fs
      .readFileSync(`/proc/${pid}/stat`, 'utf8', () => undefined as never)
      .split(') ')[1]!
      .split(' ');
    ticks += Number(stat[11]) + Number(stat[12]);
  }
  return ticks / 100;
};
const redisBytes = () => {
  const info = execFileSync('redis-cli', ['-u', process.env.REDIS_URL!, 'info', 'stats'], { encoding: 'utf8' });
  const n = (k: string) => Number(new RegExp(`${k}:(\\d+)`).exec(info)?.[1] ?? 0);
  return n('total_net_input_bytes') + n('total_net_output_bytes');
};

console.log(`${VIEWERS} viewers on ${NODES} nodes (${SWARMS} client processes), ${RATE} chat msgs/s, pins 2/s`);
const db = await createPostgresDatabase();
const shared = {
  DATABASE_URL: db.url,
  JWT_SECRET: crypto.randomBytes(32).toString('hex'),
  REDIS_PREFIX: `lmnodes:${crypto.randomBytes(4).toString('hex')}:`,
  CHAT_RATE_PER_10S: '100',
};
const nodes = [await startLiveMall(shared)];
for (let i = 1; i < NODES; i++) nodes.push(await startLiveMall({ ...shared, SEED_DEMO: 'false' }));
const swarms: ReturnType<typeof spawn>[] = [];
try {
  const call = async (url: string, init: RequestInit & { token?: string } = {}) =>
    (
      await fetch(url, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      })
    ).json() as Promise<any>;
  const base = nodes[0]!.url;
  const login = { method: 'POST', body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }) };
  const owner = (await call(`${base}/api/auth/login`, login)).tokens.accessToken as string;
  const shop = `${base}/api/merchants/${(await call(`${base}/api/me`, { token: owner })).merchants[0].id}`;
  const products = ((await call(`${shop}/products?pageSize=4`, { token: owner })).items as Array<{ id: number }>).map(
    (p) => p.id,
  );
  const body = JSON.stringify({ title: 'nodes bench', productIds: products });
  const room = await call(`${shop}/rooms`, { method: 'POST', token: owner, body });

  const results: Array<Promise<any>> = [];
  const per = Math.ceil(VIEWERS / SWARMS);
  for (let s = 0; s < SWARMS; s++) {
    const child = spawn(path.join(repoRoot, 'node_modules/.bin/tsx'), ['bench/lib/viewer-swarm.ts'], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_URLS: nodes.map((n) => n.url).join(','),
        ROOM_ID: String(room.id),
        COUNT: String(Math.min(per, VIEWERS - s * per)),
        OFFSET: String(s),
      },
    });
    swarms.push(child);
    const lines: string[] = [];
    let buf = '';
    const ready = new Promise<void>((resolve) => {
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const parts = buf.split('\n');
        buf = parts.pop()!;
        lines.push(...parts);
        if (lines.length === 1) resolve();
      });
    });
    await ready;
    console.log(`  client ${s + 1}/${SWARMS}: ${JSON.parse(lines[0]!).ready} sockets joined`);
    results.push(
      new Promise((resolve) => {
        child.on('exit', () => resolve(JSON.parse(lines.at(-1)!)));
      }),
    );
  }

  const senders: WebSocket[] = [];
  for (let i = 0; i < SENDERS; i++) {
    const phone = `174${String(i).padStart(8, '0')}`;
    const reg = await call(`${nodes[i % NODES]!.url}/api/auth/register`, {
      method: 'POST',
      body: JSON.stringify({ phone, password: 'bench1234' }),
    });
    const url = `${nodes[i % NODES]!.url.replace('http', 'ws')}/ws?v=1&roomId=${room.id}&token=${reg.tokens.accessToken}`;
    const ws = new WebSocket(url, { perMessageDeflate: false });
    await new Promise((r) => ws.once('message', r));
    senders.push(ws);
  }

  const cpuBefore = nodes.map(cpuSeconds);
  const redisBefore = redisBytes();
  const pins: Array<[number, number]> = [];
  const started = Date.now();
  let sent = 0;
  let nextPin = started;
  while (Date.now() < started + SECONDS * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * RATE);
    for (; sent < due; sent++)
      senders[sent % SENDERS]!.send(JSON.stringify({ type: 'chat', data: { text: `m${sent}` } }));
    if (Date.now() >= nextPin) {
      nextPin += 500;
      const productId = products[pins.length % products.length]!;
      pins.push([productId, Date.now()]);
      void call(`${shop}/rooms/${room.id}/pin`, { method: 'PUT', token: owner, body: JSON.stringify({ productId }) });
    }
    await sleep(10);
  }
  const seconds = (Date.now() - started) / 1000;
  await sleep(3000);
  const cpu = nodes.map((n, i) => cpuSeconds(n) - cpuBefore[i]!);
  const redis = redisBytes() - redisBefore;
  for (const s of swarms) s.stdin!.end(JSON.stringify(pins));
  const got = await Promise.all(results);
  const latencies = got.flatMap((g) => g.latencies as number[]);
  const minPins = Math.min(...got.map((g) => g.minPins as number));
  const connected = got.reduce((n, g) => n + g.connected, 0);
  const cpuPer1k = cpu.reduce((a, b) => a + b, 0) / seconds / (connected / 1000);
  console.log('\n| viewers | nodes | pins sent | fewest pins a viewer got | pin p50 / p99 | chat shown per viewer/s |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  const shown = got.reduce((a, g) => a + g.chatShownPerSampled, 0) / got.length / seconds;
  console.log(
    `| ${connected} | ${NODES} | ${pins.length} | ${minPins} | ${pct(latencies, 50)} / ${pct(latencies, 99)} ms | ` +
      `${shown.toFixed(1)} of ${RATE} |`,
  );
  console.log(
    `server CPU: ${cpu.map((c) => `${((c / seconds) * 100).toFixed(0)} %`).join(', ')} of a core per node; ` +
      `${(cpuPer1k * 100).toFixed(1)} % of a core per 1,000 viewers`,
  );
  const clientCpu = got.reduce((a, g) => a + g.cpuSeconds, 0);
  const closed = got.reduce((a, g) => a + g.closedByServer, 0);
  console.log(
    `viewer clients: ${clientCpu.toFixed(0)} CPU seconds in all (${SWARMS} processes, joining included); ` +
      `${closed} sockets closed by a server before the end`,
  );
  console.log(
    `Redis traffic: ${(redis / seconds / 1024).toFixed(0)} KiB/s, ${(redis / (sent + pins.length)).toFixed(0)} bytes per message`,
  );
} finally {
  for (const s of swarms) s.kill('SIGKILL');
  await Promise.all(nodes.map((n) => n.stop()));
  await db.drop();
}
process.exit(0);
