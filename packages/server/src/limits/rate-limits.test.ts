import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LatchkeyError } from '../errors.ts';
import type { Project } from '../projects/repo.ts';
import { defaultProjectSettings, type RateLimits } from '../projects/settings.ts';
import { createMemoryCounterStore } from './memory-store.ts';
import { createRateLimits } from './rate-limits.ts';

const project = (id: string, change: (l: RateLimits) => void = () => {}): Project => {
  const settings = defaultProjectSettings();
  change(settings.rateLimits);
  return { id, name: id, settings, createdTime: 0 };
};

/** Runs `n` calls and answers the index (1-based) of each refused one with its Retry-After. */
async function burst(n: number, call: () => Promise<void>): Promise<[number, number][]> {
  const refused: [number, number][] = [];
  for (let i = 1; i <= n; i++) {
    try {
      await call();
    } catch (err) {
      assert.ok(err instanceof LatchkeyError && err.kind === 'rateLimited', String(err));
      assert.equal(err.status, 429);
      assert.equal(err.toBody().errorCode, 'E130429');
      refused.push([i, err.retryAfterSeconds!]);
    }
  }
  return refused;
}

test('the call past the per-login-id limit is refused with the seconds left in the window', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const p = project('P1');
  const refused = await burst(12, () =>
    limits.enforce(p, 'signIn', { loginId: 'ada@example.com', ip: '10.0.0.1' }),
  );
  assert.deepEqual(
    refused.map(([i]) => i),
    [11, 12],
  );
  for (const [, retryAfter] of refused) assert.ok(retryAfter >= 1 && retryAfter <= 60, String(retryAfter));
});

test('login ids count alike whatever their case and surrounding spaces', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const p = project('P1', (l) => {
    l.signInPerLoginId = { max: 2, windowSeconds: 60 };
  });
  const ids = ['Ada@Example.com', ' ada@example.com', 'ADA@EXAMPLE.COM'];
  let i = 0;
  const refused = await burst(3, () => limits.enforce(p, 'signIn', { loginId: ids[i++]!, ip: '10.0.0.1' }));
  assert.deepEqual(
    refused.map(([n]) => n),
    [3],
  );
});

test('the per-address limit counts every login id from that address', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const p = project('P1', (l) => {
    l.sendPerIp = { max: 4, windowSeconds: 30 };
  });
  let i = 0;
  const refused = await burst(5, () =>
    limits.enforce(p, 'send', { loginId: `u${i++}@example.com`, ip: '10.0.0.1' }),
  );
  assert.deepEqual(refused, [[5, 30]]);
  await limits.enforce(p, 'send', { loginId: 'u0@example.com', ip: '10.0.0.2' });
});

test('a call without a login id counts per address only', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const p = project('P1', (l) => {
    l.verifyPerIp = { max: 3, windowSeconds: 60 };
    l.verifyPerLoginId = { max: 1, windowSeconds: 60 };
  });
  const refused = await burst(4, () => limits.enforce(p, 'verify', { ip: '10.0.0.1' }));
  assert.deepEqual(
    refused.map(([n]) => n),
    [4],
  );
});

test('actions and projects have their own counters', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const tight = (l: RateLimits) => {
    l.signInPerLoginId = { max: 1, windowSeconds: 60 };
    l.sendPerLoginId = { max: 1, windowSeconds: 60 };
  };
  const a = project('PA', tight);
  const b = project('PB', tight);
  const who = { loginId: 'ada@example.com', ip: '10.0.0.1' };
  await limits.enforce(a, 'signIn', who);
  await assert.rejects(limits.enforce(a, 'signIn', who), { kind: 'rateLimited' });
  await limits.enforce(a, 'send', who);
  await limits.enforce(b, 'signIn', who);
});

test('when both limits are exceeded the later reset is the one reported', async () => {
  let now = 0;
  const limits = createRateLimits(createMemoryCounterStore(() => now));
  const p = project('P1', (l) => {
    l.signInPerLoginId = { max: 1, windowSeconds: 10 };
    l.signInPerIp = { max: 1, windowSeconds: 100 };
  });
  await limits.enforce(p, 'signIn', { loginId: 'a', ip: '10.0.0.1' });
  now = 5_000;
  await assert.rejects(limits.enforce(p, 'signIn', { loginId: 'a', ip: '10.0.0.1' }), {
    retryAfterSeconds: 95,
  });
});

test('enabled: false turns every limit off', async () => {
  const limits = createRateLimits(createMemoryCounterStore());
  const p = project('P1', (l) => {
    l.enabled = false;
    l.signInPerLoginId = { max: 1, windowSeconds: 60 };
  });
  const refused = await burst(20, () => limits.enforce(p, 'signIn', { loginId: 'ada', ip: '10.0.0.1' }));
  assert.deepEqual(refused, []);
});
