// Short-lived access tokens (JWT, HS256, fast-jwt). Refresh tokens are opaque and live in the database
// (identity module), so they can be rotated and revoked.
import crypto from 'node:crypto';
import { createSigner, createVerifier, TokenError } from 'fast-jwt';
import { unauthorized } from '../errors.ts';

export interface AccessClaims {
  userId: number;
  sessionId: string;
  isPlatformAdmin: boolean;
}

const ISSUER = 'livemall';
const AUDIENCE = 'livemall-api';
/** Verified tokens remembered (until they expire), so a busy client's token is checked once. */
const VERIFY_CACHE = 20_000;

type Signer = (payload: Record<string, unknown>) => string;
type Verifier = (token: string) => Record<string, unknown>;

// fast-jwt (not jose): HS256 checked synchronously with node:crypto and a cache of verified
// tokens. jose's WebCrypto path imported the key and hopped to the thread pool on every request,
// which was the largest single cost of a losing flash-sale attempt.
export class TokenService {
  private readonly secret: string;
  private readonly signers = new Map<string, Signer>();
  private readonly verifiers = new Map<string, Verifier>();

  constructor(
    secret: string,
    readonly accessTtlSec: number,
  ) {
    this.secret = secret;
  }

  private signer(audience: string, ttlSec: number): Signer {
    const key = `${audience}:${ttlSec}`;
    let s = this.signers.get(key);
    if (!s) {
      s = createSigner({
        key: this.secret,
        algorithm: 'HS256',
        iss: ISSUER,
        aud: audience,
        expiresIn: ttlSec * 1000,
      }) as Signer;
      this.signers.set(key, s);
    }
    return s;
  }

  private verifier(audience: string): Verifier {
    let v = this.verifiers.get(audience);
    if (!v) {
      v = createVerifier({
        key: this.secret,
        algorithms: ['HS256'],
        allowedIss: ISSUER,
        allowedAud: audience,
        cache: VERIFY_CACHE,
      }) as Verifier;
      this.verifiers.set(audience, v);
    }
    return v;
  }

  async signAccess(claims: AccessClaims): Promise<string> {
    return this.signer(
      AUDIENCE,
      this.accessTtlSec,
    )({ sub: String(claims.userId), sid: claims.sessionId, adm: claims.isPlatformAdmin });
  }

  /** A signed, expiring payload for other purposes (quote tokens, cashier links), bound to an audience. */
  async signPayload(payload: Record<string, unknown>, audience: string, ttlSec: number): Promise<string> {
    return this.signer(audience, ttlSec)(payload);
  }

  /** Returns the payload, or null when the token is forged, for another audience, or expired ('expired'). */
  async verifyPayload<T>(token: string, audience: string): Promise<T | 'expired' | null> {
    try {
      return this.verifier(audience)(token) as T;
    } catch (err) {
      return err instanceof TokenError && err.code === TokenError.codes.expired ? 'expired' : null;
    }
  }

  /**
   * A keyed hash (HMAC-SHA256 under the deployment's secret) of a short secret such as an SMS code:
   * stored instead of the code, and useless to whoever reads the cache without the key.
   */
  fingerprint(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.secret).update(`${purpose}\0${value}`).digest('base64url');
  }

  async verifyAccess(token: string): Promise<AccessClaims> {
    let payload: Record<string, unknown>;
    try {
      payload = this.verifier(AUDIENCE)(token);
    } catch (err) {
      if (err instanceof TokenError && err.code === TokenError.codes.expired)
        throw unauthorized('TOKEN_EXPIRED', 'Access token has expired; refresh it');
      throw unauthorized('TOKEN_INVALID', 'Access token is not valid');
    }
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || typeof payload.sid !== 'string')
      throw unauthorized('TOKEN_INVALID', 'Access token is not valid');
    return { userId, sessionId: payload.sid, isPlatformAdmin: payload.adm === true };
  }
}
