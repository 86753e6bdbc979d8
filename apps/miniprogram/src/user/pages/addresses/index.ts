// My addresses (user subpackage; from 我的 and from the checkout sheet's 管理地址): list, add, edit, delete,
// set the default, and import one from WeChat (wx.chooseAddress). GET/POST/PUT/DELETE /api/me/addresses.
import { wechatAddress } from '../../../api/address';
import { signIn } from '../../../api/auth';
import { api, errorText } from '../../../api/http';
import type { Address, AddressInput } from '../../../api/types';

// What this page edits: the text fields (no region picker here yet, so no division codes).
type Form = Pick<Address, 'name' | 'phone' | 'province' | 'city' | 'district' | 'detail'> & { isDefault: boolean };

const EMPTY: Form = { name: '', phone: '', province: '', city: '', district: '', detail: '', isDefault: false };
const body = (a: Form & { postalCode?: string | null | undefined }): AddressInput => ({
  name: a.name.trim(),
  phone: a.phone.trim(),
  province: a.province.trim(),
  city: a.city.trim(),
  district: a.district.trim(),
  detail: a.detail.trim(),
  ...(a.postalCode ? { postalCode: a.postalCode } : {}),
  isDefault: a.isDefault,
});

const saved = new WeakMap<object, Address[]>();

Component({
  data: {
    addresses: [] as Array<Address & { where: string }>,
    loading: true,
    error: '',
    notice: '',
    /** 0: adding; an id: editing that address; null: no form open. */
    editing: null as number | null,
    form: { ...EMPTY },
    busy: false,
    shown: false,
  },
  methods: {
    async onLoad() {
      await signIn().catch(() => undefined);
      await this.load();
      this.setData({ shown: true });
    },
    async load() {
      try {
        const list = await api<Address[]>('GET', '/api/me/addresses');
        saved.set(this, list);
        const addresses = list.map((a) => ({ ...a, where: `${a.province}${a.city}${a.district}${a.detail}` }));
        this.setData({ addresses, loading: false, error: '' });
      } catch (e) {
        this.setData({ error: errorText(e), loading: false });
      }
    },
    add() {
      this.setData({ editing: 0, form: { ...EMPTY, isDefault: this.data.addresses.length === 0 }, notice: '' });
    },
    edit(e: WechatMiniprogram.TouchEvent) {
      const a = (saved.get(this) ?? []).find((x) => x.id === (e.currentTarget.dataset.id as number));
      if (!a) return;
      const { name, phone, province, city, district, detail, isDefault } = a;
      this.setData({ editing: a.id, form: { name, phone, province, city, district, detail, isDefault }, notice: '' });
    },
    input(e: WechatMiniprogram.Input) {
      this.setData({ [`form.${e.currentTarget.dataset.field as string}`]: e.detail.value });
    },
    toggleDefault() {
      this.setData({ 'form.isDefault': !this.data.form.isDefault });
    },
    cancelForm() {
      this.setData({ editing: null, error: '' });
    },
    async save() {
      const f = this.data.form;
      if (this.data.busy) return;
      if (![f.name, f.phone, f.province, f.city, f.detail].every((v) => v.trim())) {
        this.setData({ error: '请填写收货人、手机号、省市和详细地址' });
        return;
      }
      const id = this.data.editing;
      const old = id ? (saved.get(this) ?? []).find((x) => x.id === id) : undefined;
      this.setData({ busy: true, error: '' });
      try {
        const b = body({ ...f, postalCode: old?.postalCode ?? null });
        if (id) await api('PUT', `/api/me/addresses/${id}`, { body: b });
        else await api('POST', '/api/me/addresses', { body: b });
        await this.load();
        this.setData({ editing: null, notice: id ? '地址已保存' : '地址已添加' });
      } catch (e) {
        this.setData({ error: errorText(e) });
      } finally {
        this.setData({ busy: false });
      }
    },
    async remove(e: WechatMiniprogram.TouchEvent) {
      const id = e.currentTarget.dataset.id as number;
      const { confirm } = await wx.showModal({ title: '删除地址', content: '确定删除这个收货地址吗？' });
      if (!confirm) return;
      try {
        await api('DELETE', `/api/me/addresses/${id}`);
        await this.load();
        this.setData({ notice: '地址已删除', ...(this.data.editing === id ? { editing: null } : {}) });
      } catch (err) {
        this.setData({ error: errorText(err) });
      }
    },
    async makeDefault(e: WechatMiniprogram.TouchEvent) {
      const a = (saved.get(this) ?? []).find((x) => x.id === (e.currentTarget.dataset.id as number));
      if (!a || a.isDefault) return;
      try {
        await api('PUT', `/api/me/addresses/${a.id}`, { body: body({ ...a, isDefault: true }) });
        await this.load();
        this.setData({ notice: '已设为默认地址' });
      } catch (err) {
        this.setData({ error: errorText(err) });
      }
    },
    /** Import the shopper's WeChat address (wx.chooseAddress) as a saved address. */
    importAddress() {
      wx.chooseAddress({
        success: (a) => {
          const b = body({ ...wechatAddress(a), isDefault: this.data.addresses.length === 0 });
          void api('POST', '/api/me/addresses', { body: b })
            .then(() => this.load())
            .then(() => this.setData({ notice: '已从微信导入地址' }))
            .catch((e: unknown) => this.setData({ error: errorText(e) }));
        },
        fail: (e) => {
          if (!/cancel/.test(e.errMsg)) this.setData({ error: '没有拿到微信地址，请手动填写' });
        },
      });
    },
  },
});
