// Fan-out benchmark: 5,000 viewers in one room, 200 chat messages/s sent by 400 signed-in viewers
// for a bounded time, through LiveMall's gateway (batched frames, Redis or in-process pub/sub),
// next to a socket.io broadcast server under the same load in the same run. While the chat flows the
// anchor pins a product ("explain now") twice a second: a frame that matters, which must reach every
// viewer fast, while LiveMall shows each viewer only a sample of the chat (CHAT_DISPLAY_PER_SEC).
// Prints chat shown per viewer, p50/p99 latency of chat and of the pins (sampled viewers), and whether
// every viewer got every pin.   npx tsx bench/fanout.ts   (VIEWERS, RATE, BENCH_SECONDS, DISPLAY)
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { progress } from '../server/src/platform/progress.ts';
import { startLiveMall, startSocketIo } from './lib/processes.ts';

const VIEWERS = Number(process.env.VIEWERS ?? 5000);
const SENDERS = Number(process.env.SENDERS ?? 400);
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const DISPLAY = process.env.DISPLAY_PER_SEC ?? '30'; // LiveMall's CHAT_DISPLAY_PER_SEC
const PIN_EVERY_MS = 500;
const SAMPLED = 200; // viewers whose latency is measured (all viewers are counted)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

interface Result {
  label: string;
  sent: number;
  delivered: number;
  perViewerMin: number;
  perViewerMax: number;
  seconds: number;
  latencies: number[];
  pinsSent: number;
  /** The fewest pins any viewer received. */
  pinsMin: number;
  pinLatencies: number[];
}

/** When each pin was sent, by the product pinned (products cycle, so a pin is told apart for a few seconds). */
class PinClock {
  private readonly sentAt = new Map<number, number>();
  sent = 0;
  mark(productId: number) {
    this.sentAt.set(productId, Date.now());
    this.sent++;
  }
  latency(productId: number) {
    const t = this.sentAt.get(productId);
    return t === undefined ? undefined : Date.now() - t;
  }
}

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

async function runLiveMall(): Promise<Result> {
  // The senders here are load, not spammers.
  const node = await startLiveMall({ CHAT_RATE_PER_10S: '100', CHAT_DISPLAY_PER_SEC: DISPLAY });
  try {
    const json = async (path: string, init: RequestInit & { token?: string } = {}) => {
      const r = await fetch(node.url + path, {
        ...init,
        headers: {
          'content-type': 'application/json',
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        },
      });
      if (!r.ok) throw new Error(`${path}: ${r.status} ${await r.text()}`);
      return r.json() as Promise<any>;
    };
    const owner = (
      await json('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ phone: '13800000001', password: 'demo1234' }),
      })
    ).tokens.accessToken;
    const me = await json('/api/me', { token: owner });
    const shop = `/api/merchants/${me.merchants[0].id}`;
    const products = ((await json(`${shop}/products?pageSize=4`, { token: owner })).items as Array<{ id: number }>)
      .map((p) => p.id)
      .slice(0, 4);
    const room = await json(`${shop}/rooms`, {
      method: 'POST',
      token: owner,
      body: JSON.stringify({ title: 'fanout bench', productIds: products }),
    });
    const pins = new PinClock();
    const pinCounts = new Array<number>(VIEWERS).fill(0);
    const pinLatencies: number[] = [];
    const tokens = await inBatches(
      SENDERS,
      8,
      async (i) =>
        (
          await json('/api/auth/register', {
            method: 'POST',
            body: JSON.stringify({ phone: `177${String(i).padStart(8, '0')}`, password: 'bench1234' }),
          })
        ).tokens.accessToken as string,
      'LiveMall: registering senders',
    );
    const counts = new Array<number>(VIEWERS).fill(0);
    const latencies: number[] = [];
    const url = `${node.url.replace('http', 'ws')}/ws?v=1&roomId=${room.id}`;
    const open = (q: string, onMessage?: (data: string) => void) =>
      new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`${url}${q}`, { perMessageDeflate: false });
        ws.once('error', reject);
        ws.on('message', (d) => onMessage?.(d.toString()));
        // Ready once the join is acknowledged (the first batch after hello carries the ack).
        let n = 0;
        ws.on('message', () => {
          if (++n === 2) resolve(ws);
        });
      });
    const viewers = await inBatches(
      VIEWERS,
      250,
      (i) =>
        open('', (data) => {
          // Count chat frames cheaply; parse only on sampled viewers for latency.
          let c = 0;
          let at = data.indexOf('"type":"chat"');
          while (at !== -1) {
            c++;
            at = data.indexOf('"type":"chat"', at + 13);
          }
          counts[i]! += c;
          const pinned = data.includes('"type":"product.pinned"');
          if (pinned) pinCounts[i]! += data.split('"type":"product.pinned"').length - 1;
          if (i < SAMPLED && (c || pinned)) {
            const now = Date.now();
            for (const f of JSON.parse(data) as Array<{ type: string; data: any }>) {
              if (f.type === 'chat') latencies.push(now - Number(f.data.text.split('|')[1]));
              if (f.type === 'product.pinned' && f.data.product) {
                const l = pins.latency(f.data.product.id);
                if (l !== undefined) pinLatencies.push(l);
              }
            }
          }
        }),
      'LiveMall: viewers connected',
    );
    const senders = await inBatches(SENDERS, 50, (i) => open(`&token=${tokens[i]}`), 'LiveMall: senders connected');
    let sent = 0;
    const started = Date.now();
    const total = RATE * SECONDS;
    const sending = progress('  LiveMall messages sent', total);
    let nextPin = started;
    while (sent < total) {
      if (Date.now() >= nextPin) {
        nextPin += PIN_EVERY_MS;
        const productId = products[pins.sent % products.length]!;
        pins.mark(productId);
        void json(`${shop}/rooms/${room.id}/pin`, { method: 'PUT', token: owner, body: JSON.stringify({ productId }) });
      }
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
      for (; sent < due; sent++)
        senders[sent % SENDERS]!.send(JSON.stringify({ type: 'chat', data: { text: `m${sent}|${Date.now()}` } }));
      sending.update(sent);
      await sleep(10);
    }
    sending.finish();
    const sentAt = Date.now();
    await sleep(2000); // let the last batches arrive
    for (const ws of [...viewers, ...senders]) ws.terminate();
    const delivered = counts.reduce((s, c) => s + c, 0);
    return {
      label: `LiveMall gateway (chat shown ≤ ${DISPLAY}/s)`,
      sent,
      delivered,
      perViewerMin: Math.min(...counts),
      perViewerMax: Math.max(...counts),
      seconds: (sentAt - started) / 1000,
      latencies,
      pinsSent: pins.sent,
      pinsMin: Math.min(...pinCounts),
      pinLatencies,
    };
  } finally {
    await node.stop();
  }
}

