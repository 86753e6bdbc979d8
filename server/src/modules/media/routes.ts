// Video delivery over plain HTTP (so any CDN can sit in front): HTTP-FLV for low latency, HLS for
// reach and replays. Private rooms need the signed, expiring link the room API hands out.
import fs from 'node:fs';
import path from 'node:path';
import { Type } from 'typebox';
import type { AppContext, Http } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { errorResponses, IdParam, Strict } from '../../platform/http/schemas.ts';
import type { PlayLinkQuery } from '../live/room-access.ts';
import { readCompletePlaylist } from './playlist-file.ts';

// Live segments carry the session id (seg_<session>_000001.ts): numbering restarts with every show, and an edge
// that keeps a segment for a day must never hand last show's segment 1 to this show's viewers.
const FILE = /^(?:(\d{3,4}p)\/)?(index\.m3u8|master\.m3u8|seg_(?:\d{1,12}_)?\d{6}\.ts)$/;
const MAX_BUFFERED = 8 * 1024 * 1024; // a viewer this far behind is cut off rather than buffered forever
const PlayQuery = Type.Object(
  {
    exp: Type.Optional(Type.Integer()),
    sig: Type.Optional(Type.String({ maxLength: 100 })),
    inv: Type.Optional(IdParam), // the invitation a private link was issued under: the link dies with it
    st: Type.Optional(IdParam), // the staff member it was issued to: the link dies when they leave the shop
  },
  { additionalProperties: false },
);

export function mediaRoutes(app: Http, ctx: AppContext): void {
  const media = ctx.services.media;

  type PlayLink = PlayLinkQuery;
  const roomForPlay = async (roomId: number, q: PlayLink) => {
    // The same decision as the room page and the WebSocket (live/room-access.ts); media carries the signed link.
    await ctx.services.roomAccess.authorize(roomId, { playLink: q });
    const room = await ctx.services.roomDirectory.byId(roomId);
    if (!room) throw notFound('Room', 'ROOM_NOT_FOUND');
    return room;
  };

  app.get(
    '/live/:roomId.flv',
    {
      config: { access: 'public' },
      schema: {
        tags: ['media'],
        summary: 'Live stream as HTTP-FLV (lowest latency; mpegts.js in browsers)',
        params: Strict({ roomId: IdParam }),
        querystring: PlayQuery,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const room = await roomForPlay(req.params.roomId, req.query);
      const res = reply.raw;
      let unsubscribe: (() => void) | null = null;
      const end = () => {
        unsubscribe?.();
        unsubscribe = null;
        if (!res.writableEnded) res.end();
      };
      let started = false;
      unsubscribe = media.playFlv(
        room.streamKey,
        (chunk) => {
          if (!started) {
            started = true;
            res.writeHead(200, {
              'content-type': 'video/x-flv',
              'cache-control': 'no-cache, no-store',
              'access-control-allow-origin': '*',
              connection: 'close',
            });
          }
          if (res.writableLength > MAX_BUFFERED) {
            end();
            return;
          }
          res.write(chunk);
        },
        end,
      );
      if (!unsubscribe) throw new AppError(404, 'NOT_LIVE', 'This room is not live right now');
      reply.hijack();
      if (!started)
        res.writeHead(200, {
          'content-type': 'video/x-flv',
          'cache-control': 'no-cache, no-store',
          'access-control-allow-origin': '*',
          connection: 'close',
        });
      started = true;
      req.raw.on('close', end);
      // Access can be withdrawn while this plays: the audience ends the download then.
      req.raw.on('close', media.audience.watch(req.params.roomId, req.query, end));
    },
  );

  const serveFile = async (
    dir: string,
    file: string,
    reply: import('fastify').FastifyReply,
    room: { isPrivate: boolean },
  ) => {
    const m = FILE.exec(file);
    if (!m) throw notFound('File');
    const full = path.join(dir, file);
    const playlist = file.endsWith('.m3u8');
    // A playlist is rewritten every segment: read it whole and complete (playlist-file.ts).
    const playlistBytes = playlist ? await readCompletePlaylist(full) : null;
    const size = playlistBytes?.length ?? (await fs.promises.stat(full).catch(() => null))?.size;
    if (size === undefined || (playlist && !playlistBytes)) throw notFound('File');
    reply.header('content-type', playlist ? 'application/vnd.apple.mpegurl' : 'video/mp2t');
    reply.header('access-control-allow-origin', '*');
    reply.header('cache-control', hlsCacheControl(playlistBytes, room.isPrivate));
    reply.header('content-length', size);
    return reply.send(playlistBytes ?? fs.createReadStream(full));
  };

  app.get(
    '/live/:roomId/*',
    {
      config: { access: 'public' },
      schema: {
        tags: ['media'],
        summary: 'Live stream as HLS: index.m3u8 (1-2 s segments), master.m3u8 with the transcode ladder',
        params: Type.Object({ roomId: IdParam, '*': Type.String({ maxLength: 60 }) }),
        querystring: PlayQuery,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const room = await roomForPlay(req.params.roomId, req.query);
      const p = media.packagerFor(room.id);
      if (!p) throw new AppError(404, 'NOT_LIVE', 'This room is not live right now');
      return serveFile(p.liveDir, req.params['*'], reply, room);
    },
  );

  app.get(
    '/replays/:sessionId/*',
    {
      config: { access: 'public' },
      schema: {
        tags: ['media'],
        summary: 'A recorded show as HLS VOD',
        params: Type.Object({ sessionId: IdParam, '*': Type.String({ maxLength: 60 }) }),
        querystring: PlayQuery,
        response: { ...errorResponses },
      },
    },
    async (req, reply) => {
      const s = await ctx.services.replays.session(req.params.sessionId);
      if (!s || s.replayDeleted) throw notFound('Replay', 'REPLAY_NOT_FOUND');
      const room = await roomForPlay(s.roomId, req.query);
      const dir = path.join(media.mediaDir, 'replays', String(req.params.sessionId));
      return serveFile(dir, req.params['*'], reply, room);
    },
  );
}

/**
 * How long an edge (CDN, nginx) may keep an HLS file. A live playlist changes every segment: an edge keeps it
 * for one second, so 10,000 players polling it cost the origin one request a second (with the edge's request
 * collapsing, e.g. nginx proxy_cache_lock). A finished replay's playlist no longer changes. Segments never
 * change once written. A private room's files are for the signed-in viewer's browser only, never a shared cache.
 */
export function hlsCacheControl(playlist: Buffer | null, isPrivate: boolean): string {
  if (!playlist) return isPrivate ? 'private, max-age=86400, immutable' : 'public, max-age=86400, immutable';
  if (isPrivate) return 'private, no-cache';
  return playlist.includes('#EXT-X-ENDLIST') ? 'public, max-age=300' : 'public, max-age=1';
}
