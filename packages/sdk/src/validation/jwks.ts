import { createLocalJWKSet, errors, type JWTVerifyGetKey } from 'jose';

export type JwksOptions = {
  url: string;
  fetch: typeof fetch;
  headers: Record<string, string>;
  timeoutMs: number;
  /** minimum time between two fetches of the key set */
  cooldownMs: number;
  /** after this age the set is refetched on next use (stale keys are kept if that fetch fails) */
  maxAgeMs: number;
};

type KeySet = ReturnType<typeof createLocalJWKSet>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A key resolver for `jwtVerify` over the project's JWKS (reference §1.8). The set is fetched on first
 * use and cached. A token whose `kid` is not in the cached set triggers a refetch, so keys rotated in on
 * the server are picked up at once; fetches are at least `cooldownMs` apart and shared by every caller
 * waiting on them, so a flood of tokens with made-up `kid`s costs the server one request per cooldown.
 * A token with a new `kid` that arrives inside the cooldown waits for the next fetch rather than failing.
 * Key selection (kid, alg equal to the JWK's `alg`, `use: sig`, no symmetric keys) is jose's.
 */
export function createJwksResolver(options: JwksOptions): JWTVerifyGetKey {
  let current: { keys: KeySet; fetchedAt: number } | undefined;
  let lastFetchStart = Number.NEGATIVE_INFINITY;
  let pending: Promise<KeySet> | undefined;

  async function fetchKeys(): Promise<KeySet> {
    const wait = lastFetchStart + options.cooldownMs - Date.now();
    if (wait > 0) await sleep(wait);
    lastFetchStart = Date.now();
    const res = await options.fetch(options.url, {
      headers: options.headers,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!res.ok) throw new errors.JOSEError(`Fetching the JWKS answered ${res.status}`);
    const keys = createLocalJWKSet((await res.json()) as Parameters<typeof createLocalJWKSet>[0]);
    current = { keys, fetchedAt: Date.now() };
    return keys;
  }

  function reload(): Promise<KeySet> {
    pending ??= fetchKeys().finally(() => {
      pending = undefined;
    });
    return pending;
  }

  async function usable(): Promise<KeySet> {
    if (!current) return reload();
    if (Date.now() - current.fetchedAt < options.maxAgeMs) return current.keys;
    try {
      return await reload();
    } catch {
      return current.keys; // the server is unreachable: keep verifying with the keys we have
    }
  }

  return async (header, token) => {
    const keys = await usable();
    try {
      return await keys(header, token);
    } catch (err) {
      if (!(err instanceof errors.JWKSNoMatchingKey)) throw err;
      // Another caller may have refetched while this one was verifying: try that set before fetching.
      const latest = current?.keys !== keys && current ? current.keys : await reload();
      return latest(header, token);
    }
  };
}