async function runSocketIo(): Promise<Result> {
  const srv = await startSocketIo();
  try {
    const counts = new Array<number>(VIEWERS).fill(0);
    const latencies: number[] = [];
    const pins = new PinClock();
    const pinCounts = new Array<number>(VIEWERS).fill(0);
    const pinLatencies: number[] = [];
    const connect = (onChat?: (m: { text: string }) => void, onPin?: (productId: number) => void) =>
      new Promise<Socket>((resolve, reject) => {
        const s = ioClient(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false });
        s.once('connect_error', reject);
        s.once('connect', () => {
          s.emit('join', 'bench');
          setTimeout(() => resolve(s), 5);
        });
        if (onChat) s.on('chat', onChat);
        if (onPin) s.on('pin', onPin);
      });
    const viewers = await inBatches(
      VIEWERS,
      250,
      (i) =>
        connect(
          (m) => {
            counts[i]!++;
            if (i < SAMPLED) latencies.push(Date.now() - Number(m.text.split('|')[1]));
          },
          (productId) => {
            pinCounts[i]!++;
            const l = pins.latency(productId);
            if (i < SAMPLED && l !== undefined) pinLatencies.push(l);
          },
        ),
      'socket.io: viewers connected',
    );
    const senders = await inBatches(SENDERS, 50, () => connect(), 'socket.io: senders connected');
    await sleep(500);
    let sent = 0;
    const started = Date.now();
    const total = RATE * SECONDS;
    const sending = progress('  socket.io messages sent', total);
    let nextPin = started;
    while (sent < total) {
      if (Date.now() >= nextPin) {
        nextPin += PIN_EVERY_MS;
        const productId = 1 + (pins.sent % 4);
        pins.mark(productId);
        senders[0]!.emit('pin', { room: 'bench', productId });
      }
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * RATE));
      for (; sent < due; sent++)
        senders[sent % SENDERS]!.emit('chat', { room: 'bench', text: `m${sent}|${Date.now()}` });
      sending.update(sent);
      await sleep(10);
    }
    sending.finish();
    const sentAt = Date.now();
    await sleep(2000);
    for (const s of [...viewers, ...senders]) s.disconnect();
    const delivered = counts.reduce((s, c) => s + c, 0);
    return {
      label: 'socket.io broadcast (all chat)',
      sent,
      delivered,
      perViewerMin: Math.min(...counts),
      perViewerMax: Math.max(...counts),
      seconds: (sentAt - started) / 1000,
      latencies,
      pinsSent: pins.sent,
      pinsMin: Math.min(...pinCounts),
      pinLatencies,
    };
  } finally {
    await srv.stop();
  }
}

console.log(
  `Fan-out benchmark: ${VIEWERS} viewers in one room, ${RATE} chat msgs/s from ${SENDERS} senders for ${SECONDS}s`,
);
const results = [await runLiveMall(), await runSocketIo()];
console.log(
  '\n| target | chat sent | chat shown per viewer (min–max) | chat p50 / p99 | pins sent | fewest pins a viewer got | pin p50 / p99 |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  const chat = `${pct(r.latencies, 50)} / ${pct(r.latencies, 99)} ms`;
  const pin = `${pct(r.pinLatencies, 50)} / ${pct(r.pinLatencies, 99)} ms`;
  console.log(
    `| ${r.label} | ${r.sent} | ${r.perViewerMin}–${r.perViewerMax} | ${chat} | ${r.pinsSent} | ${r.pinsMin} | ${pin} |`,
  );
}
const [ours, theirs] = results as [Result, Result];
console.log(
  `\nFrames that matter (pins), p99: LiveMall ${pct(ours.pinLatencies, 99)} ms vs socket.io ${pct(theirs.pinLatencies, 99)} ms (goal < 250 ms).`,
);
process.exit(0);
