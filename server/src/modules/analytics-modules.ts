// The analytics area's modules, in init order. Owned by the analytics area.
import type { Module } from '../platform/context.ts';
import { analyticsModule } from './analytics/index.ts';

export const analyticsModules: Module[] = [analyticsModule];
