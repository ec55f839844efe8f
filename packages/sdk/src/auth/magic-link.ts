import type { Http } from '../http.ts';
import type { JwtResponse } from '../types.ts';
import { postForJwt } from './jwt-response.ts';
import type { LoginOptions, SignUpUser } from './password.ts';
import {
  callerAuth,
  checkedMethod,
  type LinkMethod,
  type MaskedAddress,
  type MaskedEmail,
  type MaskedPhone,
  type SignUpOptions,
  type UpdateOptions,
} from './passwordless.ts';

/**
 * Magic links by email, SMS or WhatsApp (reference §2.2). The message carries `<redirectUrl>?t=<token>`;
 * the page at the redirect URL reads `t` and calls {@link MagicLinkApi.verify}. Without a redirect URL the
 * project's default is used; a redirect URL outside the project's allowed origins → 400 `E011301`.
 * A link works once; used, expired or unknown tokens → 401 `E061104`. An unknown delivery method (`voice`
 * included) rejects with a `TypeError` before any request.
 *
 * @example
 * ```ts
 * await client.magicLink.signUpOrIn('email', 'ada@example.com', 'https://app.example.com/verify');
 * // on https://app.example.com/verify?t=...
 * const res = await client.magicLink.verify(new URL(req.url, 'https://app.example.com').searchParams.get('t')!);
 * ```
 */
export type MagicLinkApi = {
  /**
   * Sends a sign-up link to a new user; the user is created when the link is verified. An existing login
   * id → 400 `E062107`.
   *
   * @example
   * ```ts
   * await client.magicLink.signUp('email', 'ada@example.com', 'https://app.example.com/verify', { name: 'Ada' });
   * ```
   */
  signUp<M extends LinkMethod>(
    method: M,
    loginId: string,
    redirectUrl?: string,
    user?: SignUpUser,
    options?: SignUpOptions,
  ): Promise<MaskedAddress<M>>;
  /**
   * Sends a sign-in link to an existing user (unknown → 404 `E062108`). Pass the refresh JWT for step-up
   * or MFA.
   *
   * @example
   * ```ts
   * const { maskedEmail } = await client.magicLink.signIn('email', 'ada@example.com', 'https://app.example.com/verify');
   * ```
   */
  signIn<M extends LinkMethod>(
    method: M,
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<MaskedAddress<M>>;
  /**
   * Sends a link that signs the user in, or up when the login id is new.
   *
   * @example
   * ```ts
   * await client.magicLink.signUpOrIn('sms', '+14155550100', 'https://app.example.com/verify');
   * ```
   */
  signUpOrIn<M extends LinkMethod>(
    method: M,
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<MaskedAddress<M>>;
  /**
   * Exchanges the link's token (its `t` parameter) for a session. Also redeems embedded-link tokens
   * (`management.user.generateEmbeddedLink`).
   *
   * @example
   * ```ts
   * const { sessionJwt, refreshJwt } = await client.magicLink.verify(token);
   * ```
   */
  verify(token: string): Promise<JwtResponse>;
  /**
   * Sends a link to a new email address of the signed-in user; the address changes when it is verified.
   *
   * @example
   * ```ts
   * await client.magicLink.updateEmail('ada@example.com', 'ada@new.example', refreshJwt, 'https://app.example.com/verify');
   * ```
   */
  updateEmail(
    loginId: string,
    email: string,
    refreshJwt: string,
    redirectUrl?: string,
    options?: UpdateOptions,
  ): Promise<MaskedEmail>;
  /**
   * Sends a link to a new phone number (E.164) of the signed-in user, by SMS or WhatsApp.
   *
   * @example
   * ```ts
   * await client.magicLink.updatePhone('sms', 'ada@example.com', '+14155550100', refreshJwt);
   * ```
   */
  updatePhone(
    method: Exclude<LinkMethod, 'email'>,
    loginId: string,
    phone: string,
    refreshJwt: string,
    redirectUrl?: string,
    options?: UpdateOptions,
  ): Promise<MaskedPhone>;
};

const LINK_METHODS: readonly LinkMethod[] = ['email', 'sms', 'whatsapp'];

export function createMagicLinkApi(http: Http): MagicLinkApi {
  // Node and Go send the redirect URL as `URI` (Ruby `redirectUrl`); Latchkey and Descope accept `URI`.
  const start = async <M extends LinkMethod>(
    flow: string,
    method: M,
    body: Record<string, unknown>,
    refreshJwt?: string,
  ) =>
    http.request<MaskedAddress<M>>(
      'POST',
      `/v1/auth/magiclink/${flow}/${checkedMethod(method, LINK_METHODS)}`,
      { auth: callerAuth(refreshJwt), body },
    );
  return {
    signUp: (method, loginId, redirectUrl, user, options) =>
      start('signup', method, { loginId, URI: redirectUrl, user, loginOptions: options }),
    signIn: (method, loginId, redirectUrl, loginOptions, refreshJwt) =>
      start('signin', method, { loginId, URI: redirectUrl, loginOptions }, refreshJwt),
    signUpOrIn: (method, loginId, redirectUrl, loginOptions, refreshJwt) =>
      start('signup-in', method, { loginId, URI: redirectUrl, loginOptions }, refreshJwt),
    verify: (token) => postForJwt(http, '/v1/auth/magiclink/verify', { auth: 'project', body: { token } }),
    updateEmail: (loginId, email, refreshJwt, redirectUrl, options) =>
      http.request('POST', '/v1/auth/magiclink/update/email', {
        auth: { refreshJwt },
        body: { ...options, loginId, email, URI: redirectUrl },
      }),
    updatePhone: async (method, loginId, phone, refreshJwt, redirectUrl, options) =>
      http.request('POST', `/v1/auth/magiclink/update/phone/${checkedMethod(method, ['sms', 'whatsapp'])}`, {
        auth: { refreshJwt },
        body: { ...options, loginId, phone, URI: redirectUrl },
      }),
  };
}
