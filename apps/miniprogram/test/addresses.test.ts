// The address book (user subpackage) through miniprogram-simulate with a scripted backend that keeps the
// addresses like the server does (one default): list, import from WeChat, add, edit, set default, delete; and
// reaching it from 我的 and from the checkout sheet, which picks up the changes when it shows again.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Address } from '../src/api/types.ts';
import { quote, signedIn } from './fixtures.ts';
import { all, ensureBuilt, render, scriptedWx, tap, text, until, type Call, type Route } from './wx.ts';

beforeAll(() => ensureBuilt());

const login: Route = (c) => (c.path === '/api/auth/wechat' ? { data: signedIn } : undefined);

/** /api/me/addresses kept in memory; writes are logged. */
function book(initial: Address[] = []) {
  const list: Address[] = initial.map((a) => ({ ...a }));
  const writes: Call[] = [];
  let next = 40;
  const keepOneDefault = (a: Address) => {
    if (a.isDefault) for (const x of list) x.isDefault = x.id === a.id;
  };
  const route: Route = (c) => {
    const m = /^\/api\/me\/addresses(?:\/(\d+))?$/.exec(c.path);
    if (!m) return undefined;
    if (c.method === 'GET') return { data: list.map((a) => ({ ...a })) };
    writes.push(c);
    if (c.method === 'POST') {
      const a: Address = { district: '', postalCode: null, isDefault: false, ...c.body, id: next++ };
      list.push(a);
      keepOneDefault(a);
      return { status: 201, data: a };
    }
    const i = list.findIndex((a) => a.id === Number(m[1]));
    if (i < 0) return { status: 404, data: { error: { code: 'ADDRESS_NOT_FOUND', message: 'Address not found' } } };
    if (c.method === 'DELETE') {
      list.splice(i, 1);
      return { data: { ok: true } };
    }
    list[i] = { ...list[i]!, postalCode: null, isDefault: false, ...c.body };
    keepOneDefault(list[i]!);
    return { data: list[i] };
  };
  return { list, writes, route };
}

const input = (page: ReturnType<typeof render>, id: string, value: string) =>
  page.querySelector(id).dispatchEvent('input', { detail: { value } });

