import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { call, mgmt, STORES, startTestServer, type TestServer } from './support/server.ts';

type Jwt = { sessionJwt: string; refreshJwt: string; user: { userId: string }; cookieMaxAge: number };
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());

for (const store of STORES) {
  describe(`sessions (${store})`, () => {
    let s: TestServer;
    let n = 0;
    const signUp = async (extra: Record<string, unknown> = {}) => {
      n += 1;
      const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
        auth: s.project,
        body: { loginId: `user${n}@sessions.test`, password: 'Sessi0nPass', ...extra },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body;
    };
    const withToken = (jwt: string) => `${s.project}:${jwt}`;

    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    test('issued tokens verify against the published JWKS with RS256 and a kid', async () => {
      const jwks = await call<{ keys: Record<string, unknown>[] }>(s, 'GET', `/v2/keys/${s.projectId}`);
      assert.equal(jwks.status, 200);
      assert.deepEqual(Object.keys(jwks.body), ['keys'], 'only array members at the top level');
      for (const key of jwks.body.keys) {
        assert.equal(key.alg, 'RS256');
        assert.equal(key.use, 'sig');
        assert.ok(key.kid);
        assert.equal(key.d, undefined, 'no private material');
      }
      const { sessionJwt } = await signUp();
      const { protectedHeader, payload } = await jwtVerify(sessionJwt, createLocalJWKSet(jwks.body as never));
      assert.equal(protectedHeader.alg, 'RS256');
      assert.ok(protectedHeader.kid);
      assert.equal(payload.drn, 'DS');
    });

    test('refresh issues a new session with current roles; without rotation the refresh token stays', async () => {
      const tokens = await signUp();
      await mgmt(s, 'POST', '/v1/mgmt/permission/create', { name: 'docs.read' });
      await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'reader', permissionNames: ['docs.read'] });
      await mgmt(s, 'POST', '/v1/mgmt/user/update/role/add', {
        loginId: tokens.user.userId,
        roleNames: ['reader'],
      });
      const res = await call<Jwt>(s, 'POST', '/v1/auth/refresh', {
        auth: withToken(tokens.refreshJwt),
        body: {},
      });
      assert.equal(res.status, 200);
      const session = claims(res.body.sessionJwt);
      assert.deepEqual(session.roles, ['reader']);
      assert.deepEqual(session.permissions, ['docs.read']);
      assert.equal(res.body.refreshJwt, tokens.refreshJwt);
      assert.ok(res.headers.getSetCookie().some((c) => c.startsWith('DS=')));
    });

    test('refresh accepts an empty body (as the Go SDK sends) and the DSR cookie', async () => {
      const tokens = await signUp();
      const empty = await call(s, 'POST', '/v1/auth/refresh', {
        auth: withToken(tokens.refreshJwt),
        rawBody: '',
        headers: { 'content-type': 'application/json' },
      });
      assert.equal(empty.status, 200);
      const cookie = await call(s, 'POST', '/v1/auth/refresh', {
        auth: s.project,
        headers: { cookie: `DSR=${tokens.refreshJwt}` },
      });
      assert.equal(cookie.status, 200);
    });

    test('a session token is not a refresh token, and a tampered token is refused', async () => {
      const tokens = await signUp();
      const wrongKind = await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(tokens.sessionJwt) });
      assert.equal(wrongKind.status, 401);
      const [h, p, sig] = tokens.refreshJwt.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims(tokens.refreshJwt), sub: 'Uattacker' })).toString(
        'base64url',
      );
      const tampered = await call(s, 'POST', '/v1/auth/refresh', {
        auth: withToken(`${h}.${forged}.${sig}`),
      });
      assert.equal(tampered.status, 401);
      assert.ok(p);
    });

    test('a refresh token from another project never refreshes here', async () => {
      const other = await startTestServer('sqlite');
      try {
        const foreign = await call<Jwt>(other, 'POST', '/v1/auth/password/signup', {
          auth: other.project,
          body: { loginId: 'foreign@x.test', password: 'Sessi0nPass' },
        });
        const res = await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(foreign.body.refreshJwt) });
        assert.equal(res.status, 401);
      } finally {
        await other.close();
      }
    });

    test('logout revokes that refresh token only; logout-all revokes every one', async () => {
      const a = await signUp();
      const loginId = `user${n}@sessions.test`;
      const second = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: 'Sessi0nPass' },
      });
      const third = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: 'Sessi0nPass' },
      });
      const out = await call(s, 'POST', '/v1/auth/logout', { auth: withToken(a.refreshJwt) });
      assert.equal(out.status, 200);
      assert.deepEqual(out.body, {});
      const revoked = await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) });
      assert.equal(revoked.status, 401);
      assert.equal(revoked.body.errorCode, 'E064001');
      assert.equal(
        (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(second.body.refreshJwt) })).status,
        200,
      );
      assert.equal(
        (await call(s, 'POST', '/v1/auth/logoutall', { auth: withToken(second.body.refreshJwt) })).status,
        200,
      );
      assert.equal(
        (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(second.body.refreshJwt) })).status,
        401,
      );
      assert.equal(
        (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(third.body.refreshJwt) })).status,
        401,
      );
    });

    test('management logout revokes every refresh token of the user', async () => {
      const a = await signUp();
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/user/logout', { userId: a.user.userId })).status, 200);
      assert.equal(
        (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) })).status,
        401,
      );
    });

    test('a disabled user cannot refresh', async () => {
      const a = await signUp();
      await mgmt(s, 'POST', '/v1/mgmt/user/update/status', { loginId: a.user.userId, status: 'disabled' });
      assert.equal(
        (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) })).status,
        401,
      );
    });

    test('tenant select sets dct in both tokens and sets DS/DSR cookies; a foreign tenant is refused', async () => {
      const a = await signUp();
      const t = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: `tenant-${n}` });
      const other = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: `other-${n}` });
      await mgmt(s, 'POST', '/v1/mgmt/user/update/tenant/add', {
        loginId: a.user.userId,
        tenantId: t.body.id,
      });
      const fresh = await call<Jwt>(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) });
      assert.deepEqual(claims(fresh.body.sessionJwt).tenants, {
        [t.body.id]: { roles: [], permissions: [] },
      });
      for (const body of [{ tenant: t.body.id }, { tenantId: t.body.id }]) {
        const res = await call<Jwt>(s, 'POST', '/v1/auth/tenant/select', {
          auth: withToken(a.refreshJwt),
          body,
        });
        assert.equal(res.status, 200);
        assert.equal(claims(res.body.sessionJwt).dct, t.body.id);
        assert.equal(claims(res.body.refreshJwt).dct, t.body.id);
        const cookies = res.headers.getSetCookie();
        assert.ok(cookies.some((c) => c.startsWith('DS=')) && cookies.some((c) => c.startsWith('DSR=')));
        const refreshed = await call<Jwt>(s, 'POST', '/v1/auth/refresh', {
          auth: withToken(res.body.refreshJwt),
        });
        assert.equal(claims(refreshed.body.sessionJwt).dct, t.body.id, 'dct survives refresh');
      }
      const foreign = await call(s, 'POST', '/v1/auth/tenant/select', {
        auth: withToken(a.refreshJwt),
        body: { tenant: other.body.id },
      });
      assert.equal(foreign.status, 403);
      assert.equal(foreign.body.errorCode, 'E063101');
    });

    test('me returns the user at the top level; history lists sign-ins newest first', async () => {
      const a = await signUp();
      const loginId = `user${n}@sessions.test`;
      await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: 'Sessi0nPass' },
      });
      const me = await call<{ userId: string; email: string; loginIds: string[] }>(s, 'GET', '/v1/auth/me', {
        auth: withToken(a.refreshJwt),
      });
      assert.equal(me.status, 200);
      assert.equal(me.body.userId, a.user.userId);
      assert.equal(me.body.email, loginId);
      assert.deepEqual(me.body.loginIds, [loginId]);
      const history = await call<{ userId: string; loginTime: number; ip: string }[]>(
        s,
        'GET',
        '/v1/auth/me/history',
        {
          auth: withToken(a.refreshJwt),
        },
      );
      assert.equal(history.status, 200);
      assert.equal(history.body.length, 2);
      assert.equal(history.body[0]!.userId, a.user.userId);
      assert.equal(history.body[0]!.ip, '127.0.0.1');
      assert.ok(history.body[0]!.loginTime >= history.body[1]!.loginTime);
      const viaMgmt = await call<unknown[]>(s, 'POST', '/v1/mgmt/user/history', {
        auth: s.management,
        body: [a.user.userId],
      });
      assert.equal(viaMgmt.body.length, 2);
    });

    test('custom claims from loginOptions (with a management key) are in the session and survive refresh; reserved claims are refused', async () => {
      await signUp();
      const loginId = `user${n}@sessions.test`;
      const keyless = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.project,
        body: { loginId, password: 'Sessi0nPass', loginOptions: { customClaims: { plan: 'pro' } } },
      });
      assert.equal(keyless.status, 401, 'custom claims on an auth call need a management key');
      assert.equal(keyless.body.errorCode, 'E011103');
      const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
        auth: s.management,
        body: { loginId, password: 'Sessi0nPass', loginOptions: { customClaims: { plan: 'pro' } } },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(claims(res.body.sessionJwt).plan, 'pro');
      const refreshed = await call<Jwt>(s, 'POST', '/v1/auth/refresh', {
        auth: withToken(res.body.refreshJwt),
      });
      assert.equal(claims(refreshed.body.sessionJwt).plan, 'pro');
      const reserved = await call(s, 'POST', '/v1/auth/password/signin', {
        auth: s.management,
        body: { loginId, password: 'Sessi0nPass', loginOptions: { customClaims: { sub: 'someone-else' } } },
      });
      assert.equal(reserved.status, 400, 'even with a key');
    });

    test('server-side validate returns the verified claims of a session token', async () => {
      const a = await signUp();
      const ok = await call(s, 'POST', '/v1/auth/validate', { auth: withToken(a.sessionJwt) });
      assert.equal(ok.status, 200);
      assert.equal(ok.body.sub, a.user.userId);
      const bad = await call(s, 'POST', '/v1/auth/validate', { auth: withToken(a.refreshJwt) });
      assert.equal(bad.status, 401);
    });

    test('rotation: when enabled, refresh returns a new refresh token and the old one is revoked', async () => {
      await mgmt(s, 'POST', '/v1/mgmt/project/settings', {
        refreshTokenRotation: true,
        sessionTokenExpiration: 120,
      });
      try {
        const a = await signUp();
        const res = await call<Jwt>(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) });
        assert.equal(res.status, 200);
        assert.notEqual(res.body.refreshJwt, a.refreshJwt);
        const session = claims(res.body.sessionJwt);
        assert.equal(session.exp - session.iat, 120, 'session lifetime is the project setting');
        assert.equal(
          (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(a.refreshJwt) })).status,
          401,
        );
        assert.equal(
          (await call(s, 'POST', '/v1/auth/refresh', { auth: withToken(res.body.refreshJwt) })).status,
          200,
        );
      } finally {
        await mgmt(s, 'POST', '/v1/mgmt/project/settings', {
          refreshTokenRotation: false,
          sessionTokenExpiration: 600,
        });
      }
    });
  });
}

describe('client address behind a proxy', () => {
  for (const [trust, expected] of [
    [undefined, '127.0.0.1'],
    ['127.0.0.1', '203.0.113.9'],
  ] as const) {
    test(`LATCHKEY_TRUST_PROXY=${trust ?? '(unset)'}: login history records ${expected}`, async () => {
      const s = await startTestServer('sqlite', trust ? { LATCHKEY_TRUST_PROXY: trust } : {});
      try {
        const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signup', {
          auth: s.project,
          body: { loginId: 'proxied@x.test', password: 'Pr0xiedPass' },
          headers: { 'x-forwarded-for': '203.0.113.9' },
        });
        const history = await call<{ ip: string }[]>(s, 'GET', '/v1/auth/me/history', {
          auth: `${s.project}:${res.body.refreshJwt}`,
        });
        assert.equal(history.body[0]!.ip, expected);
      } finally {
        await s.close();
      }
    });
  }
});
