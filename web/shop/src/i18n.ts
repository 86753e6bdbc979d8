// The shop's texts by stable key (locales/zh.ts, locales/en.ts) plus the shared namespaces of
// @livemall/sdk (errors, enums, server). Chinese by default; 我的 → 语言 switches (lm.lang).
import { createI18n, failureText } from '@livemall/sdk';
import { en } from './locales/en.ts';
import { zh } from './locales/zh.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zh };
  }
}

export const i18n = createI18n({ zh, en });

/** A failure from the API in the shopper's language, by its stable code (namespace `errors`). */
export const errorMessage = (e: unknown): string => failureText(i18n, e);
