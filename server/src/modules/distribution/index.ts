// Distribution (分销): promoters, bindings, two-level commissions, withdrawals and their ledger.
import type { Module } from '../../platform/context.ts';

export const distributionModule: Module = {
  name: 'distribution',
};
