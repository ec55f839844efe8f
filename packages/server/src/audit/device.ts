export const DEVICES = ['Bot', 'Mobile', 'Desktop', 'Tablet', 'Unknown'] as const;
export type Device = (typeof DEVICES)[number];

// Order matters: bots first (many claim a desktop browser), tablets before phones (Android tablets omit "Mobile").
const BOT = /bot\b|bot\/|crawl|spider|slurp|headless|lighthouse|facebookexternalhit|preview/i;
const TABLET = /ipad|tablet|kindle|silk\/|playbook|nexus (7|9|10)|sm-t\d|android(?!.*mobile)/i;
const MOBILE = /mobi|iphone|ipod|android|windows phone|blackberry|bb10|opera mini|iemobile/i;
const DESKTOP = /windows nt|macintosh|mac os x|x11|linux x86_64|cros/i;

/** The device class of a User-Agent, in Descope's categories; programmatic clients (SDKs, curl) are `Unknown`. */
export function deviceOf(userAgent: string | undefined): Device {
  if (!userAgent) return 'Unknown';
  if (BOT.test(userAgent)) return 'Bot';
  if (TABLET.test(userAgent)) return 'Tablet';
  if (MOBILE.test(userAgent)) return 'Mobile';
  if (DESKTOP.test(userAgent)) return 'Desktop';
  return 'Unknown';
}

/** Country headers a proxy or CDN sets; read only when the operator trusts a proxy (LATCHKEY_TRUST_PROXY). */
export const GEO_HEADERS = ['cf-ipcountry', 'x-geo-country', 'cloudfront-viewer-country'] as const;

export function geoOf(headers: Record<string, string | string[] | undefined>): string {
  for (const name of GEO_HEADERS) {
    const raw = headers[name];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toUpperCase();
    // Cloudflare uses XX (unknown) and T1 (Tor): neither is a country.
    if (value && /^[A-Z]{2}$/.test(value) && value !== 'XX') return value;
  }
  return '';
}
