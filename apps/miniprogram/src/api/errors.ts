// What the shopper reads when the server refuses: the SDK's Chinese text for the stable error code (the same
// catalogue as the H5 shop, bundled into this file by the build), never the server's English message.
import { zhErrors } from '../../../../packages/sdk/src/errors-zh';

/** For a code the catalogue does not know (a newer server, an HTTP status without a body). */
export const FALLBACK_ERROR = '操作没有成功，请稍后再试';
export const NETWORK_ERROR = '网络不太顺畅，请检查网络后重试';

/** The Chinese text for a server error code. */
export function errorMessage(code: string | undefined): string {
  if (code === 'NETWORK') return NETWORK_ERROR;
  // typeof: a code such as "toString" must not find the object's own methods.
  const text: unknown = code ? zhErrors[code] : undefined;
  return typeof text === 'string' ? text : FALLBACK_ERROR;
}
