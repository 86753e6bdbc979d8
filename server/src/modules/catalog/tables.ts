import type { Generated } from 'kysely';
import type { CreatedAt, Id, Json, JsonWithDefault, NullableTimestamp, UpdatedAt } from '../../platform/db/types.ts';

export type ProductStatus = 'draft' | 'on_shelf' | 'off_shelf';
export interface SpecDef {
  name: string;
  values: string[];
}
export interface MediaItem {
  type: 'image' | 'video';
  url: string;
}
export interface ImportError {
  row: number;
  column?: string;
  message: string;
}

export interface CategoriesTable {
  id: Id;
  parent_id: number | null;
  name: string;
  level: number;
  position: Generated<number>;
  icon_url: string | null;
  created_at: CreatedAt;
}

export interface ProductsTable {
  id: Id;
  merchant_id: number;
  category_id: number | null;
  title: string;
  subtitle: Generated<string>;
  description: Generated<string>;
  cover_url: string | null;
  media: JsonWithDefault<MediaItem[]>;
  specs: JsonWithDefault<SpecDef[]>;
  status: Generated<ProductStatus>;
  spu_code: string | null;
  sales: Generated<number>;
  /** Bumped by every merchant edit; the ETag of the product (optimistic concurrency). */
  version: Generated<number>;
  /** Its words for search (" w1 w2 "), written with the product; null until indexed. */
  search_terms: string | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  deleted_at: NullableTimestamp;
}

export interface SkusTable {
  id: Id;
  product_id: number;
  merchant_id: number;
  spec_values: JsonWithDefault<string[]>;
  name: Generated<string>;
  code: string | null;
  price_fen: number;
  original_price_fen: number;
  weight_grams: Generated<number>;
  enabled: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface TagsTable {
  id: Id;
  merchant_id: number;
  name: string;
}
export interface ProductTagsTable {
  product_id: number;
  tag_id: number;
}

export interface ProductImportsTable {
  id: Id;
  merchant_id: number;
  created_by: number;
  file_key: string;
  filename: string;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  total_rows: Generated<number>;
  processed_rows: Generated<number>;
  ok_rows: Generated<number>;
  error_rows: Generated<number>;
  products_created: Generated<number>;
  products_updated: Generated<number>;
  errors: JsonWithDefault<ImportError[]>;
  created_at: CreatedAt;
  finished_at: NullableTimestamp;
}

export interface SearchSynonymsTable {
  id: Id;
  merchant_id: number;
  words: Json<string[]>;
  created_at: CreatedAt;
}
export interface SearchQueriesTable {
  id: Id;
  merchant_id: number | null;
  user_id: number | null;
  query: string;
  results: number;
  created_at: CreatedAt;
}
export interface SearchHistoryTable {
  user_id: number;
  query: string;
  /** Moved to now() when the shopper searches the same words again. */
  searched_at: UpdatedAt;
}

declare module '../../platform/db/types.ts' {
  interface Database {
    search_synonyms: SearchSynonymsTable;
    search_queries: SearchQueriesTable;
    search_history: SearchHistoryTable;
    categories: CategoriesTable;
    products: ProductsTable;
    skus: SkusTable;
    tags: TagsTable;
    product_tags: ProductTagsTable;
    product_imports: ProductImportsTable;
  }
}
