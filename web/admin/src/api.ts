// The console's API client, session and the current merchant (a user may staff several shops).
import { createSessionClient, type components } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { errorText, yuan } from '@livemall/sdk';
export const { api, session, call, signOut } = createSessionClient('lm.admin.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);

export type Me = Awaited<ReturnType<typeof loadMe>>;
export const loadMe = () => call(() => api.GET('/api/me'));
export type Schemas = components['schemas'];

/** Download an authenticated file (CSV exports, error reports). */
export async function download(url: string, filename: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${session.get()?.accessToken ?? ''}` } });
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(await res.blob());
  a.download = filename;
  a.click();
  URL.revokeObjectURL(a.href);
}
