// The operations area's modules, in init order: reconciliation (对账) of every module's books.
import type { Module } from '../platform/context.ts';
import { reconciliationModule } from './reconciliation/index.ts';

export const operationsModules: Module[] = [reconciliationModule];
