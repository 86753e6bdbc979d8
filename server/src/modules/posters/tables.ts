import type { CreatedAt } from '../../platform/db/types.ts';

export interface PosterRendersTable {
  hash: string;
  storage_key: string;
  bytes: number;
  kind: string;
  created_at: CreatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    poster_renders: PosterRendersTable;
  }
}
