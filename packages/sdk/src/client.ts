import { type AccessKeyExchangeApi, createAccessKeyExchangeApi } from './auth/access-key.ts';
import { createEnchantedLinkApi, type EnchantedLinkApi } from './auth/enchanted-link.ts';
import { createMagicLinkApi, type MagicLinkApi } from './auth/magic-link.ts';
import { createOtpApi, type OtpApi } from './auth/otp.ts';
import { createPasswordApi, type PasswordApi } from './auth/password.ts';
import { createSessionApi, type SessionApi } from './auth/session.ts';
import { createTotpApi, type TotpApi } from './auth/totp.ts';
import * as authorization from './authorization.ts';
import { createHttp } from './http.ts';
import { createManagementApi, type ManagementApi } from './management/index.ts';
import type { AuthenticationInfo } from './types.ts';
import { createJwksResolver } from './validation/jwks.ts';
import { createSessionValidator, type ValidationOptions } from './validation/session.ts';

/**
 * Configuration of {@link createLatchkeyClient}.
 *
 * @example
 * ```ts
 * const options: LatchkeyClientOptions = {
 *   projectId: process.env.LATCHKEY_PROJECT_ID!,
 *   baseUrl: 'https://auth.example.com',
 *   managementKey: process.env.LATCHKEY_MANAGEMENT_KEY, // only for management calls
 *   authManagementKey: process.env.LATCHKEY_MANAGEMENT_KEY, // sent on auth calls: allows customClaims
 * };
 * ```
 */
export type LatchkeyClientOptions = {
  /** the project id (`P...`) */
  projectId: string;
  /** where the server listens, e.g. `http://localhost:4000` or `https://api.descope.com` */
  baseUrl: string;
  /** needed for `client.management.*` only; keep it on the server side */
  managementKey?: string;
  /**
   * A management key sent along with every **auth** call, for backends that authenticate users on their
   * behalf: auth calls send `Authorization: Bearer <projectId>:<authManagementKey>`, calls made with a
   * refresh JWT `Bearer <projectId>:<refreshJwt>:<authManagementKey>` (what the Descope Node and Go SDKs
   * send with their `authManagementKey`). Management calls still use `managementKey` only; this key does
   * not enable `client.management.*`.
   *
   * It is what lets an auth call carry `loginOptions.customClaims`: the server accepts custom claims on
   * password sign-up/sign-in, OTP / magic-link / enchanted-link start calls and TOTP verify only from a
   * caller holding a management key (else 401 `E011103`), since a browser could otherwise write claims such
   * as `plan: "pro"` into its own session. Keep it on the server side, like `managementKey`.
   *
   * Unlike the Node SDK's README (which says not to pass both), both options may be set: they are used on
   * disjoint sets of calls, so one backend client can authenticate users and manage the project. The
   * public JWKS fetch (`GET /v2/keys/<projectId>`) never carries either key.
   *
   * @example
   * ```ts
   * const backend = createLatchkeyClient({
   *   projectId: 'P2abc…',
   *   baseUrl: 'http://localhost:4000',
   *   authManagementKey: process.env.LATCHKEY_MANAGEMENT_KEY,
   * });
   * const { sessionJwt } = await backend.password.signIn('ada@example.com', password, {
   *   customClaims: { plan: 'pro' },
   * });
   * ```
   */
  authManagementKey?: string;
  /** a `fetch` implementation (default: the global one); wrap it to add tracing or proxies */
  fetch?: typeof fetch;
  /** leeway for `exp`/`nbf`/`iat` checks, in seconds (default 5, like the Descope SDKs) */
  clockToleranceSeconds?: number;
  /** when set, session tokens must carry this audience (or one of these) in `aud` */
  audience?: string | string[];
  /** per-request timeout in milliseconds (default 30 000) */
  timeoutMs?: number;
  /** minimum seconds between two JWKS fetches caused by unknown key ids (default 5) */
  jwksCooldownSeconds?: number;
  /** seconds after which the cached JWKS is refetched on next use (default 600) */
  jwksMaxAgeSeconds?: number;
};

