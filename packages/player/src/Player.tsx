// Live video: HTTP-FLV through mpegts.js where Media Source Extensions exist (lowest latency),
// native HLS on iOS Safari, hls.js (loaded only when needed) elsewhere. Replays are HLS VOD.
import mpegts from 'mpegts.js';
import { useEffect, useRef, useState } from 'react';

export function Player(props: {
  flv?: string | null;
  hls?: string | null;
  replay?: string | null;
  poster?: string | null;
  unmuteLabel?: string;
  className?: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  const [muted, setMuted] = useState(true); // browsers only autoplay muted video
  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    let destroy = () => {};
    let cancelled = false;
    const play = () => {
      void video.play().catch(() => undefined);
    };
    void (async () => {
      if (!props.replay && props.flv && mpegts.getFeatureList().mseLivePlayback) {
        const p = mpegts.createPlayer(
          { type: 'flv', isLive: true, url: props.flv },
          { enableStashBuffer: false, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 3, lazyLoad: false },
        );
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
      if (video.canPlayType('application/vnd.apple.mpegurl')) {
        video.src = url;
        play();
        return;
      }
      const { default: Hls } = await import('hls.js');
      if (cancelled || !Hls.isSupported()) return;
      const h = new Hls({ lowLatencyMode: !props.replay });
      h.loadSource(url);
      h.attachMedia(video);
      play();
      destroy = () => h.destroy();
    })();
    return () => {
      cancelled = true;
      destroy();
    };
  }, [props.flv, props.hls, props.replay]);

  return (
    <div className={props.className ?? 'player'}>
      <video
        ref={ref}
        data-testid="room-video"
        muted={muted}
        playsInline
        autoPlay
        loop={false}
        poster={props.poster ?? undefined}
      />
      {muted && (
        <button type="button" className="unmute" onClick={() => setMuted(false)}>
          🔇 {props.unmuteLabel ?? 'Tap for sound'}
        </button>
      )}
    </div>
  );
}
