// The shop's API client and signed-in session (shared logic lives in @livemall/sdk).
import { createSessionClient } from '@livemall/sdk';
import { useSyncExternalStore } from 'react';

export { unwrap, ApiFailure, errorText, yuan } from '@livemall/sdk';

export const { api, session, call, signOut } = createSessionClient('lm.session');
export const useSession = () => useSyncExternalStore(session.subscribe, session.get);
