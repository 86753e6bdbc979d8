// Me (user centre subpackage): who I am, phone binding with the getPhoneNumber button, my orders, addresses,
// coupons, points, cart, and signing out.
import { bindPhone, currentUser, signIn, signOut } from '../../../api/auth';
import { errorText } from '../../../api/http';

Component({
  data: { signedIn: false, nickname: '', phone: '', error: '', notice: '' },
  methods: {
    onLoad() {
      this.show();
    },
    onShow() {
      this.show();
    },
    show() {
      const u = currentUser();
      this.setData({ signedIn: Boolean(u), nickname: u?.nickname ?? '', phone: u?.phone ?? '' });
    },
    async login() {
      try {
        await signIn(true);
        this.show();
      } catch (e) {
        this.setData({ error: errorText(e) });
      }
    },
    async onPhone(e: WechatMiniprogram.CustomEvent<{ code?: string; errMsg: string }>) {
      if (!e.detail.code) return; // the shopper declined
      try {
        await bindPhone(e.detail.code);
        this.show();
        this.setData({ notice: '手机号已绑定', error: '' });
      } catch (err) {
        this.setData({ error: errorText(err) });
      }
    },
    go(e: WechatMiniprogram.TouchEvent) {
      void wx.navigateTo({ url: e.currentTarget.dataset.url as string });
    },
    async logout() {
      await signOut();
      this.show();
    },
  },
});
