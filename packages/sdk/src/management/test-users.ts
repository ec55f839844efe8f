import type { LoginOptions } from '../auth/password.ts';
import type { DeliveryMethod } from '../auth/passwordless.ts';
import type { Http } from '../http.ts';

/**
 * How a generated test code is meant to arrive: a delivery method, or `Embedded` (no message at all; the
 * code verifies on any method's verify call).
 *
 * @example
 * ```ts
 * const method: TestDeliveryMethod = 'Embedded';
 * ```
 */
export type TestDeliveryMethod = DeliveryMethod | 'Embedded';

/**
 * A generated one-time code for a test user.
 *
 * @example
 * ```ts
 * const { code }: TestOtp = await client.management.testUsers.generateOtp('email', 'e2e@example.com');
 * ```
 */
export type TestOtp = { loginId: string; code: string };

/**
 * A generated magic link for a test user: `<redirectUrl>?t=<token>`.
 *
 * @example
 * ```ts
 * const { link }: TestMagicLink = await client.management.testUsers.generateMagicLink('email', 'e2e@example.com', 'http://localhost:3000/verify');
 * ```
 */
export type TestMagicLink = { loginId: string; link: string };

/**
 * A generated enchanted link for a test user, and the `pendingRef` to poll for its session.
 *
 * @example
 * ```ts
 * const { link, pendingRef }: TestEnchantedLink = await client.management.testUsers.generateEnchantedLink('e2e@example.com', 'http://localhost:3000/verify');
 * ```
 */
export type TestEnchantedLink = { loginId: string; link: string; pendingRef: string };

/**
 * Codes and links for end-to-end tests (reference §3.3): generated for **test users** only
 * (`management.user.createTestUser`), nothing is sent, and they are redeemed with the normal verify calls,
 * once. A user who is not a test user → 400 `E011004`; an unknown one → 404 `E112102`.
 *
 * @example
 * ```ts
 * await client.management.user.createTestUser('e2e@example.com', { email: 'e2e@example.com' });
 * const { code } = await client.management.testUsers.generateOtp('email', 'e2e@example.com');
 * const { sessionJwt } = await client.otp.verify('email', 'e2e@example.com', code);
 * ```
 */
export type TestUserApi = {
  /**
   * A one-time code, verified with `client.otp.verify(method, loginId, code)`. `loginOptions.customClaims`
   * go into the session.
   *
   * @example
   * ```ts
   * const { code } = await client.management.testUsers.generateOtp('sms', 'e2e@example.com');
   * await client.otp.verify('sms', 'e2e@example.com', code);
   * ```
   */
  generateOtp(method: TestDeliveryMethod, loginId: string, loginOptions?: LoginOptions): Promise<TestOtp>;
  /**
   * A magic link to `redirectUrl` (or the project default), verified with `client.magicLink.verify(t)`.
   *
   * @example
   * ```ts
   * const { link } = await client.management.testUsers.generateMagicLink('email', 'e2e@example.com', 'http://localhost:3000/verify');
   * await client.magicLink.verify(new URL(link).searchParams.get('t')!);
   * ```
   */
  generateMagicLink(
    method: TestDeliveryMethod,
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
  ): Promise<TestMagicLink>;
  /**
   * An enchanted link: verify its token with `client.enchantedLink.verify`, then the `pendingRef` yields
   * the session.
   *
   * @example
   * ```ts
   * const { link, pendingRef } = await client.management.testUsers.generateEnchantedLink('e2e@example.com', 'http://localhost:3000/verify');
   * await client.enchantedLink.verify(new URL(link).searchParams.get('t')!);
   * const res = await client.enchantedLink.getSession(pendingRef);
   * ```
   */
  generateEnchantedLink(
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
  ): Promise<TestEnchantedLink>;
};

export function createTestUserApi(http: Http): TestUserApi {
  const post = <T>(path: string, body: unknown) =>
    http.request<T>('POST', path, { auth: 'management', body });
  return {
    generateOtp: (deliveryMethod, loginId, loginOptions) =>
      post('/v1/mgmt/tests/generate/otp', { deliveryMethod, loginId, loginOptions }),
    generateMagicLink: (deliveryMethod, loginId, redirectUrl, loginOptions) =>
      post('/v1/mgmt/tests/generate/magiclink', { deliveryMethod, loginId, URI: redirectUrl, loginOptions }),
    generateEnchantedLink: (loginId, redirectUrl, loginOptions) =>
      post('/v1/mgmt/tests/generate/enchantedlink', { loginId, URI: redirectUrl, loginOptions }),
  };
}
