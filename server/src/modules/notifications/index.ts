// The shopper's message centre and offline notifications (in-app, WeChat subscribe message, SMS).
import type { Module } from '../../platform/context.ts';

export const notificationsModule: Module = {
  name: 'notifications',
};
