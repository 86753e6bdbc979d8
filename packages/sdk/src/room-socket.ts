// The room WebSocket for browsers: the protocol core (room-socket-core.ts: reconnect, resume, requests) over the
// browser's WebSocket, at this page's host. Frames are typed in realtime-frames.ts, shared with the server.
import { type RoomConnection, RoomSocketCore, type RoomSocketOptions, type RoomTransport } from './room-socket-core.ts';
import { SupportSocketCore } from './support-socket.ts';

export type { Frame, RoomSocketOptions } from './room-socket-core.ts';

export const browserTransport: RoomTransport = {
  connect(query, on): RoomConnection {
    const proto = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${proto}://${location.host}/ws?${query}`);
    ws.onopen = () => on.open();
    ws.onmessage = (ev) => on.message(String(ev.data));
    ws.onclose = (ev) => on.close(ev.code);
    return { send: (text) => ws.send(text), close: () => ws.close() };
  },
  guestId() {
    let g = localStorage.getItem('lm.guest');
    if (!g) {
      g = `g_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
      localStorage.setItem('lm.guest', g);
    }
    return g;
  },
};

export class RoomSocket extends RoomSocketCore {
  constructor(roomId: number, token: () => string | null = () => null, opts: RoomSocketOptions = {}) {
    super(browserTransport, roomId, token, opts);
  }
}

/** Customer service on the same gateway, in the browser (support-socket.ts). */
export class SupportSocket extends SupportSocketCore {
  constructor(token: () => string | null) {
    super(browserTransport, token);
  }
}

/**
 * One customer-service socket per signed-in session, shared by every page that asks for it: opened on first
 * use, reopened when the token changes (a new sign-in), closed at sign-out (null then). `onChange` runs on each
 * message or conversation change, for the app to refresh what it lists.
 */
export function sharedSupportSocket(token: () => string | null, onChange: () => void): () => SupportSocket | null {
  let current: { token: string; socket: SupportSocket } | null = null;
  return () => {
    const now = token();
    if (current && current.token !== now) {
      current.socket.close();
      current = null;
    }
    if (!now) return null;
    if (current) return current.socket;
    const socket = new SupportSocket(token);
    socket.on((e) => {
      if (e.type === 'support.message' || e.type === 'support.conversation') onChange();
    });
    current = { token: now, socket };
    return socket;
  };
}
