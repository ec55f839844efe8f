import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ERROR_CODES, LatchkeyApiError, type LatchkeyClient } from '../src/index.ts';
import {
  awayFromTotpStepEdge,
  codeIn,
  type Harness,
  lastMessage,
  linksIn,
  outbox,
  rejection,
  STORES,
  startHarness,
  strongPassword,
  totpCode,
  uniqueLogin,
} from './support/sdk.ts';

const REDIRECT = 'http://localhost:3000/verify';

/** The refusal of custom claims on an auth call that carries no (valid) management key. */
async function refusedForClaims(pending: Promise<unknown>): Promise<void> {
  const err = await rejection(pending, LatchkeyApiError);
  assert.equal(err.status, 401, err.message);
  assert.equal(err.errorCode, ERROR_CODES.invalidManagementKey);
  assert.match(err.errorMessage, /customClaims/);
}

for (const store of STORES) {
  describe(`custom claims on auth calls need authManagementKey (${store})`, () => {
    let h: Harness;
    let projectKey: string;
    before(async () => {
      h = await startHarness(store);
      await h.client.management.project.configureSettings({ rateLimits: { enabled: false } });
      projectKey = `${h.server.projectId}:${h.server.managementKey}`;
    });
    after(() => h.close());

    /** The Authorization header of the backend client's latest call to `path`. */
    const sentTo = (path: string) => h.backend.wire.calls.findLast((c) => c.path === path)?.authorization;

    test('password: the backend sends Bearer P:K (P:R:K with a refresh JWT); its claims are in the session and survive refresh', async () => {
      const loginId = uniqueLogin('cc-pwd');
      const up = await h.backend.password.signUp(loginId, strongPassword, undefined, {
        customClaims: { plan: 'gold' },
      });
      assert.equal(sentTo('/v1/auth/password/signup'), `Bearer ${projectKey}`);
      assert.equal((await h.backend.validateSession(up.sessionJwt)).token.plan, 'gold');

      const res = await h.backend.password.signIn(loginId, strongPassword, {
        customClaims: { plan: 'pro', seats: 3 },
      });
      assert.equal(sentTo('/v1/auth/password/signin'), `Bearer ${projectKey}`);
      const { token } = await h.backend.validateSession(res.sessionJwt);
      assert.equal(token.plan, 'pro');
      assert.equal(token.seats, 3);

      const refreshJwt = res.refreshJwt;
      assert.ok(refreshJwt);
      const refreshed = await h.backend.refreshSession(refreshJwt);
      assert.equal(
        sentTo('/v1/auth/refresh'),
        `Bearer ${h.server.projectId}:${refreshJwt}:${h.server.managementKey}`,
      );
      assert.equal(refreshed.token.plan, 'pro', 'custom claims survive a refresh');
      assert.equal((await h.backend.me(refreshJwt)).email, loginId, 'P:R:K is read as the user');
      await h.backend.logout(refreshJwt);
      await rejection(h.client.refresh(refreshJwt), LatchkeyApiError);

      const jwks = h.backend.wire.calls.filter((c) => c.path.startsWith('/v2/keys/'));
      assert.ok(jwks.length > 0);
      for (const call of jwks)
        assert.equal(call.authorization, `Bearer ${h.server.projectId}`, 'no key to JWKS');
    });

    test('OTP, magic link and enchanted link: claims asked for by the backend are in the session the code or link gives', async () => {
      const loginId = uniqueLogin('cc-pl');
      await h.backend.otp.signUpOrIn('email', loginId, { customClaims: { via: 'otp' } });
      assert.equal(sentTo('/v1/auth/otp/signup-in/email'), `Bearer ${projectKey}`);
      const byCode = await h.client.otp.verify(
        'email',
        loginId,
        codeIn(await lastMessage(h.server, loginId)),
      );
      assert.equal(byCode.firstSeen, true);
      assert.equal((await h.client.validateSession(byCode.sessionJwt)).token.via, 'otp');

      await h.backend.magicLink.signIn('email', loginId, REDIRECT, { customClaims: { via: 'magic' } });
      const byLink = await h.client.magicLink.verify(linksIn(await lastMessage(h.server, loginId))[0]!.token);
      assert.equal((await h.client.validateSession(byLink.sessionJwt)).token.via, 'magic');

      const started = await h.backend.enchantedLink.signIn(loginId, REDIRECT, {
        customClaims: { via: 'enchanted', level: 2 },
      });
      const link = linksIn(await lastMessage(h.server, loginId)).find((l) => l.n === started.linkId);
      assert.ok(link, 'the numbered link is in the message');
      await h.client.enchantedLink.verify(link.token);
      const byEnchanted = await h.backend.enchantedLink.getSession(started.pendingRef);
      const { token } = await h.backend.validateSession(byEnchanted.sessionJwt);
      assert.equal(token.via, 'enchanted');
      assert.equal(token.level, 2);
    });

    test('step-up with claims sends Bearer P:R:K: the raised session keeps its factors and gets the claims', async () => {
      const loginId = uniqueLogin('cc-stepup');
      const pwd = await h.client.password.signUp(loginId, strongPassword);
      await h.backend.otp.signIn(
        'email',
        loginId,
        { stepup: true, customClaims: { level: 2 } },
        pwd.refreshJwt,
      );
      assert.equal(
        sentTo('/v1/auth/otp/signin/email'),
        `Bearer ${h.server.projectId}:${pwd.refreshJwt}:${h.server.managementKey}`,
      );
      const raised = await h.client.otp.verify(
        'email',
        loginId,
        codeIn(await lastMessage(h.server, loginId)),
      );
      const { token } = await h.client.validateSession(raised.sessionJwt);
      assert.deepEqual(token.amr, ['pwd', 'email']);
      assert.equal(token.level, 2);
      assert.equal(token.sub, pwd.user?.userId);
    });

    test('TOTP verify: refused without a key (the code stays good), accepted with one', async () => {
      await awayFromTotpStepEdge();
      const loginId = uniqueLogin('cc-totp');
      const { key } = await h.client.totp.signUp(loginId);
      const code = totpCode(key);
      await refusedForClaims(h.client.totp.verify(loginId, code, { customClaims: { device: 'phone' } }));
      const res = await h.backend.totp.verify(loginId, code, { customClaims: { device: 'phone' } });
      assert.equal(sentTo('/v1/auth/totp/verify'), `Bearer ${projectKey}`);
      assert.equal((await h.backend.validateSession(res.sessionJwt)).token.device, 'phone');
    });

    test('without a valid key on the call, custom claims are refused with 401 E011103 and nothing happens', async () => {
      const existing = uniqueLogin('cc-existing');
      await h.client.password.signUp(existing, strongPassword);
      const clients: [string, LatchkeyClient][] = [
        ['no key at all', h.newClient({ managementKey: undefined })],
        ['managementKey only (not sent on auth calls)', h.client],
        [
          'a wrong authManagementKey',
          h.newClient({ managementKey: undefined, authManagementKey: 'not-the-key' }),
        ],
      ];
      const customClaims = { plan: 'free-upgrade' };
      for (const [name, client] of clients) {
        const newcomer = uniqueLogin('cc-newcomer');
        await refusedForClaims(client.password.signUp(newcomer, strongPassword, undefined, { customClaims }));
        await refusedForClaims(client.password.signIn(existing, strongPassword, { customClaims }));
        await refusedForClaims(client.otp.signIn('email', existing, { customClaims }));
        await refusedForClaims(client.otp.signUpOrIn('sms', '+14155559001', { customClaims }));
        await refusedForClaims(client.otp.signUp('email', newcomer, undefined, { customClaims }));
        await refusedForClaims(client.magicLink.signIn('email', existing, REDIRECT, { customClaims }));
        await refusedForClaims(client.enchantedLink.signUpOrIn(existing, REDIRECT, { customClaims }));
        assert.deepEqual(await outbox(h.server, existing), [], `${name}: nothing sent`);
        assert.deepEqual(await outbox(h.server, '+14155559001'), [], `${name}: nothing sent`);
        assert.deepEqual(await outbox(h.server, newcomer), [], `${name}: nothing sent`);
        const notCreated = await rejection(h.client.management.user.load(newcomer), LatchkeyApiError);
        assert.equal(notCreated.errorCode, ERROR_CODES.managementUserNotFound, `${name}: no user created`);

        const plain = await client.password.signIn(existing, strongPassword);
        assert.equal(
          (await client.validateSession(plain.sessionJwt)).token.plan,
          undefined,
          `${name}: no claims`,
        );
      }
    });

    test('authManagementKey does not enable management calls: a TypeError before any request', async () => {
      const before = h.backend.wire.calls.length;
      await rejection(h.backend.management.user.load('anyone@example.com'), TypeError);
      assert.equal(h.backend.wire.calls.length, before);
    });
  });
}
