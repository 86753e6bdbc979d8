// Open-model fixed-rate load: request i is due at t0 + i / rate and is sent then whether or not
// earlier ones have answered (no coordinated omission). Latency is measured from the *intended*
// send time, so time a request spends waiting for a free socket, or behind a late timer in this
// process, counts against the server rather than disappearing. Bounded: rate × seconds requests,
// each with a timeout, after a warm-up that is sent the same way and not recorded.
import fs from 'node:fs';
import http from 'node:http';

export interface FixedRateResult {
  label: string;
  /** Requests offered in the measured window. */
  offered: number;
  rate: number;
  /** Answered 2xx per second over the window (first intended send to the last answer). */
  achievedRps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** How late this process sent requests (p99 of actual − intended send, ms): the loader's own health. */
  sendLagP99: number;
  bodyBytes: number;
  /** CPU the server's process group spent per answered request in the window (ms), if its group was given. */
  serverCpuMs?: number;
}

export interface FixedRateOptions {
  url: string;
  rate: number;
  seconds: number;
  warmupSeconds: number;
  /** Sockets at most; requests beyond wait for one (and that wait is measured). */
  maxSockets?: number;
  timeoutMs?: number;
  /** The server's process group (a detached child's pid): its CPU per request is reported, which the other
   * load on a shared machine skews far less than latency. */
  serverGroup?: number;
}

/** user + system CPU seconds of every process in a process group (Linux /proc; undefined elsewhere). */
function groupCpuSeconds(group: number): number | undefined {
  try {
    let ticks = 0;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue; // gone
      }
      // Fields after the command name, which is in parentheses and may hold spaces.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === group) ticks += Number(f[11]) + Number(f[12]);
    }
    return ticks / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

const quantile = (sorted: Float64Array, q: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : Number.NaN;
const round = (ms: number) => Math.round(ms * 100) / 100;

interface Phase {
  latencies: number[];
  lags: number[];
  non2xx: number;
  errors: number;
  lastEnd: number;
  bodyBytes: number;
}

function runPhase(target: URL, agent: http.Agent, rate: number, count: number, timeoutMs: number): Promise<Phase> {
  const phase: Phase = { latencies: [], lags: [], non2xx: 0, errors: 0, lastEnd: 0, bodyBytes: 0 };
  const interval = 1000 / rate;
  const t0 = performance.now() + 5;
  let sent = 0;
  let done = 0;
  return new Promise((resolve) => {
    const finish = (intended: number, ok: boolean | 'error') => {
      const end = performance.now();
      phase.lastEnd = Math.max(phase.lastEnd, end);
      if (ok === 'error') phase.errors++;
      else if (!ok) phase.non2xx++;
      else phase.latencies.push(end - intended);
      if (++done === count) resolve(phase);
    };
    const send = (intended: number) => {
      phase.lags.push(performance.now() - intended);
      let settled = false;
      const settle = (ok: boolean | 'error') => {
        if (settled) return;
        settled = true;
        finish(intended, ok);
      };
      const req = http.get(target, { agent, timeout: timeoutMs }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => {
          phase.bodyBytes = bytes;
          settle(res.statusCode! >= 200 && res.statusCode! < 300);
        });
        res.on('error', () => settle('error'));
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => settle('error'));
    };
    const tick = () => {
      const now = performance.now();
      while (sent < count && t0 + sent * interval <= now) send(t0 + sent++ * interval);
      if (sent < count) setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
    };
    setTimeout(tick, 5);
  });
}

export async function fixedRate(label: string, opts: FixedRateOptions): Promise<FixedRateResult> {
  const { rate, seconds, warmupSeconds } = opts;
  const timeoutMs = opts.timeoutMs ?? 5000;
  process.stdout.write(`  ${label}: warm-up ${warmupSeconds}s, then ${rate} req/s for ${seconds}s...\n`);
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 64 });
  try {
    if (warmupSeconds > 0) await runPhase(target, agent, rate, Math.round(rate * warmupSeconds), timeoutMs);
    const count = Math.round(rate * seconds);
    const cpuBefore = opts.serverGroup ? groupCpuSeconds(opts.serverGroup) : undefined;
    const start = performance.now();
    const p = await runPhase(target, agent, rate, count, timeoutMs);
    const cpuAfter = opts.serverGroup ? groupCpuSeconds(opts.serverGroup) : undefined;
    const sorted = Float64Array.from(p.latencies).sort();
    const lags = Float64Array.from(p.lags).sort();
    return {
      label,
      offered: count,
      rate,
      achievedRps: Math.round(p.latencies.length / ((p.lastEnd - start) / 1000)),
      p50: round(quantile(sorted, 0.5)),
      p95: round(quantile(sorted, 0.95)),
      p99: round(quantile(sorted, 0.99)),
      max: round(sorted.length ? sorted[sorted.length - 1]! : Number.NaN),
      non2xx: p.non2xx,
      errors: p.errors,
      sendLagP99: round(quantile(lags, 0.99)),
      bodyBytes: p.bodyBytes,
      ...(cpuBefore !== undefined && cpuAfter !== undefined && p.latencies.length
        ? { serverCpuMs: round(((cpuAfter - cpuBefore) * 1000) / p.latencies.length) }
        : {}),
    };
  } finally {
    agent.destroy();
  }
}

export function fixedRateTable(rows: FixedRateResult[]): string {
  const head = ['target', 'offered', 'req/s', 'achieved/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'non-2xx'];
  head.push('errors', 'send lag p99 ms', 'body B', 'server CPU ms/req');
  const body = rows.map((r) =>
    [
      r.label,
      r.offered,
      r.rate,
      r.achievedRps,
      r.p50,
      r.p95,
      r.p99,
      r.max,
      r.non2xx,
      r.errors,
      r.sendLagP99,
      r.bodyBytes,
      r.serverCpuMs ?? '-',
    ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
