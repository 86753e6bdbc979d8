// The domain events, one map from name to payload. The module that emits an event declares it
// (modules/X/events.ts): defineEvents lists its names, what each means and the payload's schema,
// and an augmentation adds them to DomainEvents, so emit and subscribe are typed by the same map.
// The lists exist at runtime too: the bus refuses an unknown name (startup fails on a subscription
// to one), checks payloads outside production, and docs/events.md is generated from them.
import { Type, type Static, type TObject, type TProperties, type TSchema } from 'typebox';

export interface EventSpec<S extends TSchema = TSchema> {
  /** What happened and when it is emitted, for the reader of docs/events.md. */
  doc: string;
  payload: S;
}

export type EventCatalogue = Record<string, EventSpec>;

/**
 * Name → payload of every domain event. Each emitting module adds its own:
 * `declare module '…/platform/events/catalogue.ts' { interface DomainEvents extends PayloadsOf<typeof X_EVENTS> {} }`
 */
// biome-ignore lint/suspicious/noEmptyInterface: an interface so that each emitting module can augment it
export interface DomainEvents {}

export type EventName = keyof DomainEvents & string;
export type PayloadsOf<C extends EventCatalogue> = { -readonly [K in keyof C]: Static<C[K]['payload']> };

/** A module's events, typed by its literal names (pass them to Module.events and to PayloadsOf). */
export function defineEvents<const C extends EventCatalogue>(catalogue: C): C {
  return catalogue;
}

/**
 * A payload: an object with exactly these fields (outside production, emit refuses one with a
 * field the declaration does not list, so the generated docs say everything a payload carries).
 */
export function Payload<P extends TProperties>(properties: P): TObject<P> {
  return Type.Object(properties, { additionalProperties: false });
}

/** Reusable payload fields. Ids are numbers, money is integer fen, times are ISO-8601 strings. */
export const Id = (description?: string) => Type.Integer({ minimum: 1, ...(description ? { description } : {}) });
export const Fen = (description = 'fen') => Type.Integer({ description });
export const Count = (description?: string) => Type.Integer({ minimum: 0, ...(description ? { description } : {}) });
export const IsoTime = (description = 'ISO-8601 time') => Type.String({ format: 'date-time', description });
export const OrNull = <T extends TSchema>(t: T, description?: string) =>
  Type.Union([t, Type.Null()], description ? { description } : {});
