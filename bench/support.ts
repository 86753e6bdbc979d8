// Customer-service delivery benchmark: CONVERSATIONS open conversations (one shopper socket each,
// AGENTS agents with capacity to hold them all), shoppers sending RATE messages/s through the gateway
// (`support.send`: stored, then acknowledged, then delivered over the per-user channel) for a bounded
// time; at the agents: messages/s, p50/p99 from send to delivery, and whether each arrived exactly
// once. Baseline in the same run, on the same node: the room chat path (ROOM_VIEWERS viewers, the same
// RATE of `chat` frames from ROOM_SENDERS senders, every message shown) with its p50/p99.
//   npx tsx bench/support.ts   (CONVERSATIONS, AGENTS, RATE, BENCH_SECONDS, ROOM_VIEWERS; DATABASE_URL/REDIS_URL)
import WebSocket from 'ws';
import { progress } from '../server/src/platform/progress.ts';
import { startLiveMall } from './lib/processes.ts';

const CONVERSATIONS = Number(process.env.CONVERSATIONS ?? 2000);
const AGENTS = Number(process.env.AGENTS ?? 40); // 50 each at most (the capacity limit)
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROOM_VIEWERS = Number(process.env.ROOM_VIEWERS ?? 1000);
const ROOM_SENDERS = Number(process.env.ROOM_SENDERS ?? 200);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function inBatches<T>(n: number, size: number, make: (i: number) => Promise<T>, label: string): Promise<T[]> {
  const out: T[] = [];
  const bar = progress(`  ${label}`, n);
  for (let i = 0; i < n; i += size) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(size, n - i) }, (_, k) => make(i + k)))));
    bar.update(out.length);
  }
  bar.finish();
  return out;
}

interface Frame {
  type: string;
  data: any;
}
/** A socket that hands every frame to `onFrame` and answers requests by ref. */
function socket(url: string, onFrame: (f: Frame) => void = () => undefined) {
  return new Promise<{ ws: WebSocket; request(type: string, data: object): Promise<any> }>((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    const waiting = new Map<string, (f: Frame) => void>();
    let n = 0;
    ws.once('error', reject);
    ws.on('message', (raw) => {
      for (const f of JSON.parse(raw.toString()) as Frame[]) {
        if (f.type === 'hello') resolve(api);
        const w = f.data?.ref ? waiting.get(f.data.ref) : undefined;
        if (w && (f.type === 'ack' || f.type === 'error')) {
          waiting.delete(f.data.ref);
          w(f);
        } else onFrame(f);
      }
    });
    const api = {
      ws,
      request: (type: string, data: object) =>
        new Promise<any>((res, rej) => {
          const ref = `r${++n}`;
          waiting.set(ref, (f) => (f.type === 'ack' ? res(f.data) : rej(new Error(f.data.code))));
          ws.send(JSON.stringify({ type, ref, data }));
        }),
    };
  });
}

