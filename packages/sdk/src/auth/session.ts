import type { Http } from '../http.ts';
import type { JwtResponse, LoginHistoryRecord, User } from '../types.ts';
import { postForJwt } from './jwt-response.ts';

/**
 * Calls authorized by the user's refresh JWT (reference §2.8, §2.10–2.12). These talk to the server
 * directly; for refresh with local validation first use `client.refreshSession`.
 *
 * @example
 * ```ts
 * const user = await client.me(refreshJwt);
 * ```
 */
export type SessionApi = {
  /**
   * Exchanges a refresh JWT for a new session JWT (and a new refresh JWT when the project rotates
   * them), without validating it locally first. Revoked tokens → 401 `E064001`.
   *
   * @example
   * ```ts
   * const { sessionJwt } = await client.refresh(refreshJwt);
   * ```
   */
  refresh(refreshJwt: string): Promise<JwtResponse>;
  /**
   * Selects the tenant the user works in: the new JWTs carry it in `dct`. A tenant the user is not
   * in → 403 `E063101`.
   *
   * @example
   * ```ts
   * const res = await client.selectTenant('acme', refreshJwt);
   * ```
   */
  selectTenant(tenantId: string, refreshJwt: string): Promise<JwtResponse>;
  /**
   * Signs out this session: the refresh JWT stops working. Delete the app's cookies too
   * ({@link buildLogoutCookies}).
   *
   * @example
   * ```ts
   * await client.logout(refreshJwt);
   * ```
   */
  logout(refreshJwt: string): Promise<void>;
  /**
   * Signs the user out everywhere: every refresh JWT of the user stops working.
   *
   * @example
   * ```ts
   * await client.logoutAll(refreshJwt);
   * ```
   */
  logoutAll(refreshJwt: string): Promise<void>;
  /**
   * The signed-in user.
   *
   * @example
   * ```ts
   * const { email } = await client.me(refreshJwt);
   * ```
   */
  me(refreshJwt: string): Promise<User>;
  /**
   * The signed-in user's sign-in history, newest first.
   *
   * @example
   * ```ts
   * const records = await client.history(refreshJwt);
   * ```
   */
  history(refreshJwt: string): Promise<LoginHistoryRecord[]>;
};

export function createSessionApi(http: Http): SessionApi {
  return {
    refresh: (refreshJwt) => postForJwt(http, '/v1/auth/refresh', { auth: { refreshJwt }, body: {} }),
    // Node and Go send `tenant`, Ruby `tenantId`; Latchkey and Descope accept `tenant`.
    selectTenant: (tenantId, refreshJwt) =>
      postForJwt(http, '/v1/auth/tenant/select', { auth: { refreshJwt }, body: { tenant: tenantId } }),
    async logout(refreshJwt) {
      await http.request('POST', '/v1/auth/logout', { auth: { refreshJwt } });
    },
    async logoutAll(refreshJwt) {
      await http.request('POST', '/v1/auth/logoutall', { auth: { refreshJwt } });
    },
    me: (refreshJwt) => http.request('GET', '/v1/auth/me', { auth: { refreshJwt } }),
    history: (refreshJwt) => http.request('GET', '/v1/auth/me/history', { auth: { refreshJwt } }),
  };
}
