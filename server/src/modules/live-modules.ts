// The live area's modules, in init order. Owned by the live area.
import type { Module } from '../platform/context.ts';
import { liveModule } from './live/index.ts';
import { mediaModule } from './media/index.ts';

export const liveModules: Module[] = [liveModule, mediaModule];
