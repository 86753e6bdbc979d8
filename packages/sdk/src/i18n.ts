// i18next for both web apps. Each app brings its own texts (namespace `translation`, stable keys
// such as `checkout.placeOrder`); the shared namespaces come from here: `errors` (the server's
// error codes, errors.ts), `enums` (the server's enum values) and `server` (the fixed parts of
// texts the server writes in Chinese). The language is one choice per browser (`lm.lang`), shared
// by the shop and the console and followed across tabs; Chinese is the default.
import i18next, { type i18n as I18n } from 'i18next';
import { useMemo } from 'react';
import { initReactI18next, useTranslation } from 'react-i18next';
import { enumsEn } from './enums-en.ts';
import { enumsZh, type EnumGroup } from './enums-zh.ts';
import { ERROR_CATALOGUE, failureCode, failureFallback, LANGS, setErrorLanguage, type Lang } from './errors.ts';
import { serverTextEn, serverTextZh } from './server-text-catalogue.ts';
import { serverText } from './server-text.ts';

declare module 'i18next' {
  interface ResourceNamespaceMap {
    enums: typeof enumsZh;
    server: typeof serverTextZh;
    errors: Record<string, string>;
  }
}

export const LANG_KEY = 'lm.lang';
/** Each language named in itself, for the switches. */
export const LANGUAGE_NAMES: Record<Lang, string> = { zh: '中文', en: 'English' };

export const SHARED_CATALOGUE = {
  zh: { errors: ERROR_CATALOGUE.zh.errors, enums: enumsZh, server: serverTextZh },
  en: { errors: ERROR_CATALOGUE.en.errors, enums: enumsEn, server: serverTextEn },
};

const asLang = (v: unknown): Lang => (v === 'en' ? 'en' : 'zh');

export function storedLanguage(): Lang {
  try {
    return asLang(localStorage.getItem(LANG_KEY));
  } catch {
    return 'zh';
  }
}

/** The app's i18next instance, in the stored language, with the shared namespaces loaded. */
export function createI18n(app: Record<Lang, object>): I18n {
  const i18n = i18next.createInstance();
  const resources = Object.fromEntries(LANGS.map((l) => [l, { translation: app[l], ...SHARED_CATALOGUE[l] }]));
  const follow = (lang: Lang) => {
    setErrorLanguage(lang); // errorText() of @livemall/sdk, for code outside React, says the same
    if (typeof document !== 'undefined') document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  };
  void i18n.use(initReactI18next).init({
    resources,
    lng: storedLanguage(),
    fallbackLng: 'zh',
    supportedLngs: [...LANGS],
    defaultNS: 'translation',
    ns: ['translation', 'errors', 'enums', 'server'],
    interpolation: { escapeValue: false },
    initAsync: false,
  });
  follow(asLang(i18n.language));
  i18n.on('languageChanged', (l) => {
    follow(asLang(l));
    try {
      localStorage.setItem(LANG_KEY, asLang(l));
    } catch {
      /* private mode: this tab only */
    }
  });
  if (typeof window !== 'undefined') {
    window.addEventListener('storage', (e) => {
      if (e.key === LANG_KEY && asLang(e.newValue) !== i18n.language) void i18n.changeLanguage(asLang(e.newValue));
    });
  }
  return i18n;
}

/** A failure in the reader's language: `errors:<CODE>`, the server's message only for a code no one wrote. */
export function failureText(i18n: I18n, e: unknown): string {
  const code = failureCode(e);
  return code && i18n.exists(`errors:${code}`) ? i18n.t(`errors:${code}`) : failureFallback(e);
}

/** The name of one of the server's enum values; the value itself when the catalogue does not know it yet. */
export function enumLabel(i18n: I18n, group: EnumGroup, value: string): string {
  const key = `enums:${group}.${value}`;
  return i18n.exists(key) ? i18n.t(key as never) : value;
}

/** The language of the page and a way to switch it (stored for the shop and the console alike). */
export function useLanguage(): [Lang, (lang: Lang) => void] {
  const { i18n } = useTranslation();
  return [asLang(i18n.language), (l) => void i18n.changeLanguage(l)];
}

/** What every page formats by language: errors, enum values, the server's texts, dates. */
export function useLabels() {
  const { i18n } = useTranslation();
  const lang = asLang(i18n.language);
  return useMemo(() => {
    const locale = lang === 'en' ? 'en-US' : 'zh-CN';
    const t = (key: string, vars?: Record<string, string>) => String(i18n.t(key as never, vars as never));
    return {
      lang,
      error: (e: unknown) => failureText(i18n, e),
      label: (group: EnumGroup, value: string) => enumLabel(i18n, group, value),
      server: (text: string) => serverText(t, lang, text),
      dateTime: (d: string | number | Date) => new Date(d).toLocaleString(locale),
      date: (d: string | number | Date) => new Date(d).toLocaleDateString(locale),
      time: (d: string | number | Date) => new Date(d).toLocaleTimeString(locale),
    };
  }, [i18n, lang]);
}
export type Labels = ReturnType<typeof useLabels>;
