import type { Http } from '../http.ts';

/**
 * Options of an impersonation (reference §3.10).
 *
 * @example
 * ```ts
 * const options: ImpersonateOptions = { selectedTenant: 'acme', customClaims: { ticket: 'T-42' } };
 * ```
 */
export type ImpersonateOptions = {
  /**
   * Latchkey keeps no consent records, so `true` is refused (403 `E119102`); leave it unset or `false`.
   */
  validateConsent?: boolean;
  /** added at the top level of the issued JWTs (reserved claims such as `sub` or `act` are refused) */
  customClaims?: Record<string, unknown>;
  /** issue the JWT with `dct` set to this tenant; the impersonator's tenant permission then counts too */
  selectedTenant?: string;
  /** a shorter refresh lifetime, in seconds */
  refreshDuration?: number;
};

/**
 * JWT update and impersonation (reference §3.10; docs/jwt-tools.md). Needs a management key.
 *
 * @example
 * ```ts
 * const { jwt } = await client.management.jwt.update(refreshJwt, { plan: 'pro' });
 * ```
 */
export type JwtApi = {
  /**
   * Re-signs a session or refresh JWT of the project with `customClaims` merged at the top level (every
   * other claim is kept). `refreshDuration` (seconds) sets a new expiry; absent, the expiry is kept.
   * Reserved or oversized (> 8 KiB) claims → 400 `E011004`; a foreign, forged or expired JWT → 401 `E061004`.
   *
   * @example
   * ```ts
   * const { jwt } = await client.management.jwt.update(refreshJwt, { plan: 'pro' });
   * ```
   */
  update(
    jwt: string,
    customClaims?: Record<string, unknown>,
    refreshDuration?: number,
  ): Promise<{ jwt: string }>;
  /**
   * Starts impersonating `loginId` as `impersonatorId` (a user id or login id holding the `impersonation`
   * permission). Answers a **refresh** JWT of the target whose tokens carry `act: { sub: impersonatorId }`.
   * Without the permission → 403 `E119101`; an unknown user → 404 `E112102`.
   *
   * @example
   * ```ts
   * const { jwt } = await client.management.jwt.impersonate(supportUserId, 'ada@example.com');
   * const session = await client.refreshSession(jwt);
   * ```
   */
  impersonate(
    impersonatorId: string,
    loginId: string,
    options?: ImpersonateOptions,
  ): Promise<{ jwt: string }>;
  /**
   * Like {@link JwtApi.impersonate}, but answers a **session** JWT.
   *
   * @example
   * ```ts
   * const { jwt } = await client.management.jwt.impersonateStepup(supportUserId, 'ada@example.com');
   * ```
   */
  impersonateStepup(
    impersonatorId: string,
    loginId: string,
    options?: ImpersonateOptions,
  ): Promise<{ jwt: string }>;
  /**
   * Ends an impersonation: the impersonation session is revoked (when `jwt` is its refresh JWT) and a
   * refresh JWT of the original actor is returned.
   *
   * @example
   * ```ts
   * const { jwt: actorRefreshJwt } = await client.management.jwt.stopImpersonation(impersonationJwt);
   * ```
   */
  stopImpersonation(
    jwt: string,
    options?: Omit<ImpersonateOptions, 'validateConsent'>,
  ): Promise<{ jwt: string }>;
};

export function createJwtApi(http: Http): JwtApi {
  const post = (path: string, body: unknown) =>
    http.request<{ jwt: string }>('POST', path, { auth: 'management', body });
  return {
    update: (jwt, customClaims, refreshDuration) =>
      post('/v1/mgmt/jwt/update', { jwt, customClaims, refreshDuration }),
    impersonate: (impersonatorId, loginId, options = {}) =>
      post('/v1/mgmt/impersonate', { validateConsent: false, ...options, impersonatorId, loginId }),
    impersonateStepup: (impersonatorId, loginId, options = {}) =>
      post('/v1/mgmt/impersonate/stepup', { validateConsent: false, ...options, impersonatorId, loginId }),
    stopImpersonation: (jwt, options = {}) => post('/v1/mgmt/stop/impersonation', { ...options, jwt }),
  };
}
