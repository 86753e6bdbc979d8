// The commerce area's modules, in init order. Owned by the commerce area.
import type { Module } from '../platform/context.ts';
import { catalogModule } from './catalog/index.ts';
import { inventoryModule } from './inventory/index.ts';
import { cartModule } from './cart/index.ts';
import { shippingModule } from './shipping/index.ts';
import { checkoutModule } from './checkout/index.ts';
import { paymentsModule } from './payments/index.ts';
import { ordersModule } from './orders/index.ts';
import { aftersalesModule } from './aftersales/index.ts';

export const commerceModules: Module[] = [catalogModule, inventoryModule, cartModule, shippingModule, checkoutModule, paymentsModule, ordersModule, aftersalesModule];
