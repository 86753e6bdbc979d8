// The marketing area's modules, in init order. Owned by the marketing area.
import type { Module } from '../platform/context.ts';
import { marketingModule } from './marketing/index.ts';

export const marketingModules: Module[] = [marketingModule];
