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
