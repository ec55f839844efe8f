import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { codeIn } from '../support/outbox.ts';
import { STORES } from '../support/server.ts';
import {
  disableRateLimits,
  fails,
  inbox,
  newestMessage,
  ok,
  PASSWORD,
  type Sdk,
  type SdkServer,
  startSdkServer,
  uid,
} from './support.ts';

/**
 * `loginOptions.customClaims` on auth calls, the way a Node backend passes them: a `DescopeClient` configured
 * with `authManagementKey` sends `Bearer <projectId>:<key>` (and `Bearer <projectId>:<refreshJwt>:<key>`) on
 * its auth calls, and its claims land in the session. A client without a key (a public app, or one with
 * only `managementKey`, which the Node SDK sends on management calls only) is refused with 401 E011103.
 */
for (const store of STORES) {
  describe(`Descope SDK: custom claims with authManagementKey (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    /** The Authorization header of the latest call to `path`. */
    const sentTo = (path: string) => t.calls.findLast((c) => c.path === path)?.headers.get('authorization');

    test('password signUp and signIn: the claims are in the session JWT and survive a refresh', async () => {
      const loginId = `${uid('cc-pwd')}@example.com`;
      const up = await ok(
        t.backend.password.signUp(loginId, PASSWORD, undefined, { customClaims: { plan: 'gold' } }),
      );
      assert.equal(sentTo('/v1/auth/password/signup'), `Bearer ${t.s.projectId}:${t.s.managementKey}`);
      assert.equal((await t.backend.validateSession(up.sessionJwt)).token.plan, 'gold');

      const res = await ok(
        t.backend.password.signIn(loginId, PASSWORD, { customClaims: { plan: 'pro', seats: 3, beta: true } }),
      );
      assert.equal(sentTo('/v1/auth/password/signin'), `Bearer ${t.s.projectId}:${t.s.managementKey}`);
      const { token } = await t.backend.validateSession(res.sessionJwt);
      assert.equal(token.sub, up.user?.userId);
      assert.equal(token.plan, 'pro');
      assert.equal(token.seats, 3);
      assert.equal(token.beta, true);

      const refreshed = await t.backend.refreshSession(res.refreshJwt!);
      assert.equal(
        sentTo('/v1/auth/refresh'),
        `Bearer ${t.s.projectId}:${res.refreshJwt}:${t.s.managementKey}`,
        'the SDK appends the key to the refresh token',
      );
      assert.equal(refreshed.token.plan, 'pro');
      assert.equal(refreshed.token.sub, up.user?.userId);
    });

    test('OTP signIn with claims → verify: the claims are in the session; step-up with the refresh token keeps them coming', async () => {
      const loginId = `${uid('cc-otp')}@example.com`;
      const pwd = await ok(t.auth.password.signUp(loginId, PASSWORD));

      await ok(t.backend.otp.signIn.email(loginId, { customClaims: { plan: 'pro', org: 'acme' } }));
      assert.equal(sentTo('/v1/auth/otp/signin/email'), `Bearer ${t.s.projectId}:${t.s.managementKey}`);
      const res = await ok(t.auth.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      const { token } = await t.auth.validateSession(res.sessionJwt);
      assert.equal(token.sub, pwd.user?.userId);
      assert.deepEqual(token.amr, ['email']);
      assert.equal(token.plan, 'pro');
      assert.equal(token.org, 'acme');

      await ok(
        t.backend.otp.signIn.email(loginId, { stepup: true, customClaims: { level: 2 } }, pwd.refreshJwt),
      );
      assert.equal(
        sentTo('/v1/auth/otp/signin/email'),
        `Bearer ${t.s.projectId}:${pwd.refreshJwt}:${t.s.managementKey}`,
      );
      const raised = await ok(t.backend.otp.verify.email(loginId, codeIn(await newestMessage(t.s, loginId))));
      const stepped = (await t.backend.validateSession(raised.sessionJwt)).token;
      assert.deepEqual(stepped.amr, ['pwd', 'email']);
      assert.equal(stepped.level, 2);
    });

    test('a client without a key is refused with 401 E011103: no session, no user, no message', async () => {
      const existing = `${uid('cc-existing')}@example.com`;
      await ok(t.auth.password.signUp(existing, PASSWORD));
      const refused: [string, Sdk][] = [
        ['no key (a public app)', t.auth],
        ['managementKey only (sent on management calls only)', t.mgmt],
        ['a wrong authManagementKey', t.client({ authManagementKey: 'not-the-management-key' })],
      ];
      const customClaims = { plan: 'enterprise' };
      for (const [name, client] of refused) {
        const newcomer = `${uid('cc-new')}@example.com`;
        await fails(client.password.signUp(newcomer, PASSWORD, undefined, { customClaims }), 401, 'E011103');
        await fails(t.mgmt.management.user.load(newcomer), 404, 'E112102');
        await fails(client.password.signIn(existing, PASSWORD, { customClaims }), 401, 'E011103');
        await fails(client.otp.signIn.email(existing, { customClaims }), 401, 'E011103');
        await fails(client.otp.signUpOrIn.email(newcomer, { customClaims }), 401, 'E011103');
        assert.deepEqual(await inbox(t.s, existing), [], `${name}: nothing sent`);
        assert.deepEqual(await inbox(t.s, newcomer), [], `${name}: nothing sent`);

        const plain = await ok(client.password.signIn(existing, PASSWORD));
        assert.equal(
          (await client.validateSession(plain.sessionJwt)).token.plan,
          undefined,
          `${name}: signs in, without claims`,
        );
      }
    });
  });
}
