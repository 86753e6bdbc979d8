// Outgoing alert webhooks: signed like Stripe's (t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">),
// and kept off loopback/private networks unless the operator allows it, so a tenant cannot use
// the platform to probe the host's own network (SSRF).
import crypto from 'node:crypto';
import dns from 'node:dns/promises';
import net from 'node:net';

const PRIVATE = new net.BlockList();
for (const [prefix, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) PRIVATE.addSubnet(prefix, bits, 'ipv4');
for (const [prefix, bits] of [['::1', 128], ['::', 128], ['fc00::', 7], ['fe80::', 10]] as const) PRIVATE.addSubnet(prefix, bits, 'ipv6');

/** Why this URL may not be called, or null when it may. */
export async function webhookProblem(url: string, allowPrivate: boolean): Promise<string | null> {
  let u: URL;
  try { u = new URL(url); } catch { return 'not a URL'; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return 'only http(s) URLs';
  if (allowPrivate) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try { addresses = net.isIP(host) ? [{ address: host, family: net.isIP(host) }] : await dns.lookup(host, { all: true }); } catch { return 'the host does not resolve'; }
  const mapped = (a: string) => a.replace(/^::ffff:/i, '');
  if (addresses.some((a) => PRIVATE.check(mapped(a.address), net.isIPv4(mapped(a.address)) ? 'ipv4' : 'ipv6'))) return 'the host is on a loopback or private network';
  return null;
}

export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64url')}`;
}

export function signWebhook(secret: string, body: string, at = Date.now()): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
