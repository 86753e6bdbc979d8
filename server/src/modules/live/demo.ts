// The demo room, made live by the demo stream at start (media module).
export const DEMO_ROOM_TITLE = '鲜果时光 · 海南芒果产地直播';
