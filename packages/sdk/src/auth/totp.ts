import type { Http } from '../http.ts';
import type { JwtResponse } from '../types.ts';
import { postForJwt } from './jwt-response.ts';
import type { LoginOptions, SignUpUser } from './password.ts';
import { callerAuth } from './passwordless.ts';

/**
 * An authenticator-app enrolment (reference §4.13; note the capital `URL`): the shared secret in base32
 * (`key`), the same as an `otpauth://` URI (`provisioningURL`) and as a base64 PNG QR code (`image`).
 *
 * @example
 * ```ts
 * const { image }: TotpResponse = await client.totp.signUp('ada@example.com');
 * html`<img src="data:image/png;base64,${image}">`;
 * ```
 */
export type TotpResponse = { provisioningURL: string; image: string; key: string };

/**
 * Authenticator apps (TOTP, RFC 6238: SHA-1, 6 digits, 30 s; reference §2.6).
 *
 * @example
 * ```ts
 * const { provisioningURL } = await client.totp.signUp('ada@example.com', { name: 'Ada' });
 * // the user scans it, then types the app's current code
 * const { sessionJwt } = await client.totp.verify('ada@example.com', '123456');
 * ```
 */
export type TotpApi = {
  /**
   * Creates a user with a new authenticator seed and answers it for enrolment. An existing login id →
   * 400 `E062107`.
   *
   * @example
   * ```ts
   * const { key, provisioningURL, image } = await client.totp.signUp('ada@example.com', { name: 'Ada' });
   * ```
   */
  signUp(loginId: string, user?: SignUpUser): Promise<TotpResponse>;
  /**
   * Signs in with the app's current code (`amr: ['totp']`). A wrong or reused code → 401 `E061102`. For
   * step-up or MFA pass `{ stepup: true }` and the current refresh JWT: the session keeps its factors.
   *
   * @example
   * ```ts
   * const res = await client.totp.verify('ada@example.com', '123456');
   * const raised = await client.totp.verify('ada@example.com', '654321', { stepup: true }, refreshJwt);
   * ```
   */
  verify(
    loginId: string,
    code: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<JwtResponse>;
  /**
   * Adds or replaces the signed-in user's seed; the previous one stops working.
   *
   * @example
   * ```ts
   * const { key } = await client.totp.update('ada@example.com', refreshJwt);
   * ```
   */
  update(loginId: string, refreshJwt: string): Promise<TotpResponse>;
};

export function createTotpApi(http: Http): TotpApi {
  return {
    signUp: (loginId, user) =>
      http.request('POST', '/v1/auth/totp/signup', { auth: 'project', body: { loginId, user } }),
    verify: (loginId, code, loginOptions, refreshJwt) =>
      postForJwt(http, '/v1/auth/totp/verify', {
        auth: callerAuth(refreshJwt),
        body: { loginId, code, loginOptions },
      }),
    update: (loginId, refreshJwt) =>
      http.request('POST', '/v1/auth/totp/update', { auth: { refreshJwt }, body: { loginId } }),
  };
}
