// Fan-out benchmark: 5,000 viewers in one room, 200 chat messages/s sent by 400 signed-in viewers
// for a bounded time, through LiveMall's gateway (batched frames, Redis or in-process pub/sub),
// next to a socket.io broadcast server under the same load in the same run. Prints delivered
// messages/s, p50/p99 send-to-receive latency (sampled viewers) and whether every viewer got every
// message.   npx tsx bench/fanout.ts   (VIEWERS, RATE, BENCH_SECONDS to change the load)
import { io as ioClient, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { progress } from '../server/src/platform/progress.ts';
import { startLiveMall, startSocketIo } from './lib/processes.ts';

const VIEWERS = Number(process.env.VIEWERS ?? 5000);
const SENDERS = Number(process.env.SENDERS ?? 400);
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
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
  const node = await startLiveMall({ CHAT_RATE_PER_10S: '100' }); // the senders here are load, not spammers
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
    const room = await json(`/api/merchants/${me.merchants[0].id}/rooms`, {
      method: 'POST',
      token: owner,
      body: JSON.stringify({ title: 'fanout bench' }),
    });
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
          if (i < SAMPLED && c) {
            const now = Date.now();
            for (const f of JSON.parse(data) as Array<{ type: string; data: { text: string } }>)
              if (f.type === 'chat') latencies.push(now - Number(f.data.text.split('|')[1]));
          }
        }),
      'LiveMall: viewers connected',
    );
    const senders = await inBatches(SENDERS, 50, (i) => open(`&token=${tokens[i]}`), 'LiveMall: senders connected');
    let sent = 0;
    const started = Date.now();
    const total = RATE * SECONDS;
    const sending = progress('  LiveMall messages sent', total);
    while (sent < total) {
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
      label: 'LiveMall gateway',
      sent,
      delivered,
      perViewerMin: Math.min(...counts),
      perViewerMax: Math.max(...counts),
      seconds: (sentAt - started) / 1000,
      latencies,
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
    const connect = (onChat?: (m: { text: string }) => void) =>
      new Promise<Socket>((resolve, reject) => {
        const s = ioClient(srv.url, { transports: ['websocket'], forceNew: true, reconnection: false });
        s.once('connect_error', reject);
        s.once('connect', () => {
          s.emit('join', 'bench');
          setTimeout(() => resolve(s), 5);
        });
        if (onChat) s.on('chat', onChat);
      });
    const viewers = await inBatches(
      VIEWERS,
      250,
      (i) =>
        connect((m) => {
          counts[i]!++;
          if (i < SAMPLED) latencies.push(Date.now() - Number(m.text.split('|')[1]));
        }),
      'socket.io: viewers connected',
    );
    const senders = await inBatches(SENDERS, 50, () => connect(), 'socket.io: senders connected');
    await sleep(500);
    let sent = 0;
    const started = Date.now();
    const total = RATE * SECONDS;
    const sending = progress('  socket.io messages sent', total);
    while (sent < total) {
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
      label: 'socket.io broadcast',
      sent,
      delivered,
      perViewerMin: Math.min(...counts),
      perViewerMax: Math.max(...counts),
      seconds: (sentAt - started) / 1000,
      latencies,
    };
  } finally {
    await srv.stop();
  }
}

console.log(
  `Fan-out benchmark: ${VIEWERS} viewers in one room, ${RATE} chat msgs/s from ${SENDERS} senders for ${SECONDS}s`,
);
const results = [await runLiveMall(), await runSocketIo()];
console.log('\n| target | sent | delivered | delivered msgs/s | every viewer got (min–max of sent) | p50 | p99 |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of results) {
  console.log(
    `| ${r.label} | ${r.sent} | ${r.delivered} | ${Math.round(r.delivered / (r.seconds + 2))} | ${r.perViewerMin}–${r.perViewerMax} of ${r.sent} | ${pct(r.latencies, 50)} ms | ${pct(r.latencies, 99)} ms |`,
  );
}
const [ours, theirs] = results as [Result, Result];
console.log(
  `\nLiveMall delivered ${(ours.delivered / Math.max(1, theirs.delivered)).toFixed(2)}× socket.io's messages in the same time; p99 ${pct(ours.latencies, 99)} ms vs ${pct(theirs.latencies, 99)} ms.`,
);
process.exit(0);
