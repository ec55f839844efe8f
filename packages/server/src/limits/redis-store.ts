import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createMemoryCounterStore } from './memory-store.ts';
import type { CounterStore } from './types.ts';

/**
 * One fixed window, atomically: count the hit, start the window's clock on the first hit (or on a key that
 * somehow lost its expiry, so a counter can never live forever), answer the count and the milliseconds left.
 * The clock is Redis's, so every instance reports the same `Retry-After`.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}`;

type WithHit = Redis & { latchkeyHit(key: string, windowMs: number): Promise<[number, number]> };

export type RedisCounterStoreOptions = {
  url: string;
  logger: Logger;
  /** prepended to every key, so one Redis can serve other applications (and test runs) too */
  keyPrefix?: string;
  /** a command that takes longer counts as a failure (ms) */
  commandTimeoutMs?: number;
};

/**
 * Fixed-window counters in Redis, shared by every instance that points at the same Redis.
 *
 * Failure behaviour (see docs/rate-limits.md): Redis is protection, not a source of truth, so an outage must
 * not take sign-in down with it, nor silently switch the protection off. While Redis cannot be reached each
 * instance counts in its own memory (the limits then hold per instance rather than across all of them); one
 * error is logged when that starts and one line when Redis is back. Requests never fail because of Redis.
 */
export function createRedisCounterStore(options: RedisCounterStoreOptions): CounterStore {
  const { logger } = options;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    keyPrefix: options.keyPrefix ?? 'latchkey:',
    connectTimeout: 2_000,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    // A command waits through at most one reconnect attempt before it fails over to memory.
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  }) as WithHit;
  redis.defineCommand('latchkeyHit', { numberOfKeys: 1, lua: HIT_SCRIPT });

  const fallback = createMemoryCounterStore();
  /** false from the first failure until Redis is ready again: calls then go straight to memory */
  let healthy = true;
  const degrade = (err: unknown) => {
    if (!healthy) return;
    healthy = false;
    logger.error(
      { err },
      "Redis unavailable: rate-limit counters fall back to this instance's memory until it is back",
    );
  };
  const recover = () => {
    if (healthy) return;
    healthy = true;
    logger.warn('Redis reachable again: rate-limit counters are shared again');
  };
  redis.on('error', degrade);
  redis.on('ready', recover);

  return {
    async hit(key, windowSeconds) {
      if (!healthy && redis.status !== 'ready') return fallback.hit(key, windowSeconds);
      try {
        const [count, ttlMs] = await redis.latchkeyHit(key, windowSeconds * 1000);
        recover();
        return { count, resetSeconds: Math.max(1, Math.ceil(ttlMs / 1000)) };
      } catch (err) {
        degrade(err);
        return fallback.hit(key, windowSeconds);
      }
    },
    async close() {
      redis.removeAllListeners('error');
      redis.on('error', () => {});
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
      await fallback.close();
    },
  };
}
