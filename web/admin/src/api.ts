// The console's API client, session, server state and the current merchant (a user may staff several shops).
import { createAppClient, type components, type paths } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { yuan } from '@livemall/sdk';
export { errorText } from './i18n.ts';
/** Session, typed API and TanStack Query hooks: `$api.useQuery('get', '/api/me')`. */
export const { api, strictApi, session, call, signOut, $api, queryClient } = createAppClient('lm.admin.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);

export type Me = paths['/api/me']['get']['responses'][200]['content']['application/json'];
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
