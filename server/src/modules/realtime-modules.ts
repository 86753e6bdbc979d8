// The realtime area's modules, in init order. Owned by the realtime area.
import type { Module } from '../platform/context.ts';
import { interactionModule } from './interaction/index.ts';
import { realtimeModule } from './realtime/index.ts';
import { socialModule } from './social/index.ts';

export const realtimeModules: Module[] = [realtimeModule, interactionModule, socialModule];
