// Error codes are translation keys: the server's stable `code` (FLASH_SOLD_OUT) is looked up as
// `errors.FLASH_SOLD_OUT` in the reader's language; the server's English `message` is only the
// fallback for a code the catalogue does not know. Shaped as i18next resources, so the apps can
// hand ERROR_CATALOGUE to i18next as it is. server/test/error-catalogue.test.ts keeps it complete.
import { enErrors } from './errors-en.ts';
import { zhErrors } from './errors-zh.ts';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

export const ERROR_CATALOGUE: Record<Lang, { errors: Record<string, string> }> = {
  zh: { errors: zhErrors },
  en: { errors: enErrors },
};

export const errorKey = (code: string) => `errors.${code}`;

let current: Lang = 'zh';
const listeners = new Set<(lang: Lang) => void>();

/** The language error texts are shown in (each app sets it from its own language switch). */
export function setErrorLanguage(lang: Lang): void {
  current = lang;
  for (const f of listeners) f(lang);
}
export const errorLanguage = (): Lang => current;
export function onErrorLanguage(f: (lang: Lang) => void): () => void {
  listeners.add(f);
  return () => {
    listeners.delete(f);
  };
}

/** The catalogue's text for a code, or undefined when it has none. */
export function translateCode(code: string, lang: Lang = current): string | undefined {
  return ERROR_CATALOGUE[lang].errors[code];
}

/** The stable code of a failure: an API failure's { error: { code } }, a realtime frame's { code }. */
export function failureCode(e: unknown): string | undefined {
  const err = e as { error?: { code?: unknown }; code?: unknown } | null | undefined;
  if (typeof err?.error?.code === 'string') return err.error.code;
  return typeof err?.code === 'string' ? err.code : undefined;
}

/** The last resort for a code no catalogue knows: the server's message, else the error's own. */
export function failureFallback(e: unknown): string {
  const err = e as { error?: { message?: unknown }; message?: unknown } | null | undefined;
  if (typeof err?.error?.message === 'string' && err.error.message) return err.error.message;
  if (typeof err?.message === 'string' && err.message) return err.message;
  return String(e);
}

/**
 * What to show a person for a failure: an API error by its code in their language, else the
 * server's message, else the error's own message. Works on ApiFailure, raw error bodies and the
 * realtime protocol's error frames ({ code, message }). The web apps do the same through i18next
 * (i18n.ts, namespace `errors`); this stays for code without an i18next instance.
 */
export function translateError(e: unknown, lang: Lang = current): string {
  const code = failureCode(e);
  return (code ? translateCode(code, lang) : undefined) || failureFallback(e);
}
