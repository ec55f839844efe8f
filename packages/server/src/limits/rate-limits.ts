import { createHash } from 'node:crypto';
import { LatchkeyError } from '../errors.ts';
import type { Project } from '../projects/repo.ts';
import { normalizeLoginId } from '../util.ts';
import type { CounterStore, LimitedAction } from './types.ts';

const RULES = {
  signIn: ['signInPerLoginId', 'signInPerIp'],
  send: ['sendPerLoginId', 'sendPerIp'],
  verify: ['verifyPerLoginId', 'verifyPerIp'],
} as const;

/** Login ids are hashed so the counter store (possibly a shared Redis) holds no email addresses or phone numbers. */
const loginKey = (loginId: string) =>
  createHash('sha256').update(normalizeLoginId(loginId)).digest('base64url').slice(0, 22);

/**
 * Brute-force protection for every sign-in, sign-up, send and verify call: one counter per login id and
 * one per client address, with the project's limits. Over a limit: 429 `E130429` with `Retry-After`.
 */
export function createRateLimits(store: CounterStore) {
  return {
    async enforce(
      project: Project,
      action: LimitedAction,
      who: { loginId?: string; ip: string },
    ): Promise<void> {
      const limits = project.settings.rateLimits;
      if (!limits.enabled) return;
      const [perLogin, perIp] = RULES[action];
      const checks: [string, { max: number; windowSeconds: number }][] = [[`ip:${who.ip}`, limits[perIp]]];
      if (who.loginId) checks.push([`login:${loginKey(who.loginId)}`, limits[perLogin]]);
      // Every call counts against both counters, whichever of them ends up refusing it.
      const hits = await Promise.all(
        checks.map(async ([subject, rule]) => ({
          rule,
          ...(await store.hit(`rl:${project.id}:${action}:${subject}`, rule.windowSeconds)),
        })),
      );
      const over = hits.filter((h) => h.count > h.rule.max);
      if (over.length === 0) return;
      const resetSeconds = Math.max(...over.map((h) => h.resetSeconds));
      throw new LatchkeyError('rateLimited', `Too many ${action} requests; retry in ${resetSeconds} s`, {
        retryAfterSeconds: resetSeconds,
      });
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
