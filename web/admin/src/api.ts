// The console's API client, session, server state and the current merchant (a user may staff several shops).
import { createQueryClient, createQueryHooks, createSessionClient, type components, type paths } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { yuan } from '@livemall/sdk';
export { errorText } from './i18n.ts';
export const { api, strictApi, session, call, signOut } = createSessionClient('lm.admin.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);

/** TanStack Query hooks over the typed client: `$api.useQuery('get', '/api/me')`. */
export const $api = createQueryHooks(strictApi);
export const queryClient = createQueryClient();

// Answers are cached by path, not by who asked, so a change of who is signed in refreshes them.
let signedIn = session.get()?.userId ?? null;
session.subscribe(() => {
  const now = session.get()?.userId ?? null;
  if (now === signedIn) return;
  signedIn = now;
  // What is on screen is asked again as the new person (kept on screen meanwhile, so an open sheet
  // stays open); everything else is dropped.
  queryClient.removeQueries({ type: 'inactive' });
  void queryClient.invalidateQueries();
});

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
