// Live video: HTTP-FLV through mpegts.js where Media Source Extensions exist (lowest latency); without FLV,
// live HLS through hls.js where they exist too, native HLS on iOS Safari (no window.MediaSource) and where
// hls.js cannot run. Chromium plays HLS natively now, but starts three target durations behind the edge
// (about 3.5 s glass to glass, bench/README) where hls.js plays about 1.5 s behind. Replays are HLS VOD,
// native first.
import mpegts from 'mpegts.js';
import { useEffect, useRef, useState } from 'react';
import { flvConfig, hlsJsConfig, type LatencyMode } from './latency.ts';

export function Player(props: {
  flv?: string | null;
  hls?: string | null;
  replay?: string | null;
  poster?: string | null;
  unmuteLabel?: string;
  className?: string;
  /** Force one path (the shop's `?player=` for tests and benches); by default as the top of this file says. */
  prefer?: 'flv' | 'hls' | 'hlsjs' | null;
  /** How close to the live edge (latency.ts); 'low' unless a bench asks for the earlier settings. */
  latency?: LatencyMode;
}) {
  const latency = props.latency ?? 'low';
  const ref = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true); // browsers only autoplay muted video
  // A source that is not there yet (the show just started and the first segment is still being cut, or the
  // stream dropped) is tried again: a viewer who opened the room early starts watching by themself.
  const [attempt, setAttempt] = useState(0);
  const failures = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` restarts the player after a failure
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    let destroy = () => {};
    let cancelled = false;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    const play = () => {
      void video.play().catch(() => undefined);
    };
    const retry = () => {
      if (cancelled || retryTimer) return;
      const delay = Math.min(500 * 2 ** failures.current, 4000);
      failures.current += 1;
      retryTimer = setTimeout(() => setAttempt((a) => a + 1), delay);
    };
    const onPlaying = () => {
      failures.current = 0;
    };
    video.addEventListener('playing', onPlaying);
    void (async () => {
      const flvAllowed = !props.prefer || props.prefer === 'flv';
      if (!props.replay && props.flv && flvAllowed && mpegts.getFeatureList().mseLivePlayback) {
        const p = mpegts.createPlayer({ type: 'flv', isLive: true, url: props.flv }, flvConfig(latency));
        p.on(mpegts.Events.ERROR, retry);
        p.on(mpegts.Events.LOADING_COMPLETE, retry); // the stream ended: it may come back (a dropped push)
        p.attachMediaElement(video);
        p.load();
        play();
        destroy = () => {
          p.pause();
          p.unload();
          p.detachMediaElement();
          p.destroy();
        };
        return;
      }
      const url = props.replay ?? props.hls;
      if (!url) return;
      const playNative = () => {
        video.addEventListener('error', retry);
        video.src = url;
        play();
        destroy = () => {
          video.removeEventListener('error', retry);
          video.removeAttribute('src');
          video.load();
        };
      };
      const nativeHls = video.canPlayType('application/vnd.apple.mpegurl') !== '';
      const liveOnMse = !props.replay && !props.prefer && typeof window.MediaSource === 'function';
      if (nativeHls && (props.prefer === 'hls' || (props.prefer !== 'hlsjs' && !liveOnMse))) return playNative();
      const { default: Hls } = await import('hls.js');
      if (cancelled) return;
      if (!Hls.isSupported()) return nativeHls ? playNative() : undefined;
      const h = new Hls(hlsJsConfig(latency, Boolean(props.replay)));
      h.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal) retry();
      });
      h.loadSource(url);
      h.attachMedia(video);
      play();
      destroy = () => h.destroy();
    })();
    return () => {
      cancelled = true;
      clearTimeout(retryTimer);
      video.removeEventListener('playing', onPlaying);
      destroy();
    };
  }, [props.flv, props.hls, props.replay, props.prefer, latency, attempt]);

  return (
    <div className={props.className ?? 'player'}>
      <video
        ref={ref}
        data-testid="room-video"
        muted={muted}
        playsInline
        autoPlay
        loop={false}
        // A replay is a recording: the shopper seeks through it with the browser's own bar.
        controls={Boolean(props.replay)}
        poster={props.poster ?? undefined}
      />
      {muted && (
        <button type="button" className="unmute" onClick={() => setMuted(false)}>
          <MutedIcon /> {props.unmuteLabel ?? 'Tap for sound'}
        </button>
      )}
    </div>
  );
}

/** A muted-speaker glyph drawn inline: an emoji shows as an empty box where no colour-emoji font is installed. */
function MutedIcon() {
  return (
    <svg width="1em" height="1em" viewBox="0 0 24 24" aria-hidden="true" style={{ verticalAlign: '-0.125em' }}>
      <path fill="currentColor" d="M3 9v6h4l5 5V4L7 9H3z" />
      <path stroke="currentColor" strokeWidth="2" strokeLinecap="round" d="M16 9l5 6M21 9l-5 6" />
    </svg>
  );
}