/**
 * A Latchkey (or Descope) client: authentication calls, local session validation, authorization
 * helpers and, with a management key, the management API.
 *
 * @example
 * ```ts
 * const client: LatchkeyClient = createLatchkeyClient({ projectId, baseUrl });
 * const info = await client.validateSession(sessionJwt);
 * ```
 */
export type LatchkeyClient = SessionApi &
  AccessKeyExchangeApi & {
    /** the configured project id */
    readonly projectId: string;
    /** password authentication */
    readonly password: PasswordApi;
    /** one-time codes by email, SMS, voice or WhatsApp */
    readonly otp: OtpApi;
    /** magic links by email, SMS or WhatsApp */
    readonly magicLink: MagicLinkApi;
    /** enchanted links (email, cross-device, with session polling) */
    readonly enchantedLink: EnchantedLinkApi;
    /** authenticator apps (TOTP) */
    readonly totp: TotpApi;
    /** management API (needs `managementKey`) */
    readonly management: ManagementApi;
    /**
     * Validates a session JWT locally (JWKS signature, `exp` with leeway, issuer, optional audience,
     * `drn: DS`). Throws a `LatchkeySessionError` whose `reason` says why it failed.
     *
     * @example
     * ```ts
     * const { token } = await client.validateSession(sessionJwt);
     * console.log(token.sub);
     * ```
     */
    validateSession(sessionJwt: string | undefined, options?: ValidationOptions): Promise<AuthenticationInfo>;
    /**
     * Validates the refresh JWT locally (`drn: DSR`), then asks the server for a new session and
     * validates it. The result carries the refresh JWT to keep (`refreshJwt`) and the server's `response`.
     *
     * @example
     * ```ts
     * const { jwt, refreshJwt: keep } = await client.refreshSession(refreshJwt);
     * ```
     */
    refreshSession(refreshJwt: string | undefined, options?: ValidationOptions): Promise<AuthenticationInfo>;
    /**
     * Validates the session JWT; when it is missing or fails local validation and a refresh JWT is
     * given, refreshes instead. Server errors (e.g. a revoked refresh token) are thrown as they are.
     *
     * @example
     * ```ts
     * const { sessionJwt, refreshJwt } = readSessionCookies(req.headers.cookie);
     * const info = await client.validateAndRefreshSession(sessionJwt, refreshJwt);
     * ```
     */
    validateAndRefreshSession(
      sessionJwt: string | undefined,
      refreshJwt: string | undefined,
      options?: ValidationOptions,
    ): Promise<AuthenticationInfo>;
    /** see {@link authorization.validateRoles} */
    readonly validateRoles: typeof authorization.validateRoles;
    /** see {@link authorization.validatePermissions} */
    readonly validatePermissions: typeof authorization.validatePermissions;
    /** see {@link authorization.validateTenantRoles} */
    readonly validateTenantRoles: typeof authorization.validateTenantRoles;
    /** see {@link authorization.validateTenantPermissions} */
    readonly validateTenantPermissions: typeof authorization.validateTenantPermissions;
    /** see {@link authorization.getMatchedRoles} */
    readonly getMatchedRoles: typeof authorization.getMatchedRoles;
    /** see {@link authorization.getMatchedPermissions} */
    readonly getMatchedPermissions: typeof authorization.getMatchedPermissions;
    /** see {@link authorization.getTenants} */
    readonly getTenants: typeof authorization.getTenants;
    /** see {@link authorization.isUserInTenant} */
    readonly isUserInTenant: typeof authorization.isUserInTenant;
    /** see {@link authorization.getSelectedTenant} */
    readonly getSelectedTenant: typeof authorization.getSelectedTenant;
  };

