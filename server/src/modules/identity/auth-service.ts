// Sign-up, sign-in (phone + password, WeChat mini-program), refresh-token rotation and sign-out.
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../../platform/context.ts';
import type { Actor } from '../../platform/auth/access.ts';
import { disabledUserKey, revokedSessionKey } from '../../platform/auth/guard.ts';
import { AppError, badRequest, conflict, notFound, unauthorized } from '../../platform/errors.ts';
import type { Db } from '../../platform/db/types.ts';
import { argon2Hasher, assertAcceptablePassword, normalizePhone, type PasswordHasher } from './passwords.ts';
import type { WechatAuthAdapter } from './wechat.ts';
import { SandboxCaptcha } from './captcha.ts';
import { LoginGuard } from './login-guard.ts';
import './tables.ts';
import { transact } from '../../platform/db/transact.ts';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

export interface UserView {
  id: number;
  phone: string | null;
  nickname: string;
  avatarUrl: string | null;
  isPlatformAdmin: boolean;
  hasWechat: boolean;
  createdAt: Date;
}

export interface ClientMeta {
  userAgent?: string | undefined;
  ip?: string | undefined;
}

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export class AuthService {
  /** argon2id; tests wrap it to count verifications. */
  passwords: PasswordHasher = argon2Hasher;
  /** Failure counters and the captcha step-up, shared with password changes. */
  readonly guard: LoginGuard;

  constructor(
    private readonly ctx: AppContext,
    private readonly wechat: WechatAuthAdapter,
  ) {
    this.guard = new LoginGuard(ctx.cache, ctx.config.login, new SandboxCaptcha(ctx.cache));
  }

  private get db(): Db {
    return this.ctx.db;
  }

  async register(input: { phone: string; password: string; nickname?: string | undefined }, meta: ClientMeta) {
    const phone = normalizePhone(input.phone);
    if (!phone) throw badRequest('PHONE_INVALID', 'Phone must be a mainland mobile number');
    assertAcceptablePassword(input.password);
    const passwordHash = await this.passwords.hash(input.password);
    const user = await transact(this.db, async (trx) => {
      const created = await trx
        .insertInto('users')
        .values({ phone, password_hash: passwordHash, nickname: input.nickname?.trim() || `用户${phone.slice(-4)}` })
        .onConflict((oc) => oc.column('phone').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!created) throw conflict('PHONE_TAKEN', 'This phone number is already registered');
      await this.ctx.events.emit(trx, {
        type: 'user.registered',
        aggregateType: 'user',
        aggregateId: created.id,
        payload: { userId: created.id, channel: 'phone' },
      });
      return created;
    });
    return { user: toUserView(user), tokens: await this.startSession(user.id, user.is_platform_admin ?? false, meta) };
  }

  /** The attempt is reserved in the failure counters before the password is checked (login-guard.ts). */
  async login(input: { phone: string; password: string; captcha?: string | undefined }, meta: ClientMeta) {
    const phone = normalizePhone(input.phone);
    if (!phone) throw unauthorized('INVALID_CREDENTIALS', 'Wrong phone number or password');
    const attempt = await this.guard.enter(`phone:${phone}`, meta.ip, input.captcha);
    const user = await this.db.selectFrom('users').selectAll().where('phone', '=', phone).executeTakeFirst();
    // Verify against a dummy hash when the user is missing so timing does not reveal who exists.
    const ok = await this.passwords.verify(user?.password_hash ?? DUMMY_HASH, input.password);
    if (!user || !ok) throw unauthorized('INVALID_CREDENTIALS', 'Wrong phone number or password');
    if (user.status === 'disabled') throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled');
    await attempt.succeeded();
    return { user: toUserView(user), tokens: await this.startSession(user.id, user.is_platform_admin ?? false, meta) };
  }

  async wechatLogin(code: string, meta: ClientMeta) {
    const session = await this.wechat.code2session(code);
    const user = await transact(this.db, async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .selectAll()
        .where('wechat_openid', '=', session.openid)
        .executeTakeFirst();
      if (existing) return { user: existing, created: false };
      const created = await trx
        .insertInto('users')
        .values({
          wechat_openid: session.openid,
          wechat_unionid: session.unionid ?? null,
          nickname: `微信用户${session.openid.slice(-4)}`,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await this.ctx.events.emit(trx, {
        type: 'user.registered',
        aggregateType: 'user',
        aggregateId: created.id,
        payload: { userId: created.id, channel: 'wechat' },
      });
      return { user: created, created: true };
    });
    if (user.user.status === 'disabled') throw new AppError(403, 'ACCOUNT_DISABLED', 'This account is disabled');
    return {
      user: toUserView(user.user),
      created: user.created,
      tokens: await this.startSession(user.user.id, user.user.is_platform_admin ?? false, meta),
    };
  }

  /** Rotate: the presented refresh token is spent and a new pair issued. Reusing a spent token revokes the session. */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const hash = sha256(refreshToken);
    const outcome = await transact(this.db, async (trx) => {
      const row = await trx
        .selectFrom('refresh_tokens as t')
        .innerJoin('auth_sessions as s', 's.id', 't.session_id')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select([
          't.token_hash',
          't.used_at',
          't.expires_at',
          's.id as sessionId',
          's.revoked_at',
          'u.id as userId',
          'u.is_platform_admin',
          'u.status',
        ])
        .where('t.token_hash', '=', hash)
        .forUpdate('t')
        .executeTakeFirst();
      if (!row) return { error: 'REFRESH_TOKEN_INVALID' as const };
      if (row.revoked_at) return { error: 'SESSION_REVOKED' as const };
      if (row.used_at) {
        await trx
          .updateTable('auth_sessions')
          .set({ revoked_at: sql<Date>`now()`, revoke_reason: 'refresh token reused' })
          .where('id', '=', row.sessionId)
          .execute();
        return { error: 'REFRESH_TOKEN_REUSED' as const, sessionId: row.sessionId };
      }
      if (row.expires_at.getTime() <= Date.now()) return { error: 'REFRESH_TOKEN_EXPIRED' as const };
      if (row.status === 'disabled') return { error: 'ACCOUNT_DISABLED' as const };
      await trx
        .updateTable('refresh_tokens')
        .set({ used_at: sql<Date>`now()` })
        .where('token_hash', '=', hash)
        .execute();
      await trx
        .updateTable('auth_sessions')
        .set({ last_used_at: sql<Date>`now()` })
        .where('id', '=', row.sessionId)
        .execute();
      const next = await this.issueRefresh(trx, row.sessionId);
      return {
        sessionId: row.sessionId,
        userId: row.userId,
        isPlatformAdmin: row.is_platform_admin ?? false,
        refreshToken: next,
      };
    });
    if ('error' in outcome && outcome.error) {
      if (outcome.error === 'REFRESH_TOKEN_REUSED' && outcome.sessionId) await this.markRevoked(outcome.sessionId);
      const messages = {
        REFRESH_TOKEN_INVALID: 'Refresh token is not valid',
        SESSION_REVOKED: 'This session was signed out',
        REFRESH_TOKEN_REUSED: 'Refresh token was already used; the session is revoked for safety',
        REFRESH_TOKEN_EXPIRED: 'Refresh token has expired; sign in again',
        ACCOUNT_DISABLED: 'This account is disabled',
      } as const;
      throw unauthorized(outcome.error, messages[outcome.error]);
    }
    return this.pair(outcome.userId, outcome.sessionId, outcome.isPlatformAdmin, outcome.refreshToken);
  }

  /** Sign out the session the refresh token (or the caller's access token) belongs to. */
  async logout(input: { refreshToken?: string | undefined; actor?: Actor | undefined }): Promise<void> {
    let sessionId = input.actor?.sessionId;
    if (input.refreshToken) {
      const row = await this.db
        .selectFrom('refresh_tokens')
        .select('session_id')
        .where('token_hash', '=', sha256(input.refreshToken))
        .executeTakeFirst();
      if (!row) throw unauthorized('REFRESH_TOKEN_INVALID', 'Refresh token is not valid');
      if (input.actor && row.session_id !== input.actor.sessionId) {
        const owner = await this.db
          .selectFrom('auth_sessions')
          .select('user_id')
          .where('id', '=', row.session_id)
          .executeTakeFirst();
        if (owner?.user_id !== input.actor.userId)
          throw unauthorized('REFRESH_TOKEN_INVALID', 'Refresh token is not valid');
      }
      sessionId = row.session_id;
    }
    if (!sessionId) throw unauthorized('UNAUTHENTICATED', 'Nothing to sign out');
    await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: sql<Date>`now()`, revoke_reason: 'signed out' })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
    await this.markRevoked(sessionId);
  }

  /** Sign out everywhere (password change or reset, account disabled), but for `keepSessionId` when given. */
  async revokeAllSessions(userId: number, reason: string, keepSessionId?: string): Promise<number> {
    const rows = await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: sql<Date>`now()`, revoke_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .$if(keepSessionId !== undefined, (q) => q.where('id', '!=', keepSessionId!))
      .returning('id')
      .execute();
    await Promise.all(rows.map((r) => this.markRevoked(r.id)));
    return rows.length;
  }

  async setUserStatus(userId: number, status: 'active' | 'disabled'): Promise<void> {
    const res = await this.db
      .updateTable('users')
      .set({ status, updated_at: sql<Date>`now()` })
      .where('id', '=', userId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw notFound('User');
    if (status === 'disabled') {
      await this.ctx.cache.set(disabledUserKey(userId), '1', { ttlMs: this.ctx.config.accessTokenTtlSec * 1000 });
      await this.revokeAllSessions(userId, 'account disabled');
    } else {
      await this.ctx.cache.del(disabledUserKey(userId));
    }
  }

  async getUser(userId: number): Promise<UserView> {
    const user = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    if (!user) throw notFound('User');
    return toUserView(user);
  }

  /**
   * Bind a phone number WeChat verified (getPhoneNumber) to this user. A number that is already
   * another account's is refused (409 WECHAT_PHONE_TAKEN): accounts are never merged here, as
   * their orders, points and coins belong to one user each; the shopper signs in to that account.
   */
  async bindVerifiedPhone(userId: number, rawPhone: string): Promise<UserView> {
    const phone = normalizePhone(rawPhone);
    if (!phone) throw new AppError(422, 'PHONE_INVALID', 'Only mainland mobile numbers can be bound');
    const taken = () => conflict('WECHAT_PHONE_TAKEN', 'This phone number belongs to another account');
    return transact(this.db, async (trx) => {
      const holder = await trx.selectFrom('users').select('id').where('phone', '=', phone).executeTakeFirst();
      if (holder && holder.id !== userId) throw taken();
      const user = await trx
        .updateTable('users')
        .set({ phone, updated_at: sql<Date>`now()` })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      if (!user) throw notFound('User');
      return toUserView(user);
    }).catch((err: unknown) => {
      // Two accounts binding the same number at once: the unique index decides, the loser hears 409.
      if ((err as { code?: string }).code === '23505') throw taken();
      throw err;
    });
  }

  async updateProfile(
    userId: number,
    input: { nickname?: string | undefined; avatarUrl?: string | undefined },
  ): Promise<UserView> {
    // WeChat's content check (msgSecCheck) where the deployment has it on: a risky nickname is refused.
    if (input.nickname !== undefined)
      await this.ctx.services.contentSecurity?.checkNickname(userId, input.nickname.trim());
    const user = await this.db
      .updateTable('users')
      .set({
        ...(input.nickname !== undefined ? { nickname: input.nickname.trim() } : {}),
        ...(input.avatarUrl !== undefined ? { avatar_url: input.avatarUrl } : {}),
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', userId)
      .returningAll()
      .executeTakeFirst();
    if (!user) throw notFound('User');
    return toUserView(user);
  }

  /** Start a session without a password, for trusted internal callers only (tests, tools). */
  async trustedSignIn(userId: number): Promise<TokenPair> {
    const u = await this.db
      .selectFrom('users')
      .select(['is_platform_admin'])
      .where('id', '=', userId)
      .executeTakeFirstOrThrow();
    return this.startSession(userId, u.is_platform_admin, { userAgent: 'trusted' });
  }

  private async startSession(userId: number, isPlatformAdmin: boolean, meta: ClientMeta): Promise<TokenPair> {
    const sessionId = crypto.randomUUID();
    const refreshToken = await transact(this.db, async (trx) => {
      await trx
        .insertInto('auth_sessions')
        .values({
          id: sessionId,
          user_id: userId,
          expires_at: new Date(Date.now() + this.ctx.config.refreshTokenTtlSec * 1000),
          user_agent: meta.userAgent?.slice(0, 300) ?? null,
          ip: meta.ip ?? null,
        })
        .execute();
      return this.issueRefresh(trx, sessionId);
    });
    return this.pair(userId, sessionId, isPlatformAdmin, refreshToken);
  }

  private async issueRefresh(trx: Db, sessionId: string): Promise<string> {
    const token = crypto.randomBytes(32).toString('base64url');
    await trx
      .insertInto('refresh_tokens')
      .values({
        token_hash: sha256(token),
        session_id: sessionId,
        expires_at: new Date(Date.now() + this.ctx.config.refreshTokenTtlSec * 1000),
      })
      .execute();
    return token;
  }

  private async pair(
    userId: number,
    sessionId: string,
    isPlatformAdmin: boolean,
    refreshToken: string,
  ): Promise<TokenPair> {
    const accessToken = await this.ctx.tokens.signAccess({ userId, sessionId, isPlatformAdmin });
    return { accessToken, refreshToken, expiresIn: this.ctx.config.accessTokenTtlSec, tokenType: 'Bearer' };
  }

  /** Access tokens are stateless: a revoked session is remembered in the cache until they expire. */
  private async markRevoked(sessionId: string): Promise<void> {
    await this.ctx.cache.set(revokedSessionKey(sessionId), '1', {
      ttlMs: this.ctx.config.accessTokenTtlSec * 1000 + 5000,
    });
  }
}

// A real argon2id hash of a random string, used to keep sign-in timing uniform.
const DUMMY_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$0gqsN2Ia8VdZl1q1Jy0TjS2S9rQ0oQ5mJq2o7m6iJ4E';

export function toUserView(u: {
  id: number;
  phone: string | null;
  nickname: string;
  avatar_url: string | null;
  is_platform_admin?: boolean | undefined;
  wechat_openid: string | null;
  created_at: Date;
}): UserView {
  return {
    id: u.id,
    phone: u.phone,
    nickname: u.nickname,
    avatarUrl: u.avatar_url,
    isPlatformAdmin: u.is_platform_admin ?? false,
    hasWechat: u.wechat_openid !== null,
    createdAt: u.created_at,
  };
}
