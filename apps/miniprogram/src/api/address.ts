// The address book's shapes come from the SDK's OpenAPI types (types.ts); this maps WeChat's own address.
import type { AddressInput } from './types';

/** A WeChat address (wx.chooseAddress) as the address book takes it (POST /api/me/addresses). */
export function wechatAddress(
  a: WechatMiniprogram.ChooseAddressSuccessCallbackResult,
): AddressInput & { district: string } {
  return {
    name: a.userName,
    phone: a.telNumber,
    province: a.provinceName,
    city: a.cityName,
    district: a.countyName,
    detail: a.detailInfo,
    ...(a.postalCode ? { postalCode: a.postalCode } : {}),
  };
}
