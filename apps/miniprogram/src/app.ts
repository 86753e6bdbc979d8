// The mini-program's entry: remembers who shared the page that opened it (the `sharer` query of a shared
// room or product page), so orders and visits can be attributed to the share.
App({
  onLaunch(opts: WechatMiniprogram.App.LaunchShowOption) {
    const sharer = (opts.query as Record<string, string | undefined>).sharer;
    if (sharer) wx.setStorageSync('lm.sharer', sharer);
  },
});
