// Short-lived access tokens (JWT, HS256, jose). Refresh tokens are opaque and live in the database
// (identity module), so they can be rotated and revoked.
import { SignJWT, jwtVerify, errors } from 'jose';
import { unauthorized } from '../errors.ts';

export interface AccessClaims {
  userId: number;
  sessionId: string;
  isPlatformAdmin: boolean;
}

const ISSUER = 'livemall';
const AUDIENCE = 'livemall-api';

export class TokenService {
  private readonly key: Uint8Array;

  constructor(secret: string, readonly accessTtlSec: number) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(claims: AccessClaims): Promise<string> {
    return new SignJWT({ sid: claims.sessionId, adm: claims.isPlatformAdmin })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(claims.userId))
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.accessTtlSec}s`)
      .sign(this.key);
  }

  /** A signed, expiring payload for other purposes (quote tokens, cashier links), bound to an audience. */
  async signPayload(payload: Record<string, unknown>, audience: string, ttlSec: number): Promise<string> {
    return new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(audience)
      .setIssuedAt().setExpirationTime(`${ttlSec}s`).sign(this.key);
  }

  /** Returns the payload, or null when the token is forged, for another audience, or expired ('expired'). */
  async verifyPayload<T>(token: string, audience: string): Promise<T | 'expired' | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience, algorithms: ['HS256'] });
      return payload as T;
    } catch (err) {
      return err instanceof errors.JWTExpired ? 'expired' : null;
    }
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const userId = Number(payload.sub);
      if (!Number.isSafeInteger(userId) || typeof payload.sid !== 'string') throw unauthorized('TOKEN_INVALID', 'Access token is not valid');
      return { userId, sessionId: payload.sid, isPlatformAdmin: payload.adm === true };
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw unauthorized('TOKEN_EXPIRED', 'Access token has expired; refresh it');
      if (err instanceof Error && err.name === 'AppError') throw err;
      throw unauthorized('TOKEN_INVALID', 'Access token is not valid');
    }
  }
}
