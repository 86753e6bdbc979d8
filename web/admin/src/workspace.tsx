// Who is signed in and which shop they are working on; menus follow the role in that shop.
import { createContext, useContext } from 'react';
import type { Me } from './api.ts';

export type Membership = Me['merchants'][number];
export interface Workspace {
  me: Me;
  merchant: Membership | null;
  setMerchant(id: number): void;
  reload(): void;
}
export const WorkspaceContext = createContext<Workspace | null>(null);
export function useWorkspace(): Workspace {
  const w = useContext(WorkspaceContext);
  if (!w) throw new Error('useWorkspace outside the console');
  return w;
}
/** The current shop's id (pages under the merchant menu are only reachable with one). */
export function useMerchantId(): number {
  return useWorkspace().merchant!.id;
}
