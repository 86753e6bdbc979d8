import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_BACKENDS } from '../../../test/backends.ts';
import { startNode, type TestNode } from '../../../test/harness.ts';
import { regionOf } from './regions.ts';

const NANSHAN = { province: '广东省', city: '深圳市', district: '南山区', districtCode: '440305' };
const body = (extra: Record<string, unknown>) => ({
  name: '张三',
  phone: '13855550001',
  detail: '科技园路1号',
  ...extra,
});

describe('division codes', () => {
  it('name a district and, by prefix, its city and province', () => {
    expect(regionOf('440305')).toEqual({
      provinceCode: '440000',
      province: '广东省',
      cityCode: '440300',
      city: '深圳市',
      districtCode: '440305',
      district: '南山区',
    });
    expect(regionOf('110101')?.city).toBe('北京市');
    expect(regionOf('440300')).toBeNull(); // a city, not a district
    expect(regionOf('999999')).toBeNull();
  });
});

describe.each(APP_BACKENDS)('addresses with a district on $name', (backend) => {
  let node: TestNode;
  let shopper: { token: string; userId: number };
  beforeAll(async () => {
    node = await startNode({ db: backend.db, cache: backend.cache });
    shopper = await node.userToken('13855550001');
  });
  afterAll(async () => {
    await node?.close();
  });
  const save = (b: unknown) => node.api('POST', '/api/me/addresses', { token: shopper.token, body: b });

  it('saves a picked province / city / district with its code and gives the codes back', async () => {
    const r = await save(body(NANSHAN));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ ...NANSHAN, provinceCode: '440000', cityCode: '440300' });
  });

  it('refuses a code that is not a district', async () => {
    const r = await save(body({ ...NANSHAN, districtCode: '440300' }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ADDRESS_REGION_UNKNOWN');
  });

  it('refuses names that are not the code’s', async () => {
    const r = await save(body({ ...NANSHAN, district: '福田区' }));
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('ADDRESS_REGION_MISMATCH');
    const edit = await node.api('GET', '/api/me/addresses', { token: shopper.token });
    const id = edit.body[0].id;
    const put = await node.api('PUT', `/api/me/addresses/${id}`, {
      token: shopper.token,
      body: body({ ...NANSHAN, city: '广州市' }),
    });
    expect(put.body.error.code).toBe('ADDRESS_REGION_MISMATCH');
  });

  it('keeps old addresses without codes working', async () => {
    const r = await save(body({ province: '浙江省', city: '杭州市', district: '西湖区' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ district: '西湖区', districtCode: null, provinceCode: null });
  });
});
