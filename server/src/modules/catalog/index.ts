// Catalog: categories, products (SPU) with spec matrices and SKUs, tags, media, search, CSV import.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Module } from '../../platform/context.ts';
import { CatalogQueries } from './catalog-queries.ts';
import { CategoryService } from './category-service.ts';
import { ProductImportService } from './import-service.ts';
import { ProductService } from './product-service.ts';
import { catalogRoutes } from './routes.ts';
import { importRoutes } from './import-routes.ts';
import { seedCatalog } from './seed.ts';
import { CATALOG_EVENTS } from './events.ts';
import { ProductSearch } from './search/product-search.ts';
import { searchRoutes } from './search/search-routes.ts';
import { SearchService } from './search/search-service.ts';
import { SynonymService } from './search/synonyms.ts';

declare module '../../platform/context.ts' {
  interface Services {
    catalog: CatalogQueries;
    products: ProductService;
    categories: CategoryService;
    productImports: ProductImportService;
    productSearch: ProductSearch;
    search: SearchService;
    searchSynonyms: SynonymService;
  }
}

export const catalogModule: Module = {
  name: 'catalog',
  events: CATALOG_EVENTS,
  migrationsDir: path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations'),
  start: (ctx) => ctx.services.catalog.start(),
  stop: (ctx) => ctx.services.catalog.stop(),
  init(ctx) {
    ctx.services.catalog = new CatalogQueries(ctx);
    ctx.services.products = new ProductService(ctx);
    ctx.services.categories = new CategoryService(ctx);
    ctx.services.productImports = new ProductImportService(ctx);
    ctx.services.productImports.registerJobs();
    ctx.services.productSearch = new ProductSearch(ctx);
    ctx.services.search = new SearchService(ctx);
    ctx.services.searchSynonyms = new SynonymService(ctx);
    ctx.jobs.recurring({
      type: 'catalog.search_log_retention',
      everyMs: 24 * 3600_000,
      run: (_job, db) => ctx.services.search.pruneLog(db),
    });
    // Sales counts shown on product cards and used for "best sellers" sorting.
    ctx.events.subscribe({
      name: 'catalog.count_sales',
      events: ['order.paid'],
      async handle(e, db) {
        const byProduct = new Map<number, number>();
        for (const i of e.payload.items) byProduct.set(i.productId, (byProduct.get(i.productId) ?? 0) + i.quantity);
        for (const [productId, q] of byProduct)
          await db
            .updateTable('products')
            .set((eb) => ({ sales: eb('sales', '+', q) }))
            .where('id', '=', productId)
            .execute();
      },
    });
  },
  async routes(app, ctx) {
    await catalogRoutes(app, ctx);
    importRoutes(app, ctx);
    searchRoutes(app, ctx);
  },
  seed: seedCatalog,
};
