import type { Http } from '../http.ts';

/**
 * Options of an access key exchange. `customClaims` need a client with `authManagementKey` (else 401
 * `E011103`); claims set on the key itself win over them.
 *
 * @example
 * ```ts
 * const options: AccessKeyLoginOptions = { selectedTenant: 'acme' }; // the session carries `dct: 'acme'`
 * ```
 */
export type AccessKeyLoginOptions = {
  customClaims?: Record<string, unknown>;
  /** a tenant of the key (or of its bound user), written to the session's `dct` claim */
  selectedTenant?: string;
};

/**
 * What an access key exchange answers (reference §2.13). The session JWT's `sub` is the key id; it
 * validates with `client.validateSession` like a user's.
 *
 * @example
 * ```ts
 * const { keyId, sessionJwt, expiration }: AccessKeyExchangeResponse = await client.exchangeAccessKey(key);
 * ```
 */
export type AccessKeyExchangeResponse = {
  keyId: string;
  sessionJwt: string;
  /** Latchkey sends one for SDKs that require it; it cannot be used with `refresh` */
  refreshJwt?: string;
  /** when the session JWT expires, in epoch seconds */
  expiration: number;
};

/**
 * Access key exchange (reference §2.13).
 *
 * @example
 * ```ts
 * const { sessionJwt } = await client.exchangeAccessKey(process.env.LATCHKEY_ACCESS_KEY!);
 * ```
 */
export type AccessKeyExchangeApi = {
  /**
   * Exchanges an access key (the `cleartext` of `management.accessKey.create`) for a session JWT, sending
   * `Authorization: Bearer <projectId>:<accessKey>`. Refusals: unknown or deleted key 401 `E061201`,
   * deactivated `E061202`, expired `E061203`, caller's IP not permitted `E061204` (`ERROR_CODES.accessKey*`).
   *
   * @example
   * ```ts
   * const { sessionJwt } = await machine.exchangeAccessKey(accessKey);
   * const info = await machine.validateSession(sessionJwt); // info.token.sub is the key id
   * ```
   */
  exchangeAccessKey(
    accessKey: string,
    loginOptions?: AccessKeyLoginOptions,
  ): Promise<AccessKeyExchangeResponse>;
};

export function createAccessKeyExchangeApi(http: Http): AccessKeyExchangeApi {
  return {
    exchangeAccessKey: async (accessKey, loginOptions) => {
      if (!accessKey || /[:\s]/.test(accessKey))
        throw new TypeError('accessKey is required and may not contain ":" or spaces');
      // `Bearer <projectId>:<token>[:<authManagementKey>]`: the same shape as a call made with a refresh JWT.
      return http.request<AccessKeyExchangeResponse>('POST', '/v1/auth/accesskey/exchange', {
        auth: { refreshJwt: accessKey },
        body: loginOptions ? { loginOptions } : {},
      });
    },
  };
}
