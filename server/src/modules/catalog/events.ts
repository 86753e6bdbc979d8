// What the catalog tells the other modules.
import { defineEvents, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

const Shelf = Payload({ productId: Id(), merchantId: Id() });

export const CATALOG_EVENTS = defineEvents({
  'product.on_shelf': { doc: 'A product was put on sale (listed).', payload: Shelf },
  'product.off_shelf': { doc: 'A product was taken off sale.', payload: Shelf },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof CATALOG_EVENTS> {}
}
