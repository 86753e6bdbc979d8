// The room protocol, version 1 (docs/realtime-protocol.md is the reference for clients).
// Server → client: every WebSocket message is a JSON array of frames (batched per ~50 ms).
// Client → server: every WebSocket message is one JSON frame object.

import type { ServerFrameData, ServerFrameType } from '@livemall/sdk/realtime-frames';

export const PROTOCOL_VERSION = 1;
export const MAX_CLIENT_FRAME_BYTES = 4096;

/** Close codes (4000–4999 are ours; 1000/1001/1009 are standard). */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001, // node shutting down: reconnect (to any node) and resume
  tooLarge: 1009, // a frame above MAX_CLIENT_FRAME_BYTES
  unsupportedVersion: 4000,
  unauthorized: 4001, // token invalid or expired: refresh it, then reconnect
  protocolError: 4002, // too many malformed frames
  banned: 4003, // banned from this merchant's rooms
  heartbeatTimeout: 4004,
  slowConsumer: 4008, // the client could not keep up: reconnect and resume
  flood: 4029, // far past the rate limit
} as const;

export type FrameKind = 'chat' | 'commerce' | 'system';

/** The frames themselves are typed once, in the SDK the apps use (packages/sdk/src/realtime-frames.ts). */
export type {
  ClientAnswers,
  ClientFrameData,
  ClientFrameType,
  ServerFrameData,
  ServerFrameType,
} from '@livemall/sdk/realtime-frames';

/** A value as the server may hand it to JSON: a Date where the wire carries an IsoTime. */
export type Sendable<T> = T extends string
  ? '__wire' extends keyof T
    ? string | Date
    : T
  : T extends readonly (infer U)[]
    ? Sendable<U>[]
    : T extends object
      ? { [K in keyof T]: Sendable<T[K]> }
      : T;

/** A frame as the server builds one: a declared type with that type's data. */
export type OutFrame<T extends ServerFrameType = ServerFrameType> = {
  [K in T]: { type: K; data: Sendable<ServerFrameData[K]> };
}[T];

/** A frame the server sends. `seq` is set on room frames kept for resume (chat, commerce, gifts…). */
export type ServerFrame = OutFrame & { seq?: number; roomId?: number; ts: number };

/** A frame fanned out to a room (over the cache pub/sub between nodes). */
export type RoomFrame = ServerFrame & {
  kind: FrameKind;
  /** Only these viewers (user ids) get it: winner notices, private mod notices. */
  to?: number[];
};

/** What the parser accepts: a string type and an object of data each handler still has to check. */
export interface IncomingFrame {
  type: string;
  /** Client correlation id, echoed in `ack` / `error` frames. */
  ref?: string;
  data: Record<string, unknown>;
}

export type ParseResult =
  | { ok: true; frame: IncomingFrame }
  | { ok: false; code: string; message: string; ref?: string };

/** Parse one client message: JSON object with a string `type`, optional `ref` and object `data`. */
export function parseClientFrame(raw: string): ParseResult {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return { ok: false, code: 'MALFORMED_FRAME', message: 'Frame is not valid JSON' };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v))
    return { ok: false, code: 'MALFORMED_FRAME', message: 'Frame must be a JSON object' };
  const o = v as Record<string, unknown>;
  const ref = typeof o.ref === 'string' && o.ref.length <= 64 ? o.ref : undefined;
  if (typeof o.type !== 'string' || o.type.length === 0 || o.type.length > 40) {
    return { ok: false, code: 'MALFORMED_FRAME', message: 'Frame needs a string "type"', ...(ref ? { ref } : {}) };
  }
  if (o.data !== undefined && (o.data === null || typeof o.data !== 'object' || Array.isArray(o.data))) {
    return { ok: false, code: 'MALFORMED_FRAME', message: '"data" must be an object', ...(ref ? { ref } : {}) };
  }
  return {
    ok: true,
    frame: { type: o.type, data: (o.data as Record<string, unknown> | undefined) ?? {}, ...(ref ? { ref } : {}) },
  };
}

export const GUEST_ID = /^g_[A-Za-z0-9_-]{12,32}$/;