describe('address book', () => {
  it('imports a WeChat address, adds, edits, sets the default and deletes, as the server keeps them', async () => {
    const b = book();
    const env = scriptedWx([login, b.route]);
    const page = render('user/pages/addresses/index');
    await page.instance.onLoad();
    expect(text(page, '#empty')).toBe('还没有收货地址');

    // Import with wx.chooseAddress: the first address becomes the default.
    env.address = {
      userName: '李四',
      telNumber: '13900139000',
      provinceName: '海南省',
      cityName: '海口市',
      countyName: '美兰区',
      detailInfo: '椰林路 8 号',
      postalCode: '570100',
    };
    await tap(page, '#import');
    await until(() => text(page, '#notice') === '已从微信导入地址', 'imported');
    expect(b.writes[0]!.body).toEqual({
      name: '李四',
      phone: '13900139000',
      province: '海南省',
      city: '海口市',
      district: '美兰区',
      detail: '椰林路 8 号',
      postalCode: '570100',
      isDefault: true,
    });
    expect(text(page, '.who')).toBe('李四 13900139000默认');
    expect(text(page, '.where')).toBe('海南省海口市美兰区椰林路 8 号');
    // Cancelling the WeChat dialog says nothing and saves nothing.
    env.address = null;
    await tap(page, '#import');
    await new Promise((r) => setTimeout(r, 30));
    expect(b.writes).toHaveLength(1);
    expect(text(page, '#error')).toBe('');

    // Add by hand: the form asks for what is missing first.
    await tap(page, '#add');
    input(page, '#f-name', '张三');
    await tap(page, '#save');
    expect(text(page, '#error')).toBe('请填写收货人、手机号、省市和详细地址');
    input(page, '#f-phone', '13800138000');
    input(page, '#f-province', '浙江省');
    input(page, '#f-city', '杭州市');
    input(page, '#f-district', '西湖区');
    input(page, '#f-detail', '文三路 1 号');
    await tap(page, '#save');
    await until(() => all(page, '.address').length === 2, 'added');
    expect(text(page, '#notice')).toBe('地址已添加');
    expect(b.writes[1]!.method).toBe('POST');
    expect(b.writes[1]!.body).toEqual({
      name: '张三',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '文三路 1 号',
      isDefault: false,
    });
    expect(all(page, '#form')).toHaveLength(0);

    // Edit the second: the form opens with its fields.
    all(page, '.edit')[1].dispatchEvent('tap');
    await until(() => all(page, '#form').length === 1, 'edit form');
    expect(page.instance.data.form).toMatchObject({ name: '张三', detail: '文三路 1 号', isDefault: false });
    input(page, '#f-detail', '文三路 2 号');
    await tap(page, '#save');
    await until(() => text(page, '#notice') === '地址已保存', 'edited');
    expect(b.writes[2]!.method).toBe('PUT');
    expect(b.writes[2]!.path).toBe('/api/me/addresses/41');
    expect(b.writes[2]!.body.detail).toBe('文三路 2 号');
    expect(String(all(page, '.where')[1].dom.textContent)).toBe('浙江省杭州市西湖区文三路 2 号');

    // Set it as the default: the tag moves.
    expect(all(page, '.set-default')).toHaveLength(1);
    await tap(page, '.set-default');
    await until(() => text(page, '#notice') === '已设为默认地址', 'default set');
    expect(b.writes[3]!.path).toBe('/api/me/addresses/41');
    expect(b.writes[3]!.body).toMatchObject({ name: '张三', detail: '文三路 2 号', isDefault: true });
    expect(all(page, '.default')).toHaveLength(1);
    expect(String(all(page, '.who')[1].dom.textContent)).toContain('默认');

    // Delete the first: asked first; declining keeps it.
    env.modalConfirm = false;
    await tap(page, '.remove');
    await new Promise((r) => setTimeout(r, 30));
    expect(b.writes).toHaveLength(4);
    env.modalConfirm = true;
    await tap(page, '.remove');
    await until(() => all(page, '.address').length === 1, 'deleted');
    expect(b.writes[4]!.method).toBe('DELETE');
    expect(b.writes[4]!.path).toBe('/api/me/addresses/40');
    expect(env.modals).toEqual(['确定删除这个收货地址吗？', '确定删除这个收货地址吗？']);
    expect(text(page, '.who')).toBe('张三 13800138000默认');
  });

  it("shows a refused save in the catalogue's Chinese", async () => {
    scriptedWx([
      login,
      (c) =>
        c.path === '/api/me/addresses' && c.method === 'POST'
          ? { status: 400, data: { error: { code: 'VALIDATION_FAILED', message: 'body/phone must be longer' } } }
          : undefined,
      book().route,
    ]);
    const page = render('user/pages/addresses/index');
    await page.instance.onLoad();
    await tap(page, '#add');
    for (const [id, v] of [
      ['#f-name', '王五'],
      ['#f-phone', '123'],
      ['#f-province', '北京市'],
      ['#f-city', '北京市'],
      ['#f-detail', '长安街 1 号'],
    ] as const)
      input(page, id, v);
    await tap(page, '#save');
    await until(() => text(page, '#error'), 'refused');
    expect(text(page, '#error')).toBe('填写的内容有误，请检查后重试');
    expect(all(page, '#form')).toHaveLength(1);
  });

  it('is reached from 我的 and from the checkout sheet, which reloads the addresses when it shows again', async () => {
    const b = book();
    const log: Call[] = [];
    const env = scriptedWx([
      login,
      b.route,
      (c) => {
        if (c.path !== '/api/checkout/quote') return undefined;
        log.push(c);
        return { data: quote(c.body.items[0].skuId, c.body.items[0].quantity) };
      },
    ]);
    const me = render('user/pages/me/index');
    me.instance.onLoad();
    await tap(me, '#addresses');
    expect(env.navigations).toEqual(['/user/pages/addresses/index']);

    const sheet = render('components/checkout-sheet/index', { items: [{ skuId: 101, quantity: 1 }] });
    await until(() => text(sheet, '#no-address'), 'no address');
    await tap(sheet, '#manage-addresses');
    expect(env.navigations.at(-1)).toBe('/user/pages/addresses/index');
    // Meanwhile, on the address page, the shopper adds one.
    void b.route({ method: 'POST', path: '/api/me/addresses', headers: {}, body: { ...addr, isDefault: true } });
    sheet.triggerPageLifeTime('show');
    await until(() => text(sheet, '.address'), 'the new address in the sheet');
    expect(text(sheet, '.address')).toBe('赵六 13700137000 广东省深圳市南山区科技园 3 号');
    await until(() => log.length === 1, 'quoted with it');
    expect(log[0]!.body.addressId).toBe(40);
    // A page show without a visit to the address book does not reload.
    const before = env.calls.length;
    sheet.triggerPageLifeTime('show');
    await new Promise((r) => setTimeout(r, 30));
    expect(env.calls.length).toBe(before);
  });
});

const addr = {
  name: '赵六',
  phone: '13700137000',
  province: '广东省',
  city: '深圳市',
  district: '南山区',
  detail: '科技园 3 号',
};
