// One client process of bench/fanout-nodes.ts: opens its share of the viewers' sockets, spread over the
// nodes, joins the room, and counts the frames that matter (pins) and the chat it is shown. Latency is
// measured on a sample of its sockets against the pins' send times the parent passes at the end on stdin.
// Prints one JSON line when the parent closes stdin.
import WebSocket from 'ws';

const [urls, roomId, count, offset] = [
  process.env.NODE_URLS!.split(','),
  process.env.ROOM_ID!,
  Number(process.env.COUNT),
  Number(process.env.OFFSET),
];
const SAMPLED_EVERY = 25;
const PINNED = Buffer.from('"type":"product.pinned"');
const pinsSeen = new Array<number>(count).fill(0);
const pinArrivals: Array<[productId: number, at: number]> = []; // at sampled sockets
let chatShown = 0;
let connected = 0;
let closedByServer = 0; // e.g. cut as a slow consumer: a viewer this machine could not keep up with

const open = (i: number) =>
  new Promise<void>((resolve) => {
    const url = urls[(offset + i) % urls.length]!.replace('http', 'ws');
    const ws = new WebSocket(`${url}/ws?v=1&roomId=${roomId}`, { perMessageDeflate: false });
    let joined = false;
    ws.on('message', (d: Buffer) => {
      if (!joined) {
        joined = true;
        connected++;
        resolve();
        return;
      }
      // Search the bytes as they came: 20,000 sockets in a few processes cannot afford a string each.
      let at = d.indexOf(PINNED);
      while (at !== -1) {
        pinsSeen[i]!++;
        if (i % SAMPLED_EVERY === 0) {
          const productId = Number(/"product":\{"id":(\d+)/.exec(d.toString('utf8', at))?.[1] ?? -1);
          pinArrivals.push([productId, Date.now()]);
        }
        at = d.indexOf(PINNED, at + 10);
      }
      if (i % SAMPLED_EVERY === 0) chatShown += d.toString().split('"type":"chat"').length - 1;
    });
    ws.on('error', () => resolve());
    ws.on('close', () => closedByServer++);
  });

for (let i = 0; i < count; i += 200) {
  await Promise.all(Array.from({ length: Math.min(200, count - i) }, (_, k) => open(i + k)));
}
process.stdout.write(`${JSON.stringify({ ready: connected })}\n`);
let input = '';
process.stdin.on('data', (d) => {
  input += d.toString();
});
process.stdin.on('end', () => {
  // Each arrival belongs to the latest pin of that product sent before it.
  const sends = JSON.parse(input) as Array<[productId: number, at: number]>;
  const latencies: number[] = [];
  for (const [productId, at] of pinArrivals) {
    const sent = sends.filter(([p, t]) => p === productId && t <= at).at(-1);
    if (sent) latencies.push(at - sent[1]);
  }
  const sampled = Math.ceil(count / SAMPLED_EVERY);
  process.stdout.write(
    `${JSON.stringify({
      connected,
      closedByServer,
      cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      minPins: Math.min(...pinsSeen),
      latencies,
      chatShownPerSampled: chatShown / sampled,
    })}\n`,
  );
  process.exit(0);
});
