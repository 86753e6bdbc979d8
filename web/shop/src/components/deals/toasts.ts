// What the deal pages say in a toast: sign in first, or why a call failed.
import { Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { errorText, session } from '../../api.ts';

/** Tell a guest to sign in first; true when signed in. */
export function useSignedIn() {
  const { t } = useTranslation();
  return () => {
    if (session.get()) return true;
    Toast.show({ content: t('common.signInFirst') });
    return false;
  };
}

/** Run a call; when it fails, show why in a toast. */
export async function toastOnError(fn: () => Promise<unknown>) {
  try {
    await fn();
  } catch (e) {
    Toast.show({ content: errorText(e) });
  }
}
