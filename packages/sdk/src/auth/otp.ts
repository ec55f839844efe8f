import type { Http } from '../http.ts';
import type { JwtResponse } from '../types.ts';
import { postForJwt } from './jwt-response.ts';
import type { LoginOptions, SignUpUser } from './password.ts';
import {
  callerAuth,
  checkedMethod,
  type DeliveryMethod,
  type MaskedAddress,
  type MaskedEmail,
  type MaskedPhone,
  type PhoneMethod,
  type SignUpOptions,
  type UpdateOptions,
} from './passwordless.ts';

/**
 * One-time codes by email, SMS, voice call or WhatsApp (reference §2.1). A start call sends a code and
 * answers the masked address; {@link OtpApi.verify} exchanges the code for a session. A new code retires
 * the previous one; a code works once; wrong codes → 401 `E061102`, and after too many the code is burned
 * (401 `E061103`). An unknown delivery method rejects with a `TypeError` before any request.
 *
 * @example
 * ```ts
 * const { maskedEmail } = await client.otp.signUpOrIn('email', 'ada@example.com');
 * // ... the user types the code from the email ...
 * const { sessionJwt, refreshJwt } = await client.otp.verify('email', 'ada@example.com', code);
 * ```
 */
export type OtpApi = {
  /**
   * Sends a code to a new user. The user is created when the code is verified, with the address it went
   * to marked verified. The address is `user.email` / `user.phone`, else the login id when it is one.
   * An existing login id → 400 `E062107`.
   *
   * @example
   * ```ts
   * await client.otp.signUp('email', 'ada@example.com', { name: 'Ada Lovelace' });
   * ```
   */
  signUp<M extends DeliveryMethod>(
    method: M,
    loginId: string,
    user?: SignUpUser,
    options?: SignUpOptions,
  ): Promise<MaskedAddress<M>>;
  /**
   * Sends a code to an existing user. Unknown login id → 404 `E062108`. For step-up or MFA
   * (`loginOptions.stepup` / `mfa`) pass the current session's refresh JWT: the new session keeps its factors.
   *
   * @example
   * ```ts
   * await client.otp.signIn('sms', '+14155550100');
   * await client.otp.signIn('email', 'ada@example.com', { stepup: true }, refreshJwt);
   * ```
   */
  signIn<M extends DeliveryMethod>(
    method: M,
    loginId: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<MaskedAddress<M>>;
  /**
   * Signs the user in, or up when the login id is new.
   *
   * @example
   * ```ts
   * const { maskedPhone } = await client.otp.signUpOrIn('whatsapp', '+14155550100');
   * ```
   */
  signUpOrIn<M extends DeliveryMethod>(
    method: M,
    loginId: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<MaskedAddress<M>>;
  /**
   * Exchanges the code for a session (`amr` holds the method). Use the method the code was sent by.
   *
   * @example
   * ```ts
   * const res = await client.otp.verify('email', 'ada@example.com', '123456');
   * ```
   */
  verify(method: DeliveryMethod, loginId: string, code: string): Promise<JwtResponse>;
  /**
   * Sends a code to a new email address of the signed-in user. The address changes when the code is
   * verified (with `verify('email', loginId, code)`), which also answers a new session.
   *
   * @example
   * ```ts
   * await client.otp.updateEmail('ada@example.com', 'ada@new.example', refreshJwt, { addToLoginIDs: true });
   * ```
   */
  updateEmail(
    loginId: string,
    email: string,
    refreshJwt: string,
    options?: UpdateOptions,
  ): Promise<MaskedEmail>;
  /**
   * Sends a code to a new phone number (E.164) of the signed-in user; verify it with the same method.
   *
   * @example
   * ```ts
   * await client.otp.updatePhone('sms', 'ada@example.com', '+14155550100', refreshJwt);
   * await client.otp.verify('sms', 'ada@example.com', code);
   * ```
   */
  updatePhone(
    method: PhoneMethod,
    loginId: string,
    phone: string,
    refreshJwt: string,
    options?: UpdateOptions,
  ): Promise<MaskedPhone>;
};

const PHONE_METHODS: readonly PhoneMethod[] = ['sms', 'voice', 'whatsapp'];

export function createOtpApi(http: Http): OtpApi {
  const start = async <M extends DeliveryMethod>(
    flow: string,
    method: M,
    body: Record<string, unknown>,
    refreshJwt?: string,
  ) =>
    http.request<MaskedAddress<M>>('POST', `/v1/auth/otp/${flow}/${checkedMethod(method)}`, {
      auth: callerAuth(refreshJwt),
      body,
    });
  return {
    signUp: (method, loginId, user, options) =>
      start('signup', method, { loginId, user, loginOptions: options }),
    signIn: (method, loginId, loginOptions, refreshJwt) =>
      start('signin', method, { loginId, loginOptions }, refreshJwt),
    signUpOrIn: (method, loginId, loginOptions, refreshJwt) =>
      start('signup-in', method, { loginId, loginOptions }, refreshJwt),
    verify: async (method, loginId, code) =>
      postForJwt(http, `/v1/auth/otp/verify/${checkedMethod(method)}`, {
        auth: 'project',
        body: { loginId, code },
      }),
    updateEmail: (loginId, email, refreshJwt, options) =>
      http.request('POST', '/v1/auth/otp/update/email', {
        auth: { refreshJwt },
        body: { ...options, loginId, email },
      }),
    updatePhone: async (method, loginId, phone, refreshJwt, options) =>
      http.request('POST', `/v1/auth/otp/update/phone/${checkedMethod(method, PHONE_METHODS)}`, {
        auth: { refreshJwt },
        body: { ...options, loginId, phone },
      }),
  };
}
