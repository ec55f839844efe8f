import { LatchkeyError } from '../errors.ts';
import type { Project } from '../projects/repo.ts';
import { normalizeLoginId } from '../util.ts';
import type { CounterStore, LimitedAction } from './types.ts';

const RULES = {
  signIn: ['signInPerLoginId', 'signInPerIp'],
  send: ['sendPerLoginId', 'sendPerIp'],
  verify: ['verifyPerLoginId', 'verifyPerIp'],
} as const;

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
      if (who.loginId) checks.unshift([`login:${normalizeLoginId(who.loginId)}`, limits[perLogin]]);
      for (const [subject, rule] of checks) {
        const { count, resetSeconds } = await store.hit(
          `rl:${project.id}:${action}:${subject}`,
          rule.windowSeconds,
        );
        if (count > rule.max) {
          throw new LatchkeyError('rateLimited', `Too many ${action} requests; retry in ${resetSeconds} s`, {
            retryAfterSeconds: resetSeconds,
          });
        }
      }
    },
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
