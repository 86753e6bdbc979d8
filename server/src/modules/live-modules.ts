// The live area's modules, in init order. Owned by the live area.
import type { Module } from '../platform/context.ts';

export const liveModules: Module[] = [];
