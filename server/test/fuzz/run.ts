// Sends the generated requests and judges each answer: never a 5xx, every refusal in the one error
// shape with a code the server is known to emit (test/error-codes.ts scans them from the source).
import fc from 'fast-check';
import type { TestNode } from '../harness.ts';
import {
  requestArbitrary,
  type Baseline,
  type Caller,
  type FuzzRequest,
  type Known,
  type Operation,
} from './requests.ts';
import type { Schema } from './values.ts';

export interface Finding {
  op: string;
  status: number;
  code?: string;
  what: string;
  request: FuzzRequest;
}
export interface OperationReport {
  requests: number;
  /** By class (2xx, 4xx…) and, for refusals, by code: what the service answered. */
  byStatus: Record<string, number>;
  byCode: Record<string, number>;
  findings: Finding[];
  /** It answered 2xx at least once: the fuzz got past the guard into the service. */
  reached: boolean;
}

export interface FuzzWorld {
  tokens: Record<Exclude<Caller, 'anonymous' | 'garbage'>, () => Promise<string>>;
  known: Known;
  baseline: Baseline;
  /** Issue the callers' tokens again (an operation may have signed one out). */
  refresh: () => Promise<void>;
}

const GARBAGE_TOKENS = [
  'Bearer x',
  `Bearer ${'a'.repeat(5_000)}`,
  'Basic Zm9vOmJhcg==',
  'Bearer eyJhbGciOiJub25lIn0.e30.',
  'Bearer \u00e9',
];
const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

async function send(node: TestNode, op: Operation, req: FuzzRequest, world: FuzzWorld, n: number) {
  const headers: Record<string, string> = { ...req.headers };
  if (req.caller === 'garbage') headers.authorization = GARBAGE_TOKENS[n % GARBAGE_TOKENS.length]!;
  else if (req.caller !== 'anonymous') headers.authorization = `Bearer ${await world.tokens[req.caller]()}`;
  const controller = new AbortController();
  // FLV and other streams never end by themselves: the status and the first bytes are enough.
  const timer = setTimeout(() => controller.abort(), 15_000);
  try {
    const res = await fetch(node.url + req.url, {
      method: op.method,
      headers,
      signal: controller.signal,
      redirect: 'manual',
      ...(req.body !== undefined ? { body: req.body } : {}),
    });
    const type = res.headers.get('content-type') ?? '';
    const text = type.includes('json') || res.status >= 400 ? await readSome(res, controller) : '';
    if (!text) controller.abort();
    return { status: res.status, text, timedOut: false };
  } catch (err) {
    if (controller.signal.aborted) return { status: 0, text: '', timedOut: true };
    return { status: -1, text: String((err as Error).cause ?? err), timedOut: false };
  } finally {
    clearTimeout(timer);
  }
}

async function readSome(res: Response, controller: AbortController): Promise<string> {
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.length;
    if (size > 2_000_000) {
      controller.abort();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Answers written for a payment provider, in its own protocol (WeChat Pay's {code:"FAIL"}, Alipay's
 * "fail"): never a 5xx, but not our error shape either.
 */
const PROVIDER_PROTOCOL = new Set(['POST /api/payments/notify/{provider}']);

export function judge(
  op: string,
  req: FuzzRequest,
  r: { status: number; text: string },
  known: Set<string>,
): Finding | null {
  const finding = (what: string, code?: string): Finding => ({
    op,
    status: r.status,
    what,
    request: req,
    ...(code ? { code } : {}),
  });
  if (r.status <= 0) return finding(`no answer: ${r.text || 'timed out'}`);
  if (r.status >= 500 && PROVIDER_PROTOCOL.has(op)) return finding(`server error: ${r.text.slice(0, 120)}`);
  if (r.status < 400 || PROVIDER_PROTOCOL.has(op)) return null;
  let body: any;
  try {
    body = JSON.parse(r.text);
  } catch {
    return finding(`not JSON: ${r.text.slice(0, 120)}`);
  }
  const code = body?.error?.code;
  if (typeof code !== 'string' || typeof body.error.message !== 'string') {
    return finding(`not the error shape: ${r.text.slice(0, 120)}`);
  }
  if (r.status >= 500) return finding(`server error: ${body.error.message}`, code);
  if (!CODE.test(code) || !known.has(code)) return finding(`unknown error code ${code}`, code);
  return null;
}

/** `runs` requests for one operation, from `seed`, sent `concurrency` at a time (so races show too). */
export async function fuzzOperation(
  node: TestNode,
  doc: Schema,
  op: Operation,
  world: FuzzWorld,
  o: { seed: number; runs: number; knownCodes: Set<string>; concurrency: number },
): Promise<OperationReport> {
  const report: OperationReport = { requests: 0, byStatus: {}, byCode: {}, findings: [], reached: false };
  const name = `${op.method} ${op.path}`;
  const requests = fc.sample(requestArbitrary(doc, op, world.known, world.baseline), { seed: o.seed, numRuns: o.runs });
  for (let k = 0; k < requests.length; k += o.concurrency) {
    await Promise.all(
      requests.slice(k, k + o.concurrency).map(async (req, j) => {
        const r = await send(node, op, req, world, k + j);
        report.requests++;
        const bucket = r.status <= 0 ? 'none' : `${Math.floor(r.status / 100)}xx`;
        report.byStatus[bucket] = (report.byStatus[bucket] ?? 0) + 1;
        if (r.status >= 200 && r.status < 300) report.reached = true;
        if (r.status >= 400) {
          let code = `${r.status}`;
          try {
            code = `${r.status} ${JSON.parse(r.text)?.error?.code ?? ''}`;
          } catch {
            /* judged below */
          }
          report.byCode[code] = (report.byCode[code] ?? 0) + 1;
        }
        const f = judge(name, req, r, o.knownCodes);
        if (f) report.findings.push(f);
      }),
    );
  }
  return report;
}
