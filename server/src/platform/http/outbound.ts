// Calls to URLs that tenants give us (alert webhooks): the target's address is parsed and checked
// against every special-purpose range of the IANA IPv4 and IPv6 registries (loopback, private,
// link-local and the cloud metadata address, CGNAT, multicast, reserved, documentation, ULA, and
// IPv6 forms that carry an IPv4 address: mapped, translated, NAT64, 6to4, Teredo). The name is
// resolved once and the connection goes to the address that was checked, so a DNS answer that
// changes between check and connect (rebinding) cannot point it inside. Redirects are not followed.
import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
export type Lookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** Operators may let tenants reach private networks (ALERT_WEBHOOK_ALLOW_PRIVATE); off by default. */
  allowPrivate: boolean;
  /** Name resolution; tests pass their own to play a rebinding DNS server. */
  lookup?: Lookup;
}

export interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

const systemLookup: Lookup = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

// IPv6 forms whose last 32 bits are an IPv4 address the packet ends up at.
const EMBEDS_IPV4_AT_END = new Set(['ipv4Mapped', 'rfc6145']);
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');
// Deprecated IPv4-compatible addresses (::a.b.c.d): not in ipaddr.js's table, never a real host.
const IPV4_COMPATIBLE = ipaddr.IPv6.parseCIDR('::/96');

/** The special-purpose range an address is in (so it may not be called), or null for a public unicast address. */
export function blockedRange(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, ''));
  } catch {
    return 'not an IP address';
  }
  if (ip.kind() === 'ipv4') {
    const range = (ip as ipaddr.IPv4).range();
    return range === 'unicast' ? null : range;
  }
  const v6 = ip as ipaddr.IPv6;
  const range = v6.range();
  if (EMBEDS_IPV4_AT_END.has(range) || (range === 'rfc6052' && v6.match(NAT64_WELL_KNOWN))) {
    const inner = blockedRange(lastIPv4(v6));
    return inner ? `${range} ${inner}` : range === 'rfc6052' ? null : `${range} (IPv4 written as IPv6)`;
  }
  if (range === '6to4') {
    const p = v6.parts; // 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
    const inner = blockedRange([p[1]! >> 8, p[1]! & 0xff, p[2]! >> 8, p[2]! & 0xff].join('.'));
    return inner ? `6to4 ${inner}` : null;
  }
  if (range !== 'unicast') return range; // incl. Teredo, local-use NAT64 and every other special range
  if (v6.match(IPV4_COMPATIBLE)) return 'IPv4-compatible';
  return null;
}

function lastIPv4(v6: ipaddr.IPv6): string {
  const p = v6.parts;
  return [p[6]! >> 8, p[6]! & 0xff, p[7]! >> 8, p[7]! & 0xff].join('.');
}

/** Resolve and check a URL once; the answer is where to connect, or why not. */
export async function resolveTarget(raw: string, policy: OutboundPolicy): Promise<Target | { problem: string }> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'not a URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { problem: 'only http(s) URLs' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: ResolvedAddress[];
  if (ipaddr.isValid(host)) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await (policy.lookup ?? systemLookup)(host);
    } catch {
      return { problem: 'the host does not resolve' };
    }
  }
  if (addresses.length === 0) return { problem: 'the host does not resolve' };
  if (!policy.allowPrivate) {
    // One bad answer is enough: a name that points into our network is not a tenant's receiver.
    for (const a of addresses) {
      const range = blockedRange(a.address);
      if (range) return { problem: `the host is on a loopback, private or reserved network (${range})` };
    }
  }
  return { url, address: addresses[0]!.address, family: addresses[0]!.family };
}

/**
 * POST to a resolved target, connecting to target.address only (the URL's name still goes in the
 * Host header and TLS SNI/certificate check). Resolves with the status code; never follows redirects.
 */
export function postTo(
  target: Target,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number> {
  // Node asks for every address when it may try several (autoSelectFamily): the answer is the same one.
  const pinned: LookupFunction = (_hostname, options, callback) => {
    const answer = { address: target.address, family: target.family };
    const all = callback as unknown as (e: null, a: ResolvedAddress[]) => void;
    if ((options as { all?: boolean }).all) all(null, [answer]);
    else callback(null, answer.address, answer.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      target.url,
      {
        method: 'POST',
        agent: false,
        lookup: pinned,
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy(); // the answer's body is not needed, and may be endless
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}
