// The marketing area's modules, in init order. Owned by the marketing area.
import type { Module } from '../platform/context.ts';

export const marketingModules: Module[] = [];
