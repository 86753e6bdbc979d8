// The typed API client. `paths` comes from the server's OpenAPI document (npm run generate -w
// @livemall/sdk), so a renamed field or route is a type error in the apps, not a runtime surprise.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.d.ts';

export type { paths, components } from './schema.d.ts';

export interface ApiError {
  code: string;
  message: string;
  details?: unknown;
}

/** Thrown by `unwrap` for any non-2xx answer: carries the server's stable error code. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

export function createApi(opts: { baseUrl?: string; token?: () => string | null | Promise<string | null> } = {}) {
  const client = createClient<paths>({ baseUrl: opts.baseUrl ?? '' });
  const auth: Middleware = {
    async onRequest({ request }) {
      const t = await opts.token?.();
      if (t) request.headers.set('authorization', `Bearer ${t}`);
      return request;
    },
  };
  client.use(auth);
  return client;
}

/** `data` of an openapi-fetch result, or an ApiFailure with the server's error code. */
export function unwrap<T>(r: { data?: T; error?: unknown; response: Response }): T {
  if (r.error !== undefined || !r.response.ok) {
    const e = (r.error as { error?: ApiError } | undefined)?.error ?? {
      code: `HTTP_${r.response.status}`,
      message: r.response.statusText,
    };
    throw new ApiFailure(r.response.status, e);
  }
  return r.data as T;
}

/** Middleware: reject with ApiFailure on any non-2xx, carrying the server's code (for TanStack Query). */
export const failLoudly: Middleware = {
  async onResponse({ response }) {
    if (response.ok) return undefined;
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { error?: ApiError } | undefined;
    throw new ApiFailure(
      response.status,
      body?.error ?? { code: `HTTP_${response.status}`, message: response.statusText },
    );
  },
};

export const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
export { captchaChallenge, createSessionClient, errorText, type CaptchaChallenge, type Session } from './session.ts';
export {
  RoomSocket,
  SupportSocket,
  sharedSupportSocket,
  type Frame,
  type RoomSocketOptions,
} from './room-socket.ts';
export { SupportSocketCore, type SupportEvent, type SupportFrame } from './support-socket.ts';
export type * from './realtime-frames.ts';
export {
  ERROR_CATALOGUE,
  errorKey,
  errorLanguage,
  LANGS,
  onErrorLanguage,
  setErrorLanguage,
  translateCode,
  translateError,
  failureCode,
  failureFallback,
  type Lang,
} from './errors.ts';
export { enumsZh, type Catalogue, type EnumGroup } from './enums-zh.ts';
export {
  createI18n,
  enumLabel,
  failureText,
  LANG_KEY,
  LANGUAGE_NAMES,
  SHARED_CATALOGUE,
  storedLanguage,
  useLabels,
  useLanguage,
  type Labels,
} from './i18n.ts';
export { renderServerText, SERVER_PATTERNS, SERVER_PHRASES, serverText } from './server-text.ts';
export { createAppClient, createQueryClient } from './query.ts';
export { default as createQueryHooks } from 'openapi-react-query';
