import { ERROR_CODES, isLatchkeyApiError } from '../errors.ts';
import type { Http } from '../http.ts';
import type { JwtResponse } from '../types.ts';
import { postForJwt } from './jwt-response.ts';
import type { LoginOptions, SignUpUser } from './password.ts';
import { callerAuth, type SignUpOptions, type UpdateOptions } from './passwordless.ts';

/**
 * What starting an enchanted link answers (reference §4.13): the number to show (`linkId`), the handle to
 * poll with (`pendingRef`, keep it on the device that started) and where the email went.
 *
 * @example
 * ```ts
 * const { linkId, pendingRef, maskedEmail }: EnchantedLinkResponse =
 *   await client.enchantedLink.signUpOrIn('ada@example.com', 'https://app.example.com/verify');
 * ```
 */
export type EnchantedLinkResponse = { linkId: string; pendingRef: string; maskedEmail: string };

/**
 * How {@link EnchantedLinkApi.waitForSession} polls.
 *
 * @example
 * ```ts
 * const options: WaitForSessionOptions = { intervalMs: 2000, timeoutMs: 120_000, signal: AbortSignal.timeout(130_000) };
 * ```
 */
export type WaitForSessionOptions = {
  /** time between two polls, at least 100 ms (default 1000, like the Node SDK) */
  intervalMs?: number;
  /** give up after this long (default 600 000, ten minutes, the link's usual lifetime) */
  timeoutMs?: number;
  /** stops waiting: the promise rejects with the signal's reason */
  signal?: AbortSignal;
};

/**
 * Enchanted links (reference §2.3): the email holds three numbered links; only the one with the number
 * shown on screen (`linkId`) signs in, and a wrong one ends the attempt. The link may be opened on another
 * device: its page calls {@link EnchantedLinkApi.verify}, while the device that started polls with
 * `pendingRef` and gets the session.
 *
 * @example
 * ```ts
 * const { linkId, pendingRef } = await client.enchantedLink.signUpOrIn('ada@example.com', 'https://app.example.com/verify');
 * showOnScreen(`Click the link numbered ${linkId}`);
 * const { sessionJwt, refreshJwt } = await client.enchantedLink.waitForSession(pendingRef);
 * ```
 */
