import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { decodeJwt } from 'jose';
import { ERROR_CODES as SERVER_ERROR_CODES } from '../../server/src/errors.ts';
import { createLatchkeyClient, ERROR_CODES, LatchkeyApiError } from '../src/index.ts';
import { type Harness, rejection, STORES, startHarness, strongPassword, uniqueLogin } from './support/sdk.ts';

test("the SDK's error codes are exactly the server's registry", () => {
  const server = Object.fromEntries(
    Object.entries(SERVER_ERROR_CODES).map(([kind, entry]) => [kind, entry.code]),
  );
  assert.deepEqual(ERROR_CODES, server);
  assert.equal(ERROR_CODES.rateLimited, 'E130429');
});

test('invalid client options are refused up front', () => {
  const ok = { projectId: 'P1', baseUrl: 'http://localhost:4000' };
  assert.throws(() => createLatchkeyClient({ ...ok, projectId: '' }), TypeError);
  assert.throws(() => createLatchkeyClient({ ...ok, projectId: 'P1:x' }), TypeError);
  assert.throws(() => createLatchkeyClient({ ...ok, baseUrl: 'localhost:4000' }), TypeError);
  assert.throws(() => createLatchkeyClient({ ...ok, managementKey: 'a:b' }), TypeError);
  assert.throws(() => createLatchkeyClient({ ...ok, authManagementKey: 'a:b' }), /authManagementKey/);
  assert.throws(() => createLatchkeyClient({ ...ok, authManagementKey: '' }), /authManagementKey/);
  assert.throws(() => createLatchkeyClient({ ...ok, authManagementKey: 'a b' }), /authManagementKey/);
  assert.equal(createLatchkeyClient({ ...ok, managementKey: 'K', authManagementKey: 'K' }).projectId, 'P1');
  assert.throws(() => createLatchkeyClient({ ...ok, clockToleranceSeconds: -1 }), TypeError);
  assert.equal(createLatchkeyClient({ ...ok, baseUrl: 'http://localhost:4000///' }).projectId, 'P1');
});

for (const store of STORES) {
  describe(`settings and errors through the SDK (${store})`, () => {
    let h: Harness;
    before(async () => {
      h = await startHarness(store);
    });
    after(() => h.close());

    test('password settings: load, change some, the rest stays', async () => {
      const before = await h.client.management.password.getSettings();
      assert.equal(before.minLength, 8);
      assert.equal(before.lock, true);
      await h.client.management.password.configureSettings({
        lockAttempts: 4,
        expiration: true,
        expirationWeeks: 8,
      });
      const after = await h.client.management.password.getSettings();
      assert.deepEqual(after, { ...before, lockAttempts: 4, expiration: true, expirationWeeks: 8 });
    });

    test('project settings: load, change session lifetime, see it in the next token', async () => {
      const { sessionTokenExpiration, refreshTokenExpiration, refreshTokenRotation, signingAlgorithm } =
        await h.client.management.project.getSettings();
      assert.deepEqual(
        { sessionTokenExpiration, refreshTokenExpiration, refreshTokenRotation, signingAlgorithm },
        {
          sessionTokenExpiration: 600,
          refreshTokenExpiration: 86_400 * 28,
          refreshTokenRotation: false,
          signingAlgorithm: 'RS256',
        },
      );
      await h.client.management.project.configureSettings({ sessionTokenExpiration: 120 });
      assert.equal((await h.client.management.project.getSettings()).sessionTokenExpiration, 120);
      const res = await h.client.password.signUp(uniqueLogin('lifetime'), strongPassword);
      const claims = decodeJwt(res.sessionJwt);
      assert.equal(claims.exp! - claims.iat!, 120);
      const invalid = await rejection(
        h.client.management.project.configureSettings({ sessionTokenExpiration: 5 }),
        LatchkeyApiError,
      );
      assert.equal(invalid.status, 400);
      assert.equal(invalid.errorCode, ERROR_CODES.invalidRequest);
    });

    test('project settings: codes, links and rate limits change section by section', async () => {
      const before = await h.client.management.project.getSettings();
      assert.equal(before.passwordless.otpLength, 6);
      assert.equal(before.rateLimits.enabled, true);
      await h.client.management.project.configureSettings({
        passwordless: { otpLength: 8, allowedRedirectOrigins: ['https://app.example.com'] },
        rateLimits: { sendPerLoginId: { max: 7 } },
      });
      const after = await h.client.management.project.getSettings();
      assert.deepEqual(after.passwordless, {
        ...before.passwordless,
        otpLength: 8,
        allowedRedirectOrigins: ['https://app.example.com'],
      });
      assert.deepEqual(after.rateLimits, {
        ...before.rateLimits,
        sendPerLoginId: { ...before.rateLimits.sendPerLoginId, max: 7 },
      });
      assert.equal(after.sessionTokenExpiration, before.sessionTokenExpiration);
      await h.client.management.project.configureSettings({ passwordless: { otpLength: 6 } });
    });

    test('credentials: a wrong management key, an unknown project, a management call without a key', async () => {
      const wrongKey = createLatchkeyClient({
        projectId: h.server.projectId,
        baseUrl: h.server.url,
        managementKey: 'K-not-the-key-0123456789',
      });
      const denied = await rejection(wrongKey.management.tenant.loadAll(), LatchkeyApiError);
      assert.equal(denied.status, 401);
      assert.equal(denied.errorCode, ERROR_CODES.invalidManagementKey);

      const unknown = createLatchkeyClient({ projectId: 'P2doesnotexist', baseUrl: h.server.url });
      assert.equal(
        (await rejection(unknown.password.policy(), LatchkeyApiError)).errorCode,
        ERROR_CODES.unknownProject,
      );

      const noKey = createLatchkeyClient({ projectId: h.server.projectId, baseUrl: h.server.url });
      await rejection(noKey.management.user.load('x@example.com'), TypeError);
      assert.ok(await noKey.password.policy(), 'auth calls need no management key');
    });

    test('a management key never authorizes auth calls that need a refresh token', async () => {
      const err = await rejection(h.client.me('not-a-refresh-token'), LatchkeyApiError);
      assert.equal(err.status, 401);
      assert.equal(err.errorCode, ERROR_CODES.missingRefreshToken);
    });
  });
}
