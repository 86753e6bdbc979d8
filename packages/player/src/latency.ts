// How far behind the live edge the player plays. 'low' (the default) keeps a live-commerce room close to
// the anchor: a viewer sees "上链接" about when it is said. 'previous' is the earlier tuning, kept so the
// glass-to-glass bench (bench/glass-to-glass.ts) measures both in the same run (`?latency=previous`).
// The browser's own HLS player has no such setting: seeking towards the edge or playing faster makes Chromium's
// start over (measured), so native HLS plays where the browser puts it.
export type LatencyMode = 'low' | 'previous';

/**
 * mpegts.js: drop what piles up in the video element's buffer beyond `max` seconds, keeping `minRemain`.
 * 1.5 / 0.5: chasing at 0.8 / 0.2 seeked so often on a quiet machine that it played later (p95 0.42-0.49 s
 * against 0.33-0.35 s, bench/glass-to-glass.ts), while a 3 s limit lets a pile-up under load stay.
 */
export const flvConfig = (mode: LatencyMode) =>
  mode === 'previous'
    ? { enableStashBuffer: false, liveBufferLatencyChasing: true, liveBufferLatencyMaxLatency: 3, lazyLoad: false }
    : {
        enableStashBuffer: false,
        liveBufferLatencyChasing: true,
        liveBufferLatencyMaxLatency: 1.5,
        liveBufferLatencyMinRemain: 0.5,
        lazyLoad: false,
      };

/** hls.js: start and stay about one segment behind the edge, speeding up a little to catch up after a stall. */
export const hlsJsConfig = (mode: LatencyMode, replay: boolean) =>
  replay || mode === 'previous'
    ? { lowLatencyMode: !replay }
    : {
        lowLatencyMode: true,
        liveSyncDuration: 1.2,
        liveMaxLatencyDuration: 3.5,
        maxLiveSyncPlaybackRate: 1.5,
        backBufferLength: 10,
      };
