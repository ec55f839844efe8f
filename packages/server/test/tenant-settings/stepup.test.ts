import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ok, type SdkServer, startSdkServer } from '../descope-sdk/support.ts';
import { codeIn, lastMessage } from '../support/outbox.ts';
import { call, mgmt, STORES } from '../support/server.ts';
import { awayFromStepEdge, codeFor } from '../totp/support.ts';
import {
  claims,
  createTenant,
  createUser,
  disableRateLimits,
  type Jwt,
  lifetime,
  signIn,
} from './support.ts';

const PROJECT_STEPUP_DEFAULT = 300;
const PROJECT_SESSION_DEFAULT = 600;

/**
 * Step-up (`loginOptions.stepup`, reference §1.13): the session JWT carries `su: true` and lives for the
 * step-up lifetime, the stricter of the project's `stepupTokenExpiration` and every enabled tenant override's.
 */
for (const store of STORES) {
  describe(`step-up lifetime (${store})`, () => {
    let t: SdkServer;
    before(async () => {
      t = await startSdkServer(store);
      await disableRateLimits(t.s);
    });
    after(() => t.close());

    /** Signs the user in with a password, enrolls TOTP and raises the session with a TOTP code. */
    const stepUp = async (loginId: string, loginOptions: Record<string, unknown> = { stepup: true }) => {
      const pwd = await signIn(t.s, loginId);
      const added = await call<{ key: string }>(t.s, 'POST', '/v1/auth/totp/update', {
        auth: `${t.s.project}:${pwd.refreshJwt}`,
        body: { loginId },
      });
      assert.equal(added.status, 200, JSON.stringify(added.body));
      await awayFromStepEdge();
      const raised = await call<Jwt>(t.s, 'POST', '/v1/auth/totp/verify', {
        auth: `${t.s.project}:${pwd.refreshJwt}`,
        body: { loginId, code: codeFor(added.body.key), loginOptions },
      });
      assert.equal(raised.status, 200, JSON.stringify(raised.body));
      return { pwd, raised: raised.body };
    };

    test('a step-up session JWT has su: true and the project step-up lifetime; refresh ends it', async () => {
      const { loginId } = await createUser(t.s, []);
      const { pwd, raised } = await stepUp(loginId);
      assert.equal(claims(pwd.sessionJwt).su, undefined, 'a plain sign-in is not stepped up');
      assert.equal(claims(raised.sessionJwt).su, true);
      assert.deepEqual(claims(raised.sessionJwt).amr, ['pwd', 'totp']);
      assert.equal(lifetime(raised.sessionJwt), PROJECT_STEPUP_DEFAULT);
      assert.equal(claims(raised.refreshJwt).su, undefined, 'the refresh JWT is not a step-up token');

      const info = await t.auth.validateSession(raised.sessionJwt);
      assert.equal(info.token.su, true, '@descope/node-sdk sees the claim');
      const refreshed = await t.auth.refreshSession(raised.refreshJwt);
      assert.equal(refreshed.token.su, undefined, 'a refresh does not carry the step-up over');
      assert.equal(Number(refreshed.token.exp) - Number(refreshed.token.iat), PROJECT_SESSION_DEFAULT);
    });

    test('mfa adds a factor without stepping up', async () => {
      const { loginId } = await createUser(t.s, []);
      const { raised } = await stepUp(loginId, { mfa: true });
      assert.equal(claims(raised.sessionJwt).su, undefined);
      assert.equal(lifetime(raised.sessionJwt), PROJECT_SESSION_DEFAULT);
    });

    test('through @descope/node-sdk: totp.verify with stepup', async () => {
      const { loginId } = await createUser(t.s, []);
      const pwd = await signIn(t.s, loginId);
      const added = await ok(t.auth.totp.update(loginId, pwd.refreshJwt));
      await awayFromStepEdge();
      const raised = await ok(
        t.auth.totp.verify(loginId, codeFor(added.key), { stepup: true }, pwd.refreshJwt),
      );
      const info = await t.auth.validateSession(raised.sessionJwt);
      assert.equal(info.token.su, true);
      assert.equal(Number(info.token.exp) - Number(info.token.iat), PROJECT_STEPUP_DEFAULT);
    });

    test('an OTP step-up is stepped up too', async () => {
      const { loginId } = await createUser(t.s, []);
      const pwd = await signIn(t.s, loginId);
      const sent = await call(t.s, 'POST', '/v1/auth/otp/signin/email', {
        auth: `${t.s.project}:${pwd.refreshJwt}`,
        body: { loginId, loginOptions: { stepup: true } },
      });
      assert.equal(sent.status, 200, JSON.stringify(sent.body));
      const verified = await call<Jwt>(t.s, 'POST', '/v1/auth/otp/verify/email', {
        auth: t.s.project,
        body: { loginId, code: codeIn(await lastMessage(t.s, loginId)) },
      });
      assert.equal(verified.status, 200, JSON.stringify(verified.body));
      assert.equal(claims(verified.body.sessionJwt).su, true);
      assert.equal(lifetime(verified.body.sessionJwt), PROJECT_STEPUP_DEFAULT);

      await call(t.s, 'POST', '/v1/auth/otp/signin/email', { auth: t.s.project, body: { loginId } });
      const plain = await call<Jwt>(t.s, 'POST', '/v1/auth/otp/verify/email', {
        auth: t.s.project,
        body: { loginId, code: codeIn(await lastMessage(t.s, loginId)) },
      });
      assert.equal(claims(plain.body.sessionJwt).su, undefined);
    });

    test('project stepupTokenExpiration: validated, stored, applied', async () => {
      const bad = await mgmt(t.s, 'POST', '/v1/mgmt/project/settings', { stepupTokenExpiration: 30 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errorCode, 'E011003');
      const before = await mgmt<{ stepupTokenExpiration: number }>(t.s, 'GET', '/v1/mgmt/project/settings');
      assert.equal(before.body.stepupTokenExpiration, PROJECT_STEPUP_DEFAULT, 'nothing changed');
      try {
        const set = await mgmt(t.s, 'POST', '/v1/mgmt/project/settings', { stepupTokenExpiration: 900 });
        assert.equal(set.status, 200, JSON.stringify(set.body));
        const got = await mgmt<{ stepupTokenExpiration: number }>(t.s, 'GET', '/v1/mgmt/project/settings');
        assert.equal(got.body.stepupTokenExpiration, 900);
        const { loginId } = await createUser(t.s, []);
        const { raised } = await stepUp(loginId);
        assert.equal(lifetime(raised.sessionJwt), 900, 'may be longer than a plain session');
      } finally {
        await mgmt(t.s, 'POST', '/v1/mgmt/project/settings', {
          stepupTokenExpiration: PROJECT_STEPUP_DEFAULT,
        });
      }
    });

    test('tenant overrides: the stricter wins, longer values are capped, disabled ones do not count', async () => {
      const strict = await createTenant(t.s, {
        enabled: true,
        stepupTokenExpiration: 2,
        stepupTokenExpirationUnit: 'minutes',
      });
      const lax = await createTenant(t.s, {
        enabled: true,
        stepupTokenExpiration: 1,
        stepupTokenExpirationUnit: 'hours',
      });
      const off = await createTenant(t.s, { enabled: false, stepupTokenExpiration: 1 });

      const both = await createUser(t.s, [lax, strict]);
      assert.equal(lifetime((await stepUp(both.loginId)).raised.sessionJwt), 120);
      const laxOnly = await createUser(t.s, [lax]);
      assert.equal(
        lifetime((await stepUp(laxOnly.loginId)).raised.sessionJwt),
        PROJECT_STEPUP_DEFAULT,
        'capped at the project lifetime',
      );
      const offOnly = await createUser(t.s, [off]);
      assert.equal(lifetime((await stepUp(offOnly.loginId)).raised.sessionJwt), PROJECT_STEPUP_DEFAULT);

      // the step-up lifetime leaves the plain session lifetime alone
      const plain = await signIn(t.s, both.loginId);
      assert.equal(lifetime(plain.sessionJwt), PROJECT_SESSION_DEFAULT);
    });
  });
}