export type EnchantedLinkApi = {
  /**
   * Sends sign-up links to a new user's email; the user is created when the right link is verified.
   *
   * @example
   * ```ts
   * const { linkId, pendingRef } = await client.enchantedLink.signUp('ada@example.com', 'https://app.example.com/verify', { name: 'Ada' });
   * ```
   */
  signUp(
    loginId: string,
    redirectUrl?: string,
    user?: SignUpUser,
    options?: SignUpOptions,
  ): Promise<EnchantedLinkResponse>;
  /**
   * Sends sign-in links to an existing user (unknown → 404 `E062108`). Pass the refresh JWT for step-up or MFA.
   *
   * @example
   * ```ts
   * const { linkId, pendingRef } = await client.enchantedLink.signIn('ada@example.com', 'https://app.example.com/verify');
   * ```
   */
  signIn(
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<EnchantedLinkResponse>;
  /**
   * Sends links that sign the user in, or up when the login id is new.
   *
   * @example
   * ```ts
   * const { linkId, pendingRef } = await client.enchantedLink.signUpOrIn('ada@example.com');
   * ```
   */
  signUpOrIn(
    loginId: string,
    redirectUrl?: string,
    loginOptions?: LoginOptions,
    refreshJwt?: string,
  ): Promise<EnchantedLinkResponse>;
  /**
   * Verifies a clicked link's token (its `t` parameter). The session is not returned here: it goes to
   * whoever polls with the `pendingRef`. A wrong link, or a used or expired one → 401 `E061104`.
   *
   * @example
   * ```ts
   * await client.enchantedLink.verify(token); // then tell the user to return to the first device
   * ```
   */
  verify(token: string): Promise<void>;
  /**
   * Polls once: the session when the right link was verified (once only), else 401 `E062503`
   * (`ERROR_CODES.enchantedLinkPending`). Most apps use {@link EnchantedLinkApi.waitForSession}.
   *
   * @example
   * ```ts
   * try {
   *   const res = await client.enchantedLink.getSession(pendingRef);
   * } catch (err) {
   *   if (!isLatchkeyApiError(err, ERROR_CODES.enchantedLinkPending)) throw err;
   * }
   * ```
   */
  getSession(pendingRef: string): Promise<JwtResponse>;
  /**
   * Polls {@link EnchantedLinkApi.getSession} every `intervalMs` until the session comes. "Still pending"
   * (401 `E062503`) and rate limiting (429, waiting at least `Retry-After`) keep it polling; any other error
   * is thrown at once. After `timeoutMs` it rejects with a `TimeoutError` `DOMException`; when `signal`
   * aborts, with the signal's reason. A `TypeError` is thrown for invalid options.
   *
   * @example
   * ```ts
   * const res = await client.enchantedLink.waitForSession(pendingRef, { intervalMs: 2000, timeoutMs: 300_000 });
   * ```
   */
  waitForSession(pendingRef: string, options?: WaitForSessionOptions): Promise<JwtResponse>;
  /**
   * Sends links to a new email address of the signed-in user; the address changes when the right link is
   * verified, and the poller gets a new session.
   *
   * @example
   * ```ts
   * const { pendingRef } = await client.enchantedLink.updateEmail('ada@example.com', 'ada@new.example', refreshJwt);
   * const res = await client.enchantedLink.waitForSession(pendingRef);
   * ```
   */
  updateEmail(
    loginId: string,
    email: string,
    refreshJwt: string,
    redirectUrl?: string,
    options?: UpdateOptions,
  ): Promise<EnchantedLinkResponse>;
};

const MIN_INTERVAL_MS = 100;

function pollingOptions(options: WaitForSessionOptions) {
  const intervalMs = options.intervalMs ?? 1000;
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!Number.isFinite(intervalMs) || intervalMs < MIN_INTERVAL_MS) {
    throw new TypeError(`intervalMs must be a number of milliseconds >= ${MIN_INTERVAL_MS}`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError('timeoutMs must be a number of milliseconds >= 0');
  }
  return { intervalMs, timeoutMs };
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function createEnchantedLinkApi(http: Http): EnchantedLinkApi {
  const start = (flow: string, body: Record<string, unknown>, refreshJwt?: string) =>
    http.request<EnchantedLinkResponse>('POST', `/v1/auth/enchantedlink/${flow}/email`, {
      auth: callerAuth(refreshJwt),
      body,
    });
  const poll = (pendingRef: string, signal?: AbortSignal) =>
    postForJwt(http, '/v1/auth/enchantedlink/pending-session', {
      auth: 'project',
      body: { pendingRef },
      signal,
    });

  return {
    // Node and Go send the redirect URL as `URI` (Ruby `redirectUrl`); Latchkey and Descope accept `URI`.
    signUp: (loginId, redirectUrl, user, options) =>
      start('signup', { loginId, URI: redirectUrl, user, loginOptions: options }),
    signIn: (loginId, redirectUrl, loginOptions, refreshJwt) =>
      start('signin', { loginId, URI: redirectUrl, loginOptions }, refreshJwt),
    signUpOrIn: (loginId, redirectUrl, loginOptions, refreshJwt) =>
      start('signup-in', { loginId, URI: redirectUrl, loginOptions }, refreshJwt),
    async verify(token) {
      await http.request('POST', '/v1/auth/enchantedlink/verify', { auth: 'project', body: { token } });
    },
    getSession: (pendingRef) => poll(pendingRef),
    async waitForSession(pendingRef, options = {}) {
      const { intervalMs, timeoutMs } = pollingOptions(options);
      const { signal } = options;
      signal?.throwIfAborted();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let waitMs = intervalMs;
        try {
          return await poll(pendingRef, signal);
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          if (isLatchkeyApiError(err) && err.status === 429) {
            waitMs = Math.max(intervalMs, (err.retryAfter ?? 0) * 1000);
          } else if (!(isLatchkeyApiError(err, ERROR_CODES.enchantedLinkPending) && err.status === 401)) {
            throw err;
          }
        }
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new DOMException(`No session for the enchanted link within ${timeoutMs} ms`, 'TimeoutError');
        }
        await sleep(Math.min(waitMs, left), signal);
      }
    },
    updateEmail: (loginId, email, refreshJwt, redirectUrl, options) =>
      http.request('POST', '/v1/auth/enchantedlink/update/email', {
        auth: { refreshJwt },
        body: { ...options, loginId, email, URI: redirectUrl },
      }),
  };
}
