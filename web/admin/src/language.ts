// The console's language for what the server says (error texts from @livemall/sdk's catalogue),
// shared with the shop through the same localStorage key: one choice per browser.
import { errorLanguage, onErrorLanguage, setErrorLanguage, type Lang } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

const KEY = 'lm.lang';

export function initLanguage(): void {
  setErrorLanguage(localStorage.getItem(KEY) === 'en' ? 'en' : 'zh');
}

export function setLanguage(lang: Lang): void {
  localStorage.setItem(KEY, lang);
  setErrorLanguage(lang);
}

export const useLanguage = (): Lang => useSyncExternalStore(onErrorLanguage, errorLanguage);
