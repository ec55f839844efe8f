import type { Http } from '../http.ts';
import type { JwtResponse, PasswordPolicy } from '../types.ts';
import { postForJwt } from './jwt-response.ts';

/**
 * Profile fields a user may give when signing up (reference §2.1 `User-in`).
 *
 * @example
 * ```ts
 * const user: SignUpUser = { name: 'Ada Lovelace', email: 'ada@example.com' };
 * ```
 */
export type SignUpUser = {
  name?: string;
  givenName?: string;
  middleName?: string;
  familyName?: string;
  email?: string;
  phone?: string;
};

/**
 * Options of a sign-in style call (reference §1.13). Latchkey applies `customClaims`; the other fields
 * are sent as given for Descope's cloud. `customClaims` need a client configured with
 * `authManagementKey` (a backend): without one the server refuses the call with 401 `E011103`.
 *
 * @example
 * ```ts
 * const options: LoginOptions = { customClaims: { plan: 'pro' } };
 * ```
 */
export type LoginOptions = {
  customClaims?: Record<string, unknown>;
  stepup?: boolean;
  mfa?: boolean;
  templateOptions?: Record<string, string>;
  [option: string]: unknown;
};

/**
 * What a password reset request answers (Descope's Node SDK type; Latchkey answers an error until
 * message delivery exists).
 *
 * @example
 * ```ts
 * const { maskedEmail }: PasswordResetResponse = await client.password.sendReset('ada@example.com');
 * ```
 */
export type PasswordResetResponse = {
  resetMethod?: string;
  pendingRef?: string;
  linkId?: string;
  maskedEmail?: string;
};

/**
 * Password authentication (reference §2.7).
 *
 * @example
 * ```ts
 * const { sessionJwt, refreshJwt } = await client.password.signIn('ada@example.com', 'S3cure-password');
 * ```
 */
export type PasswordApi = {
  /**
   * Creates a user with a password and signs them in. Fails with `E062107` when the login id exists
   * and `E062902` when the password breaks the policy.
   *
   * @example
   * ```ts
   * const res = await client.password.signUp('ada@example.com', 'S3cure-password', { name: 'Ada' });
   * ```
   */
  signUp(
    loginId: string,
    password: string,
    user?: SignUpUser,
    loginOptions?: LoginOptions,
  ): Promise<JwtResponse>;
  /**
   * Signs in with a password. Wrong credentials → 401 `E062901`; an expired or temporary password →
   * 401 `E062909` (call {@link PasswordApi.replace}).
   *
   * @example
   * ```ts
   * const res = await client.password.signIn('ada@example.com', 'S3cure-password');
   * ```
   */
  signIn(loginId: string, password: string, loginOptions?: LoginOptions): Promise<JwtResponse>;
  /**
   * Replaces a password, proving the old one, and signs in.
   *
   * @example
   * ```ts
   * const res = await client.password.replace('ada@example.com', 'old-Passw0rd', 'new-Passw0rd');
   * ```
   */
  replace(loginId: string, oldPassword: string, newPassword: string): Promise<JwtResponse>;
  /**
   * Sets a new password for a signed-in user, authorized by their refresh JWT (e.g. after a reset).
   *
   * @example
   * ```ts
   * await client.password.update('ada@example.com', 'new-Passw0rd', refreshJwt);
   * ```
   */
  update(loginId: string, newPassword: string, refreshJwt: string): Promise<void>;
  /**
   * The project's password policy, to check passwords before sending them.
   *
   * @example
   * ```ts
   * const { minLength } = await client.password.policy();
   * ```
   */
  policy(): Promise<PasswordPolicy>;
  /**
   * Sends a password-reset magic link or code to the user's email, as the project's reset method says.
   * Redeem it with `magicLink.verify` (or `otp.verify('email', …)`), then call `update` with that session's
   * refresh token.
   *
   * @example
   * ```ts
   * await client.password.sendReset('ada@example.com', 'https://app.example.com/reset');
   * ```
   */
  sendReset(
    loginId: string,
    redirectUrl?: string,
    templateOptions?: Record<string, string>,
  ): Promise<PasswordResetResponse>;
};

export function createPasswordApi(http: Http): PasswordApi {
  return {
    signUp: (loginId, password, user, loginOptions) =>
      postForJwt(http, '/v1/auth/password/signup', {
        auth: 'project',
        body: { loginId, password, user, loginOptions },
      }),
    signIn: (loginId, password, loginOptions) =>
      postForJwt(http, '/v1/auth/password/signin', {
        auth: 'project',
        body: { loginId, password, loginOptions },
      }),
    replace: (loginId, oldPassword, newPassword) =>
      postForJwt(http, '/v1/auth/password/replace', {
        auth: 'project',
        body: { loginId, oldPassword, newPassword },
      }),
    async update(loginId, newPassword, refreshJwt) {
      await http.request('POST', '/v1/auth/password/update', {
        auth: { refreshJwt },
        body: { loginId, newPassword },
      });
    },
    policy: () => http.request('GET', '/v1/auth/password/policy', { auth: 'project' }),
    sendReset: (loginId, redirectUrl, templateOptions) =>
      http.request('POST', '/v1/auth/password/reset', {
        auth: 'project',
        body: { loginId, redirectUrl, templateOptions },
      }),
  };
}
