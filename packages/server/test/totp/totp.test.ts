import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { URI } from 'otpauth';
import { type CallResult, call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { awayFromStepEdge, claims, codeFor, type Enrollment } from './support.ts';

type Jwt = {
  sessionJwt: string;
  refreshJwt: string;
  firstSeen: boolean;
  user: { userId: string; loginIds: string[]; email: string; status: string; totp: boolean };
};
/** error answers carry `errorCode` */
type Err = { errorCode?: string };
type WireUser = { userId: string; status: string; totp: boolean; email: string; name: string };

for (const store of STORES) {
  describe(`TOTP authentication (${store})`, () => {
    let s: TestServer;
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    let n = 0;
    const newLoginId = (prefix: string) => `${prefix}${++n}@example.com`;
    const signUp = (loginId: string, user?: Record<string, unknown>) =>
      call<Enrollment & Err>(s, 'POST', '/v1/auth/totp/signup', { auth: s.project, body: { loginId, user } });
    const enrolled = async (loginId: string): Promise<Enrollment> => {
      const res = await signUp(loginId);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const verify = (loginId: string, code: unknown, extra: { auth?: string; loginOptions?: unknown } = {}) =>
      call<Jwt & Err>(s, 'POST', '/v1/auth/totp/verify', {
        auth: extra.auth ?? s.project,
        body: { loginId, code, ...(extra.loginOptions ? { loginOptions: extra.loginOptions } : {}) },
      });
    const load = async (loginId: string) =>
      (await mgmt<{ user: WireUser }>(s, 'GET', `/v1/mgmt/user?loginId=${encodeURIComponent(loginId)}`)).body
        .user;
    const assertWrongCode = (res: CallResult, what: string) => {
      assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.errorCode, 'E061102', what);
    };
    const passwordUser = async (loginId: string) => {
      const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId, password: 'Str0ngPassword' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };

    test('sign-up answers an otpauth URI, a QR-code PNG and the key, and creates a pending user', async () => {
      const loginId = newLoginId('ada');
      const res = await signUp(loginId, { name: 'Ada Lovelace', givenName: 'Ada', phone: '+15551234567' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body).sort(), ['image', 'key', 'provisioningURL']);
      const { provisioningURL, image, key } = res.body;

      assert.match(key, /^[A-Z2-7]{32}$/, '160-bit base32 seed');
      const url = new URL(provisioningURL);
      assert.equal(url.protocol, 'otpauth:');
      assert.equal(url.host, 'totp');
      assert.equal(url.searchParams.get('secret'), key);
      // The bootstrapped test project is named after its id: the issuer is the project's name.
      assert.equal(url.searchParams.get('issuer'), s.projectId);
      assert.equal(decodeURIComponent(url.pathname), `/${s.projectId}:${loginId}`);
      const parsed = URI.parse(provisioningURL);
      assert.equal(parsed.secret.base32, key);
      assert.equal(parsed.algorithm, 'SHA1');
      assert.equal(parsed.digits, 6);
      assert.equal((parsed as { period?: number }).period, 30);

      const png = Buffer.from(image, 'base64');
      assert.equal(png.toString('base64'), image, 'plain base64, no data: prefix');
      assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'PNG signature');
      assert.equal(png.subarray(12, 16).toString('latin1'), 'IHDR');
      assert.equal(png.readUInt32BE(16), png.readUInt32BE(20), 'a square image');
      assert.ok(png.readUInt32BE(16) >= 21 && png.length > 200, 'a real QR code, not a placeholder');
      assert.equal(png.subarray(-8, -4).toString('latin1'), 'IEND');

      const user = await load(loginId);
      assert.equal(user.totp, true);
      assert.equal(user.status, 'invited', 'pending until the first good code');
      assert.equal(user.email, loginId, 'an email login id becomes the email');
      assert.equal(user.name, 'Ada Lovelace');

      const other = await enrolled(newLoginId('ada'));
      assert.notEqual(other.key, key);
      assert.notEqual(other.image, image);
    });

    test('a code computed from the returned key signs in once and not twice', async () => {
      const loginId = newLoginId('once');
      const { key } = await enrolled(loginId);
      const code = codeFor(key);
      const first = await verify(loginId, code);
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.deepEqual(claims(first.body.sessionJwt).amr, ['totp']);
      assert.equal(claims(first.body.sessionJwt).drn, 'DS');
      assert.equal(claims(first.body.refreshJwt).drn, 'DSR');
      assert.equal(claims(first.body.sessionJwt).sub, first.body.user.userId);
      assert.equal(first.body.firstSeen, true, 'the first code completes the sign-up');
      assert.equal(first.body.user.status, 'enabled');
      assert.equal(first.body.user.totp, true);
      assert.ok(first.headers.getSetCookie().some((c) => c.startsWith('DSR=')));

      assertWrongCode(await verify(loginId, code), 'the same code again');
      assert.equal((await load(loginId)).status, 'enabled');

      const me = await call<{ email: string }>(s, 'GET', '/v1/auth/me', {
        auth: `${s.project}:${first.body.refreshJwt}`,
      });
      assert.equal(me.status, 200);
      assert.equal(me.body.email, loginId);
      const history = await mgmt<unknown[]>(s, 'POST', '/v1/mgmt/user/history', [first.body.user.userId]);
      assert.equal(history.body.length, 1, 'one login recorded');
    });

    test('the previous step is accepted, two steps back is not, and steps only move forward', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('window');
      const { key } = await enrolled(loginId);
      assertWrongCode(await verify(loginId, codeFor(key, -2)), 'two steps old');
      const previous = await verify(loginId, codeFor(key, -1));
      assert.equal(previous.status, 200, JSON.stringify(previous.body));
      assertWrongCode(await verify(loginId, codeFor(key, -1)), 'previous step replayed');
      assert.equal((await verify(loginId, codeFor(key))).status, 200, 'the current step is later');
      assertWrongCode(await verify(loginId, codeFor(key)), 'current step replayed');
      assert.equal((await verify(loginId, codeFor(key, 1))).status, 200, 'the next step (clock ahead)');
      assertWrongCode(await verify(loginId, codeFor(key)), 'an earlier step after a later one');
    });

    test('wrong code, unknown user and a user without TOTP answer the same 401', async () => {
      const loginId = newLoginId('wrong');
      const { key } = await enrolled(loginId);
      const right = codeFor(key);
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
      const bad = await verify(loginId, wrong);
      assertWrongCode(bad, 'wrong code');
      const unknown = await verify(newLoginId('nobody'), right);
      assertWrongCode(unknown, 'unknown user');
      const pwd = newLoginId('pwdonly');
      await passwordUser(pwd);
      const noSeed = await verify(pwd, right);
      assertWrongCode(noSeed, 'user without a seed');
      assert.deepEqual(unknown.body, bad.body, 'no enumeration: identical bodies');
      assert.deepEqual(noSeed.body, bad.body);
      assert.equal((await load(loginId)).status, 'invited', 'a wrong code changes nothing');
      assert.equal((await verify(loginId, right)).status, 200, 'the right code still works');
    });

    test('a disabled user is refused with E062904 and the code is not used up', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('disabled');
      const { key } = await enrolled(loginId);
      const disable = await mgmt(s, 'POST', '/v1/mgmt/user/update/status', { loginId, status: 'disabled' });
      assert.equal(disable.status, 200);
      const code = codeFor(key);
      const refused = await verify(loginId, code);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.errorCode, 'E062904');
      assertWrongCode(await verify(loginId, '000000' === code ? '111111' : '000000'), 'disabled, wrong code');
      await mgmt(s, 'POST', '/v1/mgmt/user/update/status', { loginId, status: 'enabled' });
      assert.equal((await verify(loginId, code)).status, 200);
    });

    test('bad input is a 400 and changes nothing', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('input');
      const { key } = await enrolled(loginId);
      const code = codeFor(key);
      const cases: [string, unknown][] = [
        ['missing loginId', { code }],
        ['missing code', { loginId }],
        ['non-numeric code', { loginId, code: 'abcdef' }],
        ['five digits', { loginId, code: code.slice(1) }],
        ['seven digits', { loginId, code: `${code}0` }],
        ['a number, not a string', { loginId, code: Number(code) }],
        ['padded', { loginId, code: ` ${code}` }],
      ];
      for (const [what, body] of cases) {
        const res = await call(s, 'POST', '/v1/auth/totp/verify', { auth: s.project, body });
        assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.body)}`);
        assert.match(String(res.body.errorCode), /^E0110\d\d$/, what);
      }
      const noLogin = await call(s, 'POST', '/v1/auth/totp/signup', { auth: s.project, body: {} });
      assert.equal(noLogin.status, 400);
      const badEmail = newLoginId('bademail');
      const badUser = await signUp(badEmail, { email: 'not-an-email' });
      assert.equal(badUser.status, 400);
      assert.equal(
        (await mgmt(s, 'GET', `/v1/mgmt/user?loginId=${badEmail}`)).status,
        404,
        'no user created',
      );
      const noUpdate = await call(s, 'POST', '/v1/auth/totp/update', { auth: s.project, body: { loginId } });
      assert.equal(noUpdate.status, 401);
      const noAuth = await call(s, 'POST', '/v1/auth/totp/verify', { body: { loginId, code } });
      assert.equal(noAuth.status, 401);

      assert.equal((await load(loginId)).status, 'invited');
      assert.equal((await verify(loginId, code)).status, 200, 'the code was not used up');
    });

    test('sign-up of an existing login id is refused with E062107 and keeps the existing seed', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('dup');
      const { key } = await enrolled(loginId);
      const again = await signUp(loginId.toUpperCase());
      assert.equal(again.status, 400);
      assert.equal(again.body.errorCode, 'E062107');
      const pwd = newLoginId('dup-pwd');
      await passwordUser(pwd);
      assert.equal((await signUp(pwd)).body.errorCode, 'E062107');
      assert.equal((await load(pwd)).totp, false, 'no seed added to the existing user');
      assert.equal((await verify(loginId, codeFor(key))).status, 200, 'the first seed still works');
    });

    test('update replaces the seed with the own refresh token only: the new key works, the old does not', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('rotate');
      const old = await enrolled(loginId);
      const session = await verify(loginId, codeFor(old.key));
      assert.equal(session.status, 200);
      const update = (auth: string, id = loginId) =>
        call<Enrollment>(s, 'POST', '/v1/auth/totp/update', { auth, body: { loginId: id } });

      const stranger = await passwordUser(newLoginId('stranger'));
      const foreign = await update(`${s.project}:${stranger.refreshJwt}`);
      assert.equal(foreign.status, 401, "another user's token");
      assert.equal((await update(s.management)).status, 401, 'a management key is not a refresh token');

      const rotated = await update(`${s.project}:${session.body.refreshJwt}`);
      assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
      assert.notEqual(rotated.body.key, old.key);
      assert.equal(new URL(rotated.body.provisioningURL).searchParams.get('secret'), rotated.body.key);
      assert.ok(Buffer.from(rotated.body.image, 'base64').length > 200);

      assertWrongCode(await verify(loginId, codeFor(old.key, 1)), 'the old key');
      const fresh = await verify(loginId, codeFor(rotated.body.key));
      assert.equal(fresh.status, 200, 'the new key, even in the step the old key last used');
      assert.equal(fresh.body.firstSeen, false);
    });

    test('update adds TOTP to a user who signed up with a password', async () => {
      const loginId = newLoginId('addtotp');
      const pwd = await passwordUser(loginId);
      assert.equal(pwd.user.totp, false);
      const added = await call<Enrollment>(s, 'POST', '/v1/auth/totp/update', {
        auth: `${s.project}:${pwd.refreshJwt}`,
        body: { loginId },
      });
      assert.equal(added.status, 200);
      assert.equal((await load(loginId)).totp, true);
      const signedIn = await verify(loginId, codeFor(added.body.key));
      assert.equal(signedIn.status, 200);
      assert.deepEqual(claims(signedIn.body.sessionJwt).amr, ['totp']);
      assert.equal(signedIn.body.firstSeen, false);
    });

    test('step-up and MFA raise the existing session: its factors and claims stay, totp is added', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('stepup');
      const pwd = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.management, // custom claims on an auth call need a management key
        body: { loginId, password: 'Str0ngPassword', loginOptions: { customClaims: { plan: 'pro' } } },
      });
      assert.equal(pwd.status, 200, JSON.stringify(pwd.body));
      const added = await call<Enrollment>(s, 'POST', '/v1/auth/totp/update', {
        auth: `${s.project}:${pwd.body.refreshJwt}`,
        body: { loginId },
      });
      const withToken = `${s.project}:${pwd.body.refreshJwt}`;
      // what the Node and Go SDKs send with an authManagementKey: Bearer <projectId>:<refreshJwt>:<managementKey>
      const withTokenAndKey = `${withToken}:${s.managementKey}`;

      const missing = await verify(loginId, codeFor(added.body.key, -1), { loginOptions: { stepup: true } });
      assert.equal(missing.status, 401, 'step-up needs the refresh token');
      assert.equal(missing.body.errorCode, 'E061001');
      const stranger = await passwordUser(newLoginId('stepup-other'));
      const foreign = await verify(loginId, codeFor(added.body.key, -1), {
        auth: `${s.project}:${stranger.refreshJwt}`,
        loginOptions: { mfa: true },
      });
      assert.equal(foreign.status, 401, "another user's session cannot be raised");

      const keyless = await verify(loginId, codeFor(added.body.key, -1), {
        auth: withToken,
        loginOptions: { stepup: true, customClaims: { level: 2 } },
      });
      assert.equal(keyless.status, 401, 'custom claims without a management key');
      assert.equal(keyless.body.errorCode, 'E011103');
      const raised = await verify(loginId, codeFor(added.body.key, -1), {
        auth: withTokenAndKey,
        loginOptions: { stepup: true, customClaims: { level: 2 } },
      });
      assert.equal(raised.status, 200, JSON.stringify(raised.body));
      const c = claims(raised.body.sessionJwt);
      assert.deepEqual(c.amr, ['pwd', 'totp']);
      assert.equal(c.plan, 'pro');
      assert.equal(c.level, 2);

      const mfa = await verify(loginId, codeFor(added.body.key), {
        auth: `${s.project}:${raised.body.refreshJwt}`,
        loginOptions: { mfa: true },
      });
      assert.equal(mfa.status, 200);
      assert.deepEqual(claims(mfa.body.sessionJwt).amr, ['pwd', 'totp'], 'no duplicate factor');

      const plain = await verify(loginId, codeFor(added.body.key, 1), {
        auth: withTokenAndKey,
        loginOptions: { customClaims: { level: 1 } },
      });
      assert.equal(plain.status, 200, 'without stepup/mfa a refresh token is ignored');
      assert.deepEqual(claims(plain.body.sessionJwt).amr, ['totp']);
      assert.equal(claims(plain.body.sessionJwt).level, 1);
      assert.equal(claims(plain.body.sessionJwt).plan, undefined);
    });

    test('management removes the seed: totp turns false and codes stop working', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('remove');
      const { key } = await enrolled(loginId);
      assert.equal((await verify(loginId, codeFor(key, -1))).status, 200);
      const removed = await mgmt(s, 'POST', '/v1/mgmt/user/totp/delete', { loginId });
      assert.equal(removed.status, 200);
      assert.deepEqual(removed.body, {});
      assert.equal((await load(loginId)).totp, false);
      assertWrongCode(await verify(loginId, codeFor(key)), 'after removal');

      const unknown = await mgmt(s, 'POST', '/v1/mgmt/user/totp/delete', { loginId: newLoginId('ghost') });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.errorCode, 'E112102');
      const noKey = await call(s, 'POST', '/v1/mgmt/user/totp/delete', {
        auth: s.project,
        body: { loginId },
      });
      assert.equal(noKey.status, 401);
      const missing = await mgmt(s, 'POST', '/v1/mgmt/user/totp/delete', {});
      assert.equal(missing.status, 400);
    });

    test('of concurrent verifies with the same code exactly one wins', async () => {
      await awayFromStepEdge();
      const loginId = newLoginId('race');
      const { key } = await enrolled(loginId);
      const code = codeFor(key);
      // as many as the per-login-id rate limit lets through at once
      const results = await Promise.all(Array.from({ length: 10 }, () => verify(loginId, code)));
      const statuses = results.map((r) => r.status);
      assert.equal(statuses.filter((x) => x === 200).length, 1, JSON.stringify(statuses));
      assert.equal(statuses.filter((x) => x === 401).length, 9, JSON.stringify(statuses));
    });

    test('verify is rate limited per login id: 429 E130429 with Retry-After', async () => {
      const settings = await mgmt<{ rateLimits: { verifyPerLoginId: { max: number } } }>(
        s,
        'GET',
        '/v1/mgmt/project/settings',
      );
      const max = settings.body.rateLimits.verifyPerLoginId.max;
      const loginId = newLoginId('limited');
      const { key } = await enrolled(loginId);
      const wrong = codeFor(key) === '000000' ? '111111' : '000000';
      for (let i = 0; i < max; i++) assertWrongCode(await verify(loginId, wrong), `attempt ${i + 1}`);
      const limited = await verify(loginId, codeFor(key));
      assert.equal(limited.status, 429);
      assert.equal(limited.body.errorCode, 'E130429');
      assert.ok(Number(limited.headers.get('retry-after')) > 0);
      assert.equal((await load(loginId)).status, 'invited', 'the right code was not even tried');
    });
  });
}
