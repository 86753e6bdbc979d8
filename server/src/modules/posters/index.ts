// Share posters (PNG) with a QR code or a mini-program code, cached per content.
import type { Module } from '../../platform/context.ts';

export const postersModule: Module = {
  name: 'posters',
};
