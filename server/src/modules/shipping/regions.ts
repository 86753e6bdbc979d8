// China's administrative divisions (province / city / district, GB/T 2260 codes) from @vant/area-data,
// the same table the shop's picker shows, so a code the picker offers is one the server accepts.
import { areaList } from '@vant/area-data';
import { badRequest } from '../../platform/errors.ts';

export interface Region {
  provinceCode: string;
  province: string;
  cityCode: string;
  city: string;
  districtCode: string;
  district: string;
}

/** The province, city and district a six-digit district code stands for, or null if it is not one. */
export function regionOf(districtCode: string): Region | null {
  if (!/^\d{6}$/.test(districtCode)) return null;
  const district = areaList.county_list[districtCode];
  const provinceCode = `${districtCode.slice(0, 2)}0000`;
  const cityCode = `${districtCode.slice(0, 4)}00`;
  const province = areaList.province_list[provinceCode];
  const city = areaList.city_list[cityCode];
  if (!district || !province || !city) return null;
  return { provinceCode, province, cityCode, city, districtCode, district };
}

/** Refuse a code that is not a district, or names that are not the code's (a stale or forged form). */
export function checkRegion(input: {
  districtCode: string;
  province: string;
  city: string;
  district?: string | undefined;
}) {
  const r = regionOf(input.districtCode);
  if (!r) throw badRequest('ADDRESS_REGION_UNKNOWN', `${input.districtCode} is not a district code`);
  const same = (a: string | undefined, b: string) => (a ?? '').trim() === b;
  if (!same(input.province, r.province) || !same(input.city, r.city) || !same(input.district, r.district))
    throw badRequest(
      'ADDRESS_REGION_MISMATCH',
      `${input.districtCode} is ${r.province} ${r.city} ${r.district}, not ${input.province} ${input.city} ${input.district ?? ''}`,
    );
  return r;
}
