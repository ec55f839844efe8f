import type { JwtResponse } from './types.ts';

/**
 * Name of the cookie holding the session JWT (Descope's convention).
 *
 * @example
 * ```ts
 * const sessionJwt = parseCookies(req.headers.cookie)[SESSION_COOKIE_NAME];
 * ```
 */
export const SESSION_COOKIE_NAME = 'DS';

/**
 * Name of the cookie holding the refresh JWT (Descope's convention).
 *
 * @example
 * ```ts
 * const refreshJwt = parseCookies(req.headers.cookie)[REFRESH_COOKIE_NAME];
 * ```
 */
export const REFRESH_COOKIE_NAME = 'DSR';

/**
 * Attributes for the cookies {@link buildSessionCookies} writes. Domain, path and max-age come from the
 * JWT response unless given here.
 *
 * @example
 * ```ts
 * const options: SessionCookieOptions = { secure: false, sameSite: 'Lax' }; // plain-http development
 * ```
 */
export type SessionCookieOptions = {
  /** override the response's `cookieDomain` */
  domain?: string;
  /** override the response's `cookiePath` (default `/`) */
  path?: string;
  /** override the response's `cookieMaxAge` (seconds) */
  maxAge?: number;
  /** add `Secure` (default `true`; set `false` only for plain-http development) */
  secure?: boolean;
  /** `SameSite` attribute (default `Strict`) */
  sameSite?: 'Strict' | 'Lax' | 'None';
  /** add `HttpOnly` (default `true`: scripts in the page cannot read the tokens) */
  httpOnly?: boolean;
};

// Cookie values and attributes must not be able to smuggle extra attributes or headers.
const SAFE_VALUE = /^[A-Za-z0-9._~+/=-]*$/;
const SAFE_ATTRIBUTE = /^[^;\r\n\0]*$/;

function checked(kind: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value))
    throw new TypeError(`Cookie ${kind} contains characters that are not allowed: ${JSON.stringify(value)}`);
  return value;
}

function serialize(
  name: string,
  value: string,
  maxAge: number,
  options: SessionCookieOptions,
  fallback: Partial<JwtResponse>,
) {
  const parts = [
    `${name}=${checked('value', value, SAFE_VALUE)}`,
    `Path=${checked('path', options.path ?? (fallback.cookiePath || '/'), SAFE_ATTRIBUTE)}`,
  ];
  parts.push(`Max-Age=${Math.max(0, Math.floor(maxAge))}`);
  const domain = options.domain ?? fallback.cookieDomain;
  if (domain) parts.push(`Domain=${checked('domain', domain, SAFE_ATTRIBUTE)}`);
  if (options.httpOnly ?? true) parts.push('HttpOnly');
  parts.push(`SameSite=${options.sameSite ?? 'Strict'}`);
  if (options.secure ?? true) parts.push('Secure');
  return parts.join('; ');
}

/**
 * `Set-Cookie` values for the `DS` (session) and `DSR` (refresh) cookies of a JWT response, using its
 * `cookieDomain`, `cookiePath` and `cookieMaxAge` as the Descope SDKs do. `DSR` is left out when the
 * response carries no refresh JWT (a refresh without rotation: the browser keeps its cookie).
 *
 * @example
 * ```ts
 * const response = await client.password.signIn(loginId, password);
 * res.setHeader('Set-Cookie', buildSessionCookies(response));
 * ```
 */
export function buildSessionCookies(response: JwtResponse, options: SessionCookieOptions = {}): string[] {
  const maxAge = options.maxAge ?? response.cookieMaxAge ?? 0;
  const cookies = [serialize(SESSION_COOKIE_NAME, response.sessionJwt, maxAge, options, response)];
  if (response.refreshJwt)
    cookies.push(serialize(REFRESH_COOKIE_NAME, response.refreshJwt, maxAge, options, response));
  return cookies;
}

/**
 * `Set-Cookie` values that delete the `DS` and `DSR` cookies (after logout). Use the same domain and
 * path the cookies were written with.
 *
 * @example
 * ```ts
 * await client.logout(refreshJwt);
 * res.setHeader('Set-Cookie', buildLogoutCookies({ domain: 'example.com' }));
 * ```
 */
export function buildLogoutCookies(
  options: Pick<SessionCookieOptions, 'domain' | 'path' | 'secure' | 'sameSite'> = {},
): string[] {
  const all = { ...options, maxAge: 0 };
  return [serialize(SESSION_COOKIE_NAME, '', 0, all, {}), serialize(REFRESH_COOKIE_NAME, '', 0, all, {})];
}

/**
 * Parses a `Cookie` request header into name → value. The first occurrence of a name wins (browsers
 * send the most specific path first); surrounding double quotes are removed.
 *
 * @example
 * ```ts
 * parseCookies('DS=eyJ...; theme=dark'); // { DS: 'eyJ...', theme: 'dark' }
 * ```
 */
export function parseCookies(header: string | null | undefined): Record<string, string> {
  const found = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    if (name && !found.has(name)) found.set(name, value);
  }
  // fromEntries defines own properties, so a cookie named "__proto__" cannot touch the prototype.
  return Object.fromEntries(found);
}

/**
 * Reads the session and refresh JWTs from a `Cookie` request header (`DS` and `DSR`). Empty cookies
 * count as absent.
 *
 * @example
 * ```ts
 * const { sessionJwt, refreshJwt } = readSessionCookies(req.headers.cookie);
 * const info = await client.validateAndRefreshSession(sessionJwt, refreshJwt);
 * ```
 */
export function readSessionCookies(header: string | null | undefined): {
  sessionJwt?: string;
  refreshJwt?: string;
} {
  const cookies = parseCookies(header);
  return {
    sessionJwt: cookies[SESSION_COOKIE_NAME] || undefined,
    refreshJwt: cookies[REFRESH_COOKIE_NAME] || undefined,
  };
}

/**
 * The `DS`/`DSR` values from `Set-Cookie` response headers: Descope projects configured to deliver
 * tokens in cookies leave them out of the JSON body.
 */
export function tokensFromSetCookie(setCookies: string[]): { sessionJwt?: string; refreshJwt?: string } {
  // A later Set-Cookie of a name replaces an earlier one, and parseCookies keeps the first: reverse.
  return readSessionCookies(
    setCookies
      .map((line) => line.split(';')[0])
      .reverse()
      .join('; '),
  );
}
