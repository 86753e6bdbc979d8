// Room presence in the shared cache, so every node sees the same numbers: a hash counts each
// viewer's open connections (a viewer with three tabs is one viewer), `online` counts viewers with
// at least one, and a set holds everyone who ever watched (cumulative viewers).
import type { Cache, CacheScript } from '../../platform/cache/cache.ts';

const keys = (roomId: number) => [`rt:room:${roomId}:conns`, `rt:room:${roomId}:online`, `rt:room:${roomId}:uv`];

const JOIN: CacheScript<[number, number]> = {
  name: 'rt_presence_join',
  lua: `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if n == 1 then redis.call('INCR', KEYS[2]) end
redis.call('SADD', KEYS[3], ARGV[1])
return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('SCARD', KEYS[3])}`,
  local: (s, k, a) => {
    const n = s.hIncrBy(k[0]!, a[0]!, 1);
    if (n === 1) s.incrBy(k[1]!, 1);
    s.sAdd(k[2]!, a[0]!);
    return [Number(s.get(k[1]!) ?? 0), s.sCard(k[2]!)];
  },
};

const LEAVE: CacheScript<[number, number]> = {
  name: 'rt_presence_leave',
  lua: `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  if n == 0 then redis.call('DECR', KEYS[2]) end
end
return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('SCARD', KEYS[3])}`,
  local: (s, k, a) => {
    const n = s.hIncrBy(k[0]!, a[0]!, -1);
    if (n <= 0) {
      s.hSet(k[0]!, a[0]!, '0'); // the in-process store has no HDEL; a 0 count means "not here"
      if (n === 0) s.incrBy(k[1]!, -1);
    }
    return [Number(s.get(k[1]!) ?? 0), s.sCard(k[2]!)];
  },
};

const READ: CacheScript<[number, number]> = {
  name: 'rt_presence_read',
  lua: `return {tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('SCARD', KEYS[3])}`,
  local: (s, k) => [Number(s.get(k[1]!) ?? 0), s.sCard(k[2]!)],
};

export interface Presence {
  online: number;
  cumulative: number;
}
const toPresence = ([online, cumulative]: [number, number]): Presence => ({ online: Math.max(0, online), cumulative });

export const presence = {
  join: async (cache: Cache, roomId: number, viewerKey: string) =>
    toPresence(await cache.run(JOIN, keys(roomId), [viewerKey])),
  leave: async (cache: Cache, roomId: number, viewerKey: string) =>
    toPresence(await cache.run(LEAVE, keys(roomId), [viewerKey])),
  read: async (cache: Cache, roomId: number) => toPresence(await cache.run(READ, keys(roomId), [])),
};
