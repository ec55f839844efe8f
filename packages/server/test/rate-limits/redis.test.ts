import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { call, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { assertRateLimited, REDIS_URL, setRateLimits, signIn, statuses } from './support.ts';

/** A free local port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/**
 * Several instances behind a load balancer: with REDIS_URL they share the counters, so a burst split across
 * instances is limited as one. Project ids are random per test server, so runs never share keys.
 */
for (const store of STORES) {
  describe(`rate limits across instances (${store})`, () => {
    const servers: TestServer[] = [];
    /** starts the first instance, sets its limits, then starts the second (which reads them fresh) */
    async function twoInstances(env: Record<string, string>, rateLimits: Record<string, unknown>) {
      const a = await startTestServer(store, env);
      servers.push(a);
      await setRateLimits(a, rateLimits);
      const b = await startTestServer(store, env, a.shared);
      servers.unshift(b);
      return { a, b };
    }
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
    });

    test('with Redis, sign-ins for one login id split across two instances add up', async () => {
      const { a, b } = await twoInstances({ REDIS_URL }, { signInPerLoginId: { max: 6, windowSeconds: 60 } });
      const on = (i: number) => (i % 2 === 0 ? a : b);
      const first = await statuses(6, (i) => signIn(on(i), 'shared@example.com', 'Guess1ng-pw', a.project));
      assert.deepEqual(first, Array(6).fill(401));
      const fromA = assertRateLimited(await signIn(a, 'shared@example.com', 'Guess1ng-pw', a.project), 60);
      const fromB = assertRateLimited(await signIn(b, 'shared@example.com', 'Guess1ng-pw', a.project), 60);
      assert.ok(
        Math.abs(fromA - fromB) <= 1,
        `both instances report the same window (${fromA} s, ${fromB} s)`,
      );
      assert.equal((await signIn(b, 'other@example.com', 'Guess1ng-pw', a.project)).status, 401);
    });

    test('with Redis, the per-address limit is shared too', async () => {
      const { a, b } = await twoInstances({ REDIS_URL }, { signInPerIp: { max: 4, windowSeconds: 60 } });
      const first = await statuses(4, (i) =>
        signIn(i < 2 ? a : b, `u${i}@example.com`, 'Guess1ng-pw', a.project),
      );
      assert.deepEqual(first, Array(4).fill(401));
      assertRateLimited(await signIn(b, 'u9@example.com', 'Guess1ng-pw', a.project), 60);
    });

    test('without Redis, each instance counts alone (the reason to configure it)', async () => {
      const { a, b } = await twoInstances({}, { signInPerLoginId: { max: 3, windowSeconds: 60 } });
      const onA = await statuses(3, () => signIn(a, 'alone@example.com', 'Guess1ng-pw', a.project));
      const onB = await statuses(3, () => signIn(b, 'alone@example.com', 'Guess1ng-pw', a.project));
      assert.deepEqual([...onA, ...onB], Array(6).fill(401));
      assertRateLimited(await signIn(a, 'alone@example.com', 'Guess1ng-pw', a.project), 60);
      assertRateLimited(await signIn(b, 'alone@example.com', 'Guess1ng-pw', a.project), 60);
    });

    test('Redis unreachable: requests never fail; each instance still limits from its own memory', async () => {
      const env = { REDIS_URL: `redis://127.0.0.1:${await closedPort()}` };
      const { a, b } = await twoInstances(env, { signInPerLoginId: { max: 3, windowSeconds: 60 } });
      const onA = await statuses(3, () => signIn(a, 'down@example.com', 'Guess1ng-pw', a.project));
      assert.deepEqual(onA, [401, 401, 401]);
      assertRateLimited(await signIn(a, 'down@example.com', 'Guess1ng-pw', a.project), 60);
      assert.equal((await signIn(b, 'down@example.com', 'Guess1ng-pw', a.project)).status, 401);
      const signup = await call(a, 'POST', '/v1/auth/password/signup', {
        auth: a.project,
        body: { loginId: 'new@example.com', password: 'Str0ngPassword' },
      });
      assert.equal(signup.status, 200, JSON.stringify(signup.body));
      const health = await call(a, 'GET', '/healthz');
      assert.equal(health.status, 200);
    });
  });
}
