/**
 * The error codes a Latchkey server sends in `errorCode` (the same registry as the server's
 * `ERROR_CODES`; a test fails when the two drift apart). Descope's cloud uses the same `E` + 6 digit
 * scheme, so codes shared with Descope (`E062107`, `E062909`, `E112102`, `E130429`...) mean the same there.
 *
 * @example
 * ```ts
 * import { ERROR_CODES, LatchkeyApiError } from '@latchkey/sdk';
 *
 * try {
 *   await client.password.signIn('ada@example.com', 'wrong');
 * } catch (err) {
 *   if (err instanceof LatchkeyApiError && err.errorCode === ERROR_CODES.passwordExpired) {
 *     // ask for a new password and call client.password.replace(...)
 *   }
 * }
 * ```
 */
export const ERROR_CODES = {
  badRequest: 'E011001',
  missingArguments: 'E011002',
  invalidRequest: 'E011003',
  invalidArguments: 'E011004',
  payloadTooLarge: 'E011005',
  routeNotFound: 'E011404',
  unauthorized: 'E011101',
  unknownProject: 'E011102',
  invalidManagementKey: 'E011103',
  missingRefreshToken: 'E061001',
  invalidToken: 'E061004',
  tokenRevoked: 'E064001',
  userAlreadyExists: 'E062107',
  authUserNotFound: 'E062108',
  invalidCredentials: 'E062901',
  passwordPolicy: 'E062902',
  userLocked: 'E062903',
  userDisabled: 'E062904',
  passwordNotSet: 'E062906',
  passwordExpired: 'E062909',
  tenantNotAssociated: 'E063101',
  managementUserNotFound: 'E112102',
  managementUserExists: 'E112103',
  loginIdInUse: 'E112104',
  lastLoginId: 'E112105',
  tenantNotFound: 'E113101',
  tenantExists: 'E113102',
  roleNotFound: 'E114101',
  roleExists: 'E114102',
  permissionNotFound: 'E115101',
  permissionExists: 'E115102',
  authzInvalidSchema: 'E116101',
  authzUnknownRelation: 'E116102',
  authzDepthExceeded: 'E116103',
  deliveryNotConfigured: 'E011201',
  deliveryFailed: 'E011202',
  wrongCode: 'E061102',
  tooManyAttempts: 'E061103',
  invalidLink: 'E061104',
  enchantedLinkPending: 'E062503',
  redirectNotAllowed: 'E011301',
  accessKeyNotFound: 'E117101',
  accessKeyInvalid: 'E061201',
  accessKeyInactive: 'E061202',
  accessKeyExpired: 'E061203',
  accessKeyIpNotPermitted: 'E061204',
  rateLimited: 'E130429',
  sessionInactive: 'E064002',
  impersonationDenied: 'E119101',
  consentUnavailable: 'E119102',
  flowNotFound: 'E121101',
  snapshotInvalid: 'E122101',
  snapshotVersionUnsupported: 'E122102',
  internal: 'E000500',
  invalidCustomAttribute: 'E118102',
  customAttributeNotFound: 'E118101',
} as const;

/**
 * One of the known error codes of {@link ERROR_CODES}.
 *
 * @example
 * ```ts
 * const code: ErrorCode = 'E112102';
 * ```
 */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** What {@link LatchkeyApiError} is built from. */
type ApiErrorInit = {
  status: number;
  errorCode: string;
  errorDescription: string;
  errorMessage: string;
  method: string;
  path: string;
  retryAfter?: number;
};

/**
 * The server answered with an error status (4xx/5xx). Carries the Descope error body
 * (`errorCode`, `errorDescription`, `errorMessage`) and, on `429`, the `Retry-After` seconds.
 *
 * @example
 * ```ts
 * try {
 *   await client.management.user.load('nobody@example.com');
 * } catch (err) {
 *   if (err instanceof LatchkeyApiError && err.status === 404) console.log(err.errorCode); // 'E112102'
 *   else throw err;
 * }
 * ```
 */
export class LatchkeyApiError extends Error {
  /** HTTP status of the response. */
  readonly status: number;
  /** Stable error code, e.g. `E062901`; empty when the response was not a Descope error body. */
  readonly errorCode: ErrorCode | (string & {});
  /** Short, generic description of the code. */
  readonly errorDescription: string;
  /** Detail about this occurrence. */
  readonly errorMessage: string;
  /** Seconds to wait before retrying, from the `Retry-After` header (set on `429` answers that carry it). */
  readonly retryAfter?: number;
  /** HTTP method of the failed call. */
  readonly method: string;
  /** Path of the failed call, without query string. */
  readonly path: string;

  constructor(init: ApiErrorInit) {
    const detail = init.errorMessage || init.errorDescription || 'Request failed';
    super(
      `${init.method} ${init.path} failed with ${init.status}${init.errorCode ? ` ${init.errorCode}` : ''}: ${detail}`,
    );
    this.name = 'LatchkeyApiError';
    this.status = init.status;
    this.errorCode = init.errorCode;
    this.errorDescription = init.errorDescription;
    this.errorMessage = init.errorMessage;
    this.retryAfter = init.retryAfter;
    this.method = init.method;
    this.path = init.path;
  }
}

/**
 * Why a token failed local validation:
 * - `missing-token`: no token was given;
 * - `malformed`: not a compact JWS, or the header/claims are unreadable;
 * - `unknown-key`: no key of the project's JWKS has the token's `kid` (even after refetching it);
 * - `invalid-signature`: the signature does not verify with the project's key;
 * - `expired`: `exp` is past (beyond the clock tolerance);
 * - `wrong-issuer`: `iss` does not name the project;
 * - `wrong-audience`: an audience was required and `aud` does not contain it;
 * - `wrong-token-type`: `drn` is not `DS` for a session token or `DSR` for a refresh token;
 * - `invalid-claims`: another claim check failed (`nbf`, `iat`, missing `sub`...);
 * - `keys-unavailable`: the JWKS could not be fetched or parsed.
 *
 * @example
 * ```ts
 * const reason: SessionErrorReason = 'expired';
 * ```
 */
export type SessionErrorReason =
  | 'missing-token'
  | 'malformed'
  | 'unknown-key'
  | 'invalid-signature'
  | 'expired'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'wrong-token-type'
  | 'invalid-claims'
  | 'keys-unavailable';

/**
 * A session or refresh token failed local validation (no server call was needed to decide).
 *
 * @example
 * ```ts
 * try {
 *   await client.validateSession(sessionJwt);
 * } catch (err) {
 *   if (err instanceof LatchkeySessionError && err.reason === 'expired') {
 *     // refresh with client.refreshSession(refreshJwt)
 *   }
 * }
 * ```
 */
export class LatchkeySessionError extends Error {
  /** Machine-readable reason, see {@link SessionErrorReason}. */
  readonly reason: SessionErrorReason;

  constructor(reason: SessionErrorReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LatchkeySessionError';
    this.reason = reason;
  }
}

/**
 * True when `err` is a {@link LatchkeyApiError}, optionally with the given error code.
 *
 * @example
 * ```ts
 * try {
 *   await client.management.tenant.createWithId('acme', 'Acme');
 * } catch (err) {
 *   if (!isLatchkeyApiError(err, ERROR_CODES.tenantExists)) throw err;
 * }
 * ```
 */
export function isLatchkeyApiError(
  err: unknown,
  errorCode?: ErrorCode | (string & {}),
): err is LatchkeyApiError {
  return err instanceof LatchkeyApiError && (errorCode === undefined || err.errorCode === errorCode);
}
