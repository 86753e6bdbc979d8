// What every module gets: configuration, logging, data, hot state, events, jobs, metrics, health,
// and the other modules' services (each module adds its own to `Services` by augmentation).
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Cache } from './cache/cache.ts';
import type { Config } from './config.ts';
import type { Db } from './db/types.ts';
import type { EventCatalogue } from './events/catalogue.ts';
import type { EventBus } from './events/outbox.ts';
import type { JobQueue } from './events/jobs.ts';
import type { HealthRegistry } from './health.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';
import type { TokenService } from './auth/tokens.ts';
import type { MembershipLookup } from './auth/access.ts';
import type { Server } from 'node:http';
import type { Storage } from './storage/storage.ts';
import type { ReconcileRegistry } from './reconcile.ts';

// biome-ignore lint/suspicious/noEmptyInterface: an interface so that each module can augment it with its services
export interface Services {}

export interface AppContext {
  config: Config;
  log: Logger;
  db: Db;
  dbKind: 'pglite' | 'postgres';
  cache: Cache;
  events: EventBus;
  jobs: JobQueue;
  metrics: Metrics;
  health: HealthRegistry;
  /** Checks of each module's books, run by the reconciliation module (对账). */
  reconcile: ReconcileRegistry;
  tokens: TokenService;
  /** Uploaded files (product images, videos, imports): local disk by default. */
  storage: Storage;
  services: Services;
  /** Set by the identity module; used by the route guard. */
  memberships: MembershipLookup;
  /** The HTTP server, once listening (the realtime gateway attaches to it). */
  httpServer?: Server;
  /** Extra "name  url" lines for the startup banner (shop, console, demo room…), set by modules. */
  startupLinks: string[];
}

export type Http = FastifyInstance<
  Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  import('fastify').FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface SeedProgress {
  step(label: string, done: number, total: number): void;
}

/** A domain module. Everything is optional except the name; order in modules/index.ts is init order. */
export interface Module {
  name: string;
  /** Absolute path of this module's migrations folder. */
  migrationsDir?: string;
  /** The events this module emits (its events.ts); a subscription to an event no module declares fails startup. */
  events?: EventCatalogue;
  /** Build services, subscribe event handlers, register job handlers. No I/O that needs the network. */
  init?(ctx: AppContext): void | Promise<void>;
  /** Register HTTP routes. */
  routes?(app: Http, ctx: AppContext): void | Promise<void>;
  /** Before the HTTP server listens: finish what init began in the background (the ffmpeg probe). */
  ready?(ctx: AppContext): Promise<void>;
  /** After the HTTP server listens: start background parts (media server, gateway...). */
  start?(ctx: AppContext): Promise<void>;
  stop?(ctx: AppContext): Promise<void>;
  /** Demo data; must be idempotent (running it twice changes nothing). */
  seed?(ctx: AppContext, progress: SeedProgress): Promise<void>;
}
