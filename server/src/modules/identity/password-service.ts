// Changing a password (signed in, with the current one) and resetting a forgotten one (an SMS code).
// Either way the new password must pass the rules and the common-password list, and the other
// sessions are signed out: whoever else held the account loses it.
import { sql } from 'kysely';
import type { Actor } from '../../platform/auth/access.ts';
import type { AppContext } from '../../platform/context.ts';
import { badRequest, conflict, forbidden, notFound } from '../../platform/errors.ts';
import { tooManyRequests } from '../../platform/http/rate-limit.ts';
import type { AuthService, ClientMeta } from './auth-service.ts';
import { assertAcceptablePassword, normalizePhone } from './passwords.ts';
import { ResetCodes } from './reset-codes.ts';
import type { SmsSender } from './sms.ts';
import './tables.ts';

export class PasswordService {
  readonly codes: ResetCodes;

  constructor(
    private readonly ctx: AppContext,
    private readonly auth: AuthService,
    public sms: SmsSender,
  ) {
    this.codes = new ResetCodes(ctx.cache, ctx.tokens, ctx.config.smsCode);
  }

  /** Needs the current password (throttled like a sign-in); signs out every other session. */
  async change(
    actor: Actor,
    input: { currentPassword: string; newPassword: string; captcha?: string | undefined },
    meta: ClientMeta,
  ) {
    assertAcceptablePassword(input.newPassword);
    const user = await this.ctx.db
      .selectFrom('users')
      .select(['id', 'password_hash'])
      .where('id', '=', actor.userId)
      .executeTakeFirst();
    if (!user) throw notFound('User');
    if (!user.password_hash) {
      throw conflict('PASSWORD_NOT_SET', 'This account signs in with WeChat and has no password to change');
    }
    const attempt = await this.auth.guard.enter(`user:${user.id}`, meta.ip, input.captcha);
    if (!(await this.auth.passwords.verify(user.password_hash, input.currentPassword))) {
      throw forbidden('The current password is wrong', 'PASSWORD_WRONG');
    }
    await attempt.succeeded();
    if (input.newPassword === input.currentPassword) {
      throw badRequest('PASSWORD_UNCHANGED', 'The new password is the current one');
    }
    await this.setPassword(user.id, input.newPassword);
    const signedOut = await this.auth.revokeAllSessions(user.id, 'password changed', actor.sessionId);
    return { ok: true as const, signedOutSessions: signedOut };
  }

  /**
   * Text a reset code to the phone. The answer is the same whether or not the number is registered
   * (no one learns who has an account); one code per phone per SMS_CODE_RESEND_SEC, across nodes.
   */
  async requestCode(rawPhone: string): Promise<{ ok: true; resendAfterSec: number; expiresInSec: number }> {
    const phone = normalizePhone(rawPhone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Phone must be a mainland mobile number');
    const { resendSec, ttlSec } = this.ctx.config.smsCode;
    const cooldownKey = `auth:reset-cooldown:${phone}`;
    if (!(await this.ctx.cache.set(cooldownKey, '1', { ttlMs: resendSec * 1000, nx: true }))) {
      const left = await this.ctx.cache.ttlMs(cooldownKey);
      const message = 'A code was just sent to this phone; wait before asking again';
      throw tooManyRequests(left > 0 ? left / 1000 : resendSec, message);
    }
    const daily = await this.ctx.cache.rateLimit(`auth:reset-daily:${phone}`, 10, 24 * 3600_000);
    if (!daily.allowed) throw tooManyRequests(daily.resetMs / 1000, 'Too many codes for this phone today');
    const user = await this.ctx.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
    if (user) {
      const code = await this.codes.issue(phone);
      // Sent from the request, not a job: the code must not be written to the database in clear.
      await this.sms.send({ phone, template: 'password_reset', params: { code, minutes: Math.ceil(ttlSec / 60) } });
    }
    return { ok: true, resendAfterSec: resendSec, expiresInSec: ttlSec };
  }

  /** Set a new password with the texted code: the code is spent, every session signed out, failures forgotten. */
  async reset(input: { phone: string; code: string; newPassword: string }) {
    const phone = normalizePhone(input.phone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Phone must be a mainland mobile number');
    assertAcceptablePassword(input.newPassword);
    const check = await this.codes.check(phone, input.code);
    if (check.outcome === 'wrong') {
      const message = check.attemptsLeft > 0 ? 'The code is wrong' : 'The code is wrong; ask for a new one';
      throw badRequest('RESET_CODE_INVALID', message, { attemptsLeft: check.attemptsLeft });
    }
    if (check.outcome === 'expired') throw badRequest('RESET_CODE_EXPIRED', 'The code has expired; ask for a new one');
    if (check.outcome === 'none') {
      throw badRequest('RESET_CODE_INVALID', 'No code is waiting for this phone; ask for one', { attemptsLeft: 0 });
    }
    const user = await this.ctx.db.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
    if (!user) throw notFound('User');
    await this.setPassword(user.id, input.newPassword);
    const signedOut = await this.auth.revokeAllSessions(user.id, 'password reset');
    await this.auth.guard.clear(`phone:${phone}`);
    return { ok: true as const, signedOutSessions: signedOut };
  }

  private async setPassword(userId: number, password: string): Promise<void> {
    const hash = await this.auth.passwords.hash(password);
    await this.ctx.db
      .updateTable('users')
      .set({ password_hash: hash, updated_at: sql<Date>`now()` })
      .where('id', '=', userId)
      .execute();
  }
}
