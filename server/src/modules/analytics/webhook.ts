// Outgoing alert webhooks: signed like Stripe's (t=<unix seconds>,v1=<HMAC-SHA256 of "t.body">),
// and kept off loopback, private and every other special-purpose network unless the operator
// allows it, so a tenant cannot use the platform to reach the host's own network (SSRF). The
// checks and the pinned connection live in platform/http/outbound.ts.
import crypto from 'node:crypto';
import { postTo, resolveTarget, type Lookup } from '../../platform/http/outbound.ts';

export interface WebhookPolicy {
  allowPrivate: boolean;
  lookup?: Lookup | undefined;
}

/** Why this URL may not be called, or null when it may. */
export async function webhookProblem(url: string, policy: WebhookPolicy): Promise<string | null> {
  const target = await resolveTarget(url, policy);
  return 'problem' in target ? target.problem : null;
}

/**
 * Deliver one webhook: resolve and check the URL now (it may resolve elsewhere than when it was
 * saved), connect to exactly that address. Answers 'refused' with the reason, or the status code.
 */
export async function deliverWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  policy: WebhookPolicy & { timeoutMs: number },
): Promise<{ refused: string } | { status: number }> {
  const target = await resolveTarget(url, policy);
  if ('problem' in target) return { refused: target.problem };
  return { status: await postTo(target, body, headers, policy.timeoutMs) };
}

export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(24).toString('base64url')}`;
}

export function signWebhook(secret: string, body: string, at = Date.now()): string {
  const t = Math.floor(at / 1000);
  return `t=${t},v1=${crypto.createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}