const node = await startLiveMall({ WECHAT_SANDBOX: 'true', CHAT_RATE_PER_10S: '1000', CHAT_DISPLAY_PER_SEC: '10000' });
try {
  const json = async (path: string, body?: unknown, token?: string, method = body === undefined ? 'GET' : 'POST') => {
    const r = await fetch(node.url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
    return r.json() as Promise<any>;
  };
  const wsUrl = (token: string, q = '') => `${node.url.replace('http', 'ws')}/ws?v=1&token=${token}${q}`;
  console.log(
    `Support delivery benchmark: ${CONVERSATIONS} conversations, ${AGENTS} agents, ${RATE} msgs/s for ${SECONDS}s`,
  );
  const owner = (await json('/api/auth/login', { phone: '13800000001', password: 'demo1234' })).tokens.accessToken;
  const merchantId = (await json('/api/me', undefined, owner)).merchants[0].id as number;
  const shop = `/api/merchants/${merchantId}`;
  const capacity = Math.min(50, Math.ceil(CONVERSATIONS / AGENTS));
  const agents = await inBatches(
    AGENTS,
    4,
    async (i) => {
      const phone = `176${String(i).padStart(8, '0')}`;
      // A second run on the same PostgreSQL database finds its agents there already: sign them in.
      const account = { phone, password: 'bench1234' };
      const token = (await json('/api/auth/register', account).catch(() => json('/api/auth/login', account))).tokens
        .accessToken;
      await json(`${shop}/staff`, { phone, role: 'merchant_staff' }, owner).catch(() => undefined);
      await json(`${shop}/support/agents/me`, { status: 'online', capacity }, token, 'PUT');
      return token as string;
    },
    'agents registered and online',
  );
  const shoppers = await inBatches(
    CONVERSATIONS,
    20,
    async (i) => {
      const token = (await json('/api/auth/wechat', { code: `sandbox:bench${i}` })).tokens.accessToken as string;
      const c = (await json('/api/me/support/conversations', { merchantId }, token)).conversation;
      await json(`/api/me/support/conversations/${c.id}/human`, {}, token);
      return { token, conversationId: c.id as number };
    },
    'conversations opened and assigned',
  );
  // Each message: sent at (ms) by its client id; delivered once per agent device, counted here.
  const sentAt = new Map<string, number>();
  const seen = new Map<string, number>();
  const latencies: number[] = [];
  const ackLatencies: number[] = [];
  const agentSockets = await inBatches(
    AGENTS,
    10,
    async (i) => {
      const s = await socket(wsUrl(agents[i]!), (f) => {
        if (f.type !== 'support.message' || f.data.message.from !== 'shopper') return;
        const id = f.data.message.clientId as string;
        seen.set(id, (seen.get(id) ?? 0) + 1);
        const t = sentAt.get(id);
        if (t !== undefined && seen.get(id) === 1) latencies.push(Date.now() - t);
      });
      await s.request('support.resume', {});
      return s;
    },
    'agent sockets',
  );
  const shopperSockets = await inBatches(
    CONVERSATIONS,
    100,
    async (i) => {
      const s = await socket(wsUrl(shoppers[i]!.token));
      await s.request('support.resume', {});
      return s;
    },
    'shopper sockets',
  );
  const total = RATE * SECONDS;
  let sent = 0;
  let failed = 0;
  const started = Date.now();
  const bar = progress('  support messages sent', total);
  const acks: Promise<void>[] = [];
  while (sent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
    for (; sent < due; sent++) {
      const i = sent % CONVERSATIONS;
      const clientId = `b${sent}`;
      const at = Date.now();
      sentAt.set(clientId, at);
      acks.push(
        shopperSockets[i]!.request('support.send', {
          conversationId: shoppers[i]!.conversationId,
          clientId,
          text: `咨询 ${sent}`,
        })
          .then(() => void ackLatencies.push(Date.now() - at))
          .catch(() => void failed++),
      );
    }
    bar.update(sent);
    await sleep(10);
  }
  bar.finish();
  await Promise.all(acks);
  const supportSeconds = (Date.now() - started) / 1000;
  await sleep(2000); // the last deliveries
  const once = [...sentAt.keys()].filter((id) => seen.get(id) === 1).length;
  const doubled = [...seen.values()].filter((n) => n > 1).length;
  for (const s of [...agentSockets, ...shopperSockets]) s.ws.terminate();

  // The room chat path on the same node: viewers in one room, every chat shown.
  const room = await json(`${shop}/rooms`, { title: 'support bench baseline' }, owner);
  const roomLatencies: number[] = [];
  let roomDelivered = 0;
  const roomErrors = new Map<string, number>();
  const viewers = await inBatches(
    ROOM_VIEWERS,
    100,
    async (i) => {
      const s = await socket(`${wsUrl(shoppers[i % CONVERSATIONS]!.token)}&roomId=${room.id}`, (f) => {
        if (f.type === 'error' && i < ROOM_SENDERS) roomErrors.set(f.data.code, (roomErrors.get(f.data.code) ?? 0) + 1);
        if (f.type !== 'chat') return;
        roomDelivered++;
        if (i < 200) roomLatencies.push(Date.now() - Number(String(f.data.text).split('|')[1]));
      });
      return s;
    },
    'room viewers',
  );
  await sleep(1000);
  const senders = viewers.slice(0, ROOM_SENDERS);
  let roomSent = 0;
  const roomStarted = Date.now();
  while (roomSent < total) {
    const due = Math.min(total, Math.floor(((Date.now() - roomStarted) / 1000) * RATE));
    for (; roomSent < due; roomSent++)
      senders[roomSent % senders.length]!.ws.send(
        JSON.stringify({ type: 'chat', data: { text: `m${roomSent}|${Date.now()}` } }),
      );
    await sleep(10);
  }
  const roomSeconds = (Date.now() - roomStarted) / 1000;
  await sleep(2000);
  for (const s of viewers) s.ws.terminate();
  if (roomErrors.size) console.log('room chat refusals:', Object.fromEntries(roomErrors));

  console.log('\n| path | sent | delivered | msgs/s | p50 / p99 send → delivery | exactly once |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  console.log(
    `| support.send → agent (${CONVERSATIONS} conversations, stored before ack; ack p50/p99 ${pct(ackLatencies, 50)} / ${pct(ackLatencies, 99)} ms) | ${sent} (${failed} refused) | ${latencies.length} | ${Math.round(latencies.length / supportSeconds)} | ${pct(latencies, 50)} / ${pct(latencies, 99)} ms | ${once} of ${sent} once, ${doubled} doubled |`,
  );
  console.log(
    `| room chat → ${ROOM_VIEWERS} viewers (not stored per message in the hot path) | ${roomSent} | ${roomDelivered} | ${Math.round(roomSent / roomSeconds)} in, ${Math.round(roomDelivered / roomSeconds)} out | ${pct(roomLatencies, 50)} / ${pct(roomLatencies, 99)} ms | — |`,
  );
} finally {
  await node.stop();
}
process.exit(0);
