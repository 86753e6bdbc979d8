// The console's texts by stable key (locales/zh.ts, locales/en.ts) plus the shared namespaces of
// @livemall/sdk (errors, enums, server). Chinese by default; the header's 中文/English switch
// changes it for the console and the shop alike (lm.lang), antd's and dayjs's locale with it.
import { createI18n, failureText } from '@livemall/sdk';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { en } from './locales/en.ts';
import { zh } from './locales/zh.ts';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zh };
  }
}

export const i18n = createI18n({ zh, en });
const followDayjs = (lang: string) => dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
followDayjs(i18n.language);
i18n.on('languageChanged', followDayjs);

/** A failure from the API in the reader's language, by its stable code (namespace `errors`). */
export const errorText = (e: unknown): string => failureText(i18n, e);
