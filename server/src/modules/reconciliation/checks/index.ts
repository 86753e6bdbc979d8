// The checks the reconciliation module owns itself: the platform's outbox and jobs, and the
// order-side cross-checks no other module's books cover. Other modules register their own.
import type { ReconcileCheck } from '../../../platform/reconcile.ts';
import { jobsCheck, outboxCheck } from './platform-checks.ts';
import { orderPaymentsCheck } from './order-payment-check.ts';
import { orderRefundsCheck } from './order-refund-check.ts';
import { orderStockCheck } from './order-stock-check.ts';

export const reconciliationChecks: ReconcileCheck[] = [
  outboxCheck,
  jobsCheck,
  orderPaymentsCheck,
  orderRefundsCheck,
  orderStockCheck,
];
