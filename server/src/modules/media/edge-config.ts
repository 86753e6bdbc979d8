// An nginx caching edge for LiveMall's video (docs/cdn.md): HLS playlists and segments cached as the
// origin's Cache-Control says, concurrent misses collapsed into one origin request (proxy_cache_lock), and
// HTTP-FLV passed straight through unbuffered. The edge test runs exactly this configuration.
//   npx tsx server/src/modules/media/edge-config.ts --dir /var/cache/livemall-edge --listen 8080 \
//     --origin 127.0.0.1:3000 > /etc/nginx/livemall-edge.conf
import { fileURLToPath } from 'node:url';

export interface EdgeOptions {
  /** Where the edge keeps its cache, logs and temp files. */
  dir: string;
  listen: number;
  /** host:port of a LiveMall node (or a load balancer in front of several). */
  origin: string;
  /** The worker processes' user (the test runs as root with a private temp folder). */
  user?: string;
}

export function edgeConfig(o: EdgeOptions): string {
  return `worker_processes 1;
${o.user ? `user ${o.user};` : ''}
pid ${o.dir}/nginx.pid;
error_log ${o.dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format edge '$uri $upstream_cache_status $status';
  access_log ${o.dir}/access.log edge;
  client_body_temp_path ${o.dir}/body;
  proxy_temp_path ${o.dir}/proxy;
  fastcgi_temp_path ${o.dir}/fastcgi;
  uwsgi_temp_path ${o.dir}/uwsgi;
  scgi_temp_path ${o.dir}/scgi;
  proxy_cache_path ${o.dir}/cache levels=1:2 keys_zone=livemall_hls:10m max_size=2g inactive=10m use_temp_path=off;
  upstream livemall_origin { server ${o.origin}; keepalive 32; }
  server {
    listen 127.0.0.1:${o.listen};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    # HLS live and replays: the origin's Cache-Control decides (1 s for a live playlist, a day for a
    # segment, never for a private room). One request per object goes to the origin; the rest wait for it.
    location ~ ^/(live|replays)/.+\\.(m3u8|ts)$ {
      proxy_pass http://livemall_origin;
      proxy_cache livemall_hls;
      proxy_cache_key $uri$is_args$args;
      proxy_cache_lock on;
      proxy_cache_lock_timeout 10s;
      proxy_cache_lock_age 10s;
      proxy_cache_use_stale updating error timeout;
      proxy_cache_background_update on;
      add_header X-Cache $upstream_cache_status;
    }
    # HTTP-FLV is one endless response per viewer: pass it through as it comes.
    location ~ ^/live/[0-9]+\\.flv$ {
      proxy_pass http://livemall_origin;
      proxy_buffering off;
      proxy_read_timeout 1h;
    }
    location / { proxy_pass http://livemall_origin; }
  }
}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1]! : fallback;
  };
  process.stdout.write(
    edgeConfig({
      dir: arg('dir', '/var/cache/livemall-edge'),
      listen: Number(arg('listen', '8080')),
      origin: arg('origin', '127.0.0.1:3000'),
    }),
  );
}
