// What inventory tells the other modules.
import { Type } from 'typebox';
import { Count, defineEvents, Id, Payload, type PayloadsOf } from '../../platform/events/catalogue.ts';

export const INVENTORY_EVENTS = defineEvents({
  'inventory.low_stock': {
    doc: 'Available stock of a SKU in a warehouse fell to its threshold (once per crossing; re-armed by a restock).',
    payload: Payload({
      merchantId: Id(),
      skuId: Id(),
      warehouseId: Id(),
      available: Type.Integer({ description: 'on hand minus reserved' }),
      threshold: Count(),
    }),
  },
});

declare module '../../platform/events/catalogue.ts' {
  interface DomainEvents extends PayloadsOf<typeof INVENTORY_EVENTS> {}
}