function checkedOptions(options: LatchkeyClientOptions) {
  const { projectId, managementKey, authManagementKey } = options;
  if (!projectId || /[:\s]/.test(projectId))
    throw new TypeError('projectId is required and may not contain ":" or spaces');
  for (const [name, key] of [
    ['managementKey', managementKey],
    ['authManagementKey', authManagementKey],
  ] as const) {
    if (key !== undefined && (!key || /[:\s]/.test(key)))
      throw new TypeError(`${name} may not be empty or contain ":" or spaces`);
  }
  if (!/^https?:\/\/[^/]/i.test(options.baseUrl ?? ''))
    throw new TypeError('baseUrl must be an http(s) URL, e.g. http://localhost:4000');
  const seconds = (name: string, value: number | undefined, fallback: number) => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < 0) throw new TypeError(`${name} must be a number of seconds >= 0`);
    return v;
  };
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('No fetch implementation: pass options.fetch');
  return {
    projectId,
    managementKey,
    authManagementKey,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: fetchImpl,
    audience: options.audience,
    clockToleranceSeconds: seconds('clockToleranceSeconds', options.clockToleranceSeconds, 5),
    timeoutMs: seconds('timeoutMs', options.timeoutMs, 30_000),
    jwksCooldownMs: seconds('jwksCooldownSeconds', options.jwksCooldownSeconds, 5) * 1000,
    jwksMaxAgeMs: seconds('jwksMaxAgeSeconds', options.jwksMaxAgeSeconds, 600) * 1000,
  };
}

/**
 * Creates a client for one project. It speaks the Descope wire protocol, so the same code works
 * against a Latchkey server and against Descope's cloud (`baseUrl: 'https://api.descope.com'`).
 * Throws a `TypeError` on invalid options.
 *
 * @example
 * ```ts
 * import { createLatchkeyClient } from '@latchkey/sdk';
 *
 * const client = createLatchkeyClient({ projectId: 'P2abc...', baseUrl: 'http://localhost:4000' });
 * const { sessionJwt, refreshJwt } = await client.password.signIn('ada@example.com', 'S3cure-password');
 * const { token } = await client.validateSession(sessionJwt);
 * ```
 */
export function createLatchkeyClient(options: LatchkeyClientOptions): LatchkeyClient {
  const config = checkedOptions(options);
  const http = createHttp(config);
  const session = createSessionApi(http);
  const keys = createJwksResolver({
    url: `${config.baseUrl}/v2/keys/${encodeURIComponent(config.projectId)}`,
    fetch: config.fetch,
    headers: {
      accept: 'application/json',
      authorization: `Bearer ${config.projectId}`,
      'x-descope-project-id': config.projectId,
    },
    timeoutMs: config.timeoutMs,
    cooldownMs: config.jwksCooldownMs,
    maxAgeMs: config.jwksMaxAgeMs,
  });
  const validator = createSessionValidator({
    projectId: config.projectId,
    keys,
    clockToleranceSeconds: config.clockToleranceSeconds,
    audience: config.audience,
    refresh: session.refresh,
  });
  return {
    ...session,
    ...createAccessKeyExchangeApi(http),
    projectId: config.projectId,
    password: createPasswordApi(http),
    otp: createOtpApi(http),
    magicLink: createMagicLinkApi(http),
    enchantedLink: createEnchantedLinkApi(http),
    totp: createTotpApi(http),
    management: createManagementApi(http),
    validateSession: validator.validateSession,
    refreshSession: validator.refreshSession,
    validateAndRefreshSession: validator.validateAndRefreshSession,
    validateRoles: authorization.validateRoles,
    validatePermissions: authorization.validatePermissions,
    validateTenantRoles: authorization.validateTenantRoles,
    validateTenantPermissions: authorization.validateTenantPermissions,
    getMatchedRoles: authorization.getMatchedRoles,
    getMatchedPermissions: authorization.getMatchedPermissions,
    getTenants: authorization.getTenants,
    isUserInTenant: authorization.isUserInTenant,
    getSelectedTenant: authorization.getSelectedTenant,
  };
}
