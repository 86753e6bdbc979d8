// Bounded load runs with autocannon, summarised the same way for every target.
import autocannon from 'autocannon';

export interface LoadResult {
  label: string;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function load(label: string, opts: autocannon.Options): Promise<LoadResult> {
  process.stdout.write(
    `  running ${label}: ${opts.amount ? `${opts.amount} requests` : `${opts.duration ?? 8}s`} with ${opts.connections} connections...\n`,
  );
  const started = performance.now();
  const r = await autocannon({ ...opts, ...(opts.amount ? {} : { duration: opts.duration ?? 8 }) });
  const elapsedSec = (performance.now() - started) / 1000;
  // A fixed number of requests finishes in a few seconds: autocannon's per-second figures are too
  // coarse, so divide by the measured wall time.
  const rps = opts.amount ? Math.round(r.requests.total / elapsedSec) : Math.round(r.requests.average);
  return {
    label,
    requests: r.requests.total,
    rps,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export function table(rows: LoadResult[]): string {
  const head = ['target', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'];
  const body = rows.map((r) => [r.label, r.requests, r.rps, r.p50, r.p99, r.non2xx, r.errors].map(String));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}
