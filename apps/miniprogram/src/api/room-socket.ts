// The room socket over wx.connectSocket: the SDK's protocol core (packages/sdk/src/room-socket-core.ts, bundled
// into this file by the build: reconnect with backoff, resume from the last seq, requests answered by ack / error)
// with the mini-program's transport, since it has none of the browser's WebSocket, location, localStorage, crypto.
import {
  type RoomConnection,
  RoomSocketCore,
  type RoomSocketOptions,
  type RoomTransport,
} from '../../../../packages/sdk/src/room-socket-core';
import { wsBase } from '../config';

export type { Frame, RoomSocketOptions } from '../../../../packages/sdk/src/room-socket-core';

const wxTransport: RoomTransport = {
  connect(query, on): RoomConnection {
    const task = wx.connectSocket({ url: `${wsBase()}/ws?${query}` });
    task.onOpen(() => on.open());
    task.onMessage((ev) => on.message(String(ev.data)));
    task.onClose((r) => on.close(r.code));
    task.onError(() => on.close(1006));
    return { send: (data) => task.send({ data }), close: () => task.close({ code: 1000 }) };
  },
  guestId() {
    let g = wx.getStorageSync('lm.guest') as string;
    if (!g) {
      let s = '';
      for (let i = 0; i < 20; i++) s += Math.floor(Math.random() * 36).toString(36);
      g = `g_${s}`;
      wx.setStorageSync('lm.guest', g);
    }
    return g;
  },
};

export class RoomSocket extends RoomSocketCore {
  constructor(roomId: number, token: () => string | null = () => null, opts: RoomSocketOptions = {}) {
    super(wxTransport, roomId, token, opts);
  }
}
