// Where the mini-program finds LiveMall. Set apiBase to your deployment's HTTPS origin and register it
// (and its wss:// twin) in the mini-program console's server domains (README, "Mini-program").
export const config = {
  apiBase: 'https://livemall.example.com',
  /** The WebSocket origin; empty: apiBase with https→wss. */
  wsBase: '',
};

export function wsBase(): string {
  return config.wsBase || config.apiBase.replace(/^http/, 'ws');
}
