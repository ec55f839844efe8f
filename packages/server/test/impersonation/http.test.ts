import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { call, mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import {
  claims,
  createTenant,
  createUser,
  disableRateLimits,
  type Jwt,
  lifetime,
  signIn,
} from '../tenant-settings/support.ts';

for (const store of STORES) {
  describe(`JWT update and impersonation over HTTP (${store})`, () => {
    let s: TestServer;
    let tenant: string;
    let admin: { loginId: string; userId: string };
    let tenantAdmin: { loginId: string; userId: string };
    let target: { loginId: string; userId: string };
    let plain: { loginId: string; userId: string };

    before(async () => {
      s = await startTestServer(store);
      await disableRateLimits(s);
      await mgmt(s, 'POST', '/v1/mgmt/permission/create', { name: 'impersonation' });
      await mgmt(s, 'POST', '/v1/mgmt/role/create', { name: 'support', permissionNames: ['impersonation'] });
      tenant = await createTenant(s);
      admin = await createUser(s, [], ['support']);
      tenantAdmin = await createUser(s, []);
      await mgmt(s, 'POST', '/v1/mgmt/user/update/tenant/add', {
        loginId: tenantAdmin.loginId,
        tenantId: tenant,
        roleNames: ['support'],
      });
      target = await createUser(s, [tenant]);
      plain = await createUser(s, [tenant]);
    });
    after(() => s.close());

    const verify = async (jwt: string) => {
      const jwks = await call<{ keys: unknown[] }>(s, 'GET', `/v2/keys/${s.projectId}`);
      return (await jwtVerify(jwt, createLocalJWKSet(jwks.body as never))).payload;
    };
    const refresh = (refreshJwt: string) =>
      call<Jwt>(s, 'POST', '/v1/auth/refresh', { auth: `${s.project}:${refreshJwt}`, body: {} });

    test('jwt/update re-signs a refresh or session JWT with the custom claims, keeping drn and sub', async () => {
      const tokens = await signIn(s, target.loginId);
      const res = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/jwt/update', {
        jwt: tokens.refreshJwt,
        customClaims: { plan: 'pro', nested: { a: 1 } },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const payload = await verify(res.body.jwt);
      assert.equal(payload.drn, 'DSR');
      assert.equal(payload.sub, target.userId);
      assert.equal(payload.plan, 'pro');
      assert.deepEqual(payload.nested, { a: 1 });
      assert.equal(payload.exp, claims(tokens.refreshJwt).exp, 'refreshDuration absent: expiry kept');
      // the updated refresh JWT refreshes, and the claims carry into the new session
      const refreshed = await refresh(res.body.jwt);
      assert.equal(refreshed.status, 200);
      assert.equal(claims(refreshed.body.sessionJwt).plan, 'pro');

      const session = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/jwt/update', {
        jwt: tokens.sessionJwt,
        customClaims: { k: 'v' },
        refreshDuration: 120,
      });
      assert.equal(session.status, 200);
      const sp = await verify(session.body.jwt);
      assert.equal(sp.drn, 'DS');
      assert.equal(sp.k, 'v');
      assert.equal(lifetime(session.body.jwt), 120);
    });

    test('jwt/update refuses reserved and oversized claims, foreign and bad tokens', async () => {
      const tokens = await signIn(s, target.loginId);
      for (const claim of [
        'sub',
        'iss',
        'exp',
        'iat',
        'amr',
        'drn',
        'dct',
        'tenants',
        'roles',
        'permissions',
        'act',
      ]) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', {
          jwt: tokens.sessionJwt,
          customClaims: { [claim]: 'x' },
        });
        assert.equal(res.status, 400, claim);
        assert.equal(res.body.errorCode, 'E011004');
      }
      const big = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', {
        jwt: tokens.sessionJwt,
        customClaims: { blob: 'x'.repeat(9_000) },
      });
      assert.equal(big.status, 400);
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/jwt/update', { customClaims: {} })).status, 400);
      const notJwt = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', { jwt: 'not-a-jwt' });
      assert.equal(notJwt.status, 400);
      const negative = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', {
        jwt: tokens.sessionJwt,
        refreshDuration: -1,
      });
      assert.equal(negative.status, 400);

      // a token of another Latchkey project is refused
      const other = await startTestServer(store);
      try {
        await disableRateLimits(other);
        const foreign = await signIn(other, (await createUser(other, [])).loginId);
        const res = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', {
          jwt: foreign.sessionJwt,
          customClaims: {},
        });
        assert.equal(res.status, 401);
        assert.equal(res.body.errorCode, 'E061004');
      } finally {
        await other.close();
      }
      // a tampered token is refused
      const [h, p, sig] = tokens.sessionJwt.split('.');
      const forged = Buffer.from(JSON.stringify({ ...claims(tokens.sessionJwt), roles: ['admin'] })).toString(
        'base64url',
      );
      const tampered = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', { jwt: `${h}.${forged}.${sig}` });
      assert.equal(tampered.status, 401);
      assert.ok(p);
      // a logged-out session's refresh JWT is not revived by re-signing
      const loggedOut = await signIn(s, target.loginId);
      await call(s, 'POST', '/v1/auth/logout', { auth: `${s.project}:${loggedOut.refreshJwt}`, body: {} });
      const revived = await mgmt(s, 'POST', '/v1/mgmt/jwt/update', {
        jwt: loggedOut.refreshJwt,
        customClaims: { a: 1 },
      });
      assert.equal(revived.status, 401);
      assert.equal(revived.body.errorCode, 'E064001');
      const noKey = await call(s, 'POST', '/v1/mgmt/jwt/update', {
        auth: s.project,
        body: { jwt: tokens.sessionJwt },
      });
      assert.equal(noKey.status, 401);
    });

    test('impersonate: a refresh JWT of the target with act.sub = impersonator, a real revocable session', async () => {
      const res = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: admin.userId,
        loginId: target.loginId,
        validateConsent: false,
        customClaims: { reason: 'ticket-42' },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const payload = await verify(res.body.jwt);
      assert.equal(payload.drn, 'DSR');
      assert.equal(payload.sub, target.userId);
      assert.deepEqual(payload.act, { sub: admin.userId });
      assert.equal(payload.reason, 'ticket-42');

      // refresh keeps the actor in the new session
      const refreshed = await refresh(res.body.jwt);
      assert.equal(refreshed.status, 200);
      assert.deepEqual(claims(refreshed.body.sessionJwt).act, { sub: admin.userId });
      assert.equal(claims(refreshed.body.sessionJwt).sub, target.userId);

      // the audit trail names both sides (actor = impersonator, user = target)
      const audit = await mgmt<{ audits: Record<string, unknown>[]; total: number }>(
        s,
        'POST',
        '/v1/mgmt/audit/search',
        {
          actions: ['Impersonate'],
          userIds: [target.userId],
        },
      );
      assert.equal(audit.status, 200, JSON.stringify(audit.body));
      const event = audit.body.audits.find((e) => e.actorId === admin.userId);
      assert.ok(event, JSON.stringify(audit.body));
      assert.equal(event.userId, target.userId);
      const data = event.data as Record<string, unknown>;
      assert.deepEqual(data.impersonatorLoginIds, [admin.loginId]);
      assert.deepEqual(data.impersonatedLoginIds, [target.loginId]);
      assert.equal(audit.body.total, 1, 'one event, not also a generic one from the audit hook');

      // management logout of the target ends the impersonation session too
      assert.equal((await mgmt(s, 'POST', '/v1/mgmt/user/logout', { loginId: target.loginId })).status, 200);
      assert.equal((await refresh(res.body.jwt)).status, 401);
    });

    test('impersonate/stepup answers a session JWT; stop impersonation returns the actor and ends the session', async () => {
      const step = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/impersonate/stepup', {
        impersonatorId: admin.loginId,
        loginId: target.loginId,
      });
      assert.equal(step.status, 200, JSON.stringify(step.body));
      const sp = await verify(step.body.jwt);
      assert.equal(sp.drn, 'DS');
      assert.deepEqual(sp.act, { sub: admin.userId });

      const imp = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: admin.userId,
        loginId: target.loginId,
      });
      const stop = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/stop/impersonation', {
        jwt: imp.body.jwt,
        customClaims: { back: true },
      });
      assert.equal(stop.status, 200, JSON.stringify(stop.body));
      const back = await verify(stop.body.jwt);
      assert.equal(back.drn, 'DSR');
      assert.equal(back.sub, admin.userId);
      assert.equal(back.act, undefined);
      assert.equal(back.back, true);
      assert.equal((await refresh(stop.body.jwt)).status, 200, 'the actor session works');
      assert.equal((await refresh(imp.body.jwt)).status, 401, 'the impersonation session is over');

      const notImp = await mgmt(s, 'POST', '/v1/mgmt/stop/impersonation', {
        jwt: (await signIn(s, target.loginId)).refreshJwt,
      });
      assert.equal(notImp.status, 400);
    });

    test('the permission may come from the selected tenant; otherwise 403 E119101', async () => {
      const denied = await mgmt(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: plain.userId,
        loginId: target.loginId,
      });
      assert.equal(denied.status, 403);
      assert.equal(denied.body.errorCode, 'E119101');

      const noTenant = await mgmt(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: tenantAdmin.userId,
        loginId: target.loginId,
      });
      assert.equal(noTenant.status, 403, 'tenant permission needs the tenant selected');
      const inTenant = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: tenantAdmin.userId,
        loginId: target.loginId,
        selectedTenant: tenant,
      });
      assert.equal(inTenant.status, 200, JSON.stringify(inTenant.body));
      assert.equal(claims(inTenant.body.jwt).dct, tenant);

      // the target must be in the selected tenant
      const outsider = await createUser(s, []);
      const res = await mgmt(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: tenantAdmin.userId,
        loginId: outsider.loginId,
        selectedTenant: tenant,
      });
      assert.equal(res.status, 403);
      assert.equal(res.body.errorCode, 'E063101');

      // a tenant's impersonation permission does not reach a target who is also in another tenant
      const other = await createTenant(s);
      const twoTenants = await createUser(s, [tenant, other]);
      const across = await mgmt(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: tenantAdmin.userId,
        loginId: twoTenants.loginId,
        selectedTenant: tenant,
      });
      assert.equal(across.status, 403, JSON.stringify(across.body));
      assert.equal(across.body.errorCode, 'E119101');
      assert.match(String(across.body.errorMessage), new RegExp(other));
      const byProjectAdmin = await mgmt(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: admin.userId,
        loginId: twoTenants.loginId,
        selectedTenant: tenant,
      });
      assert.equal(byProjectAdmin.status, 200, 'the project-level permission reaches every tenant');
    });

    test('bad input: unknown users 404, consent 403, self and malformed 400', async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ impersonatorId: 'Unobody', loginId: target.loginId }, 404, 'E112102'],
        [{ impersonatorId: admin.userId, loginId: 'nobody@policy.test' }, 404, 'E112102'],
        [{ impersonatorId: admin.userId, loginId: target.loginId, validateConsent: true }, 403, 'E119102'],
        [{ impersonatorId: admin.userId, loginId: admin.loginId }, 400, 'E011004'],
        [{ impersonatorId: admin.userId }, 400, 'E011002'],
        [
          { impersonatorId: admin.userId, loginId: target.loginId, customClaims: { sub: 'x' } },
          400,
          'E011004',
        ],
        [{ impersonatorId: admin.userId, loginId: target.loginId, refreshDuration: 'long' }, 400, 'E011003'],
      ];
      const rowsBefore = await s.server.store.db
        .selectFrom('refresh_tokens')
        .select('jti')
        .where('user_id', '=', target.userId)
        .execute();
      for (const [body, status, code] of cases) {
        const res = await mgmt(s, 'POST', '/v1/mgmt/impersonate', body);
        assert.equal(res.status, status, `${JSON.stringify(body)} → ${JSON.stringify(res.body)}`);
        assert.equal(res.body.errorCode, code);
      }
      const rowsAfter = await s.server.store.db
        .selectFrom('refresh_tokens')
        .select('jti')
        .where('user_id', '=', target.userId)
        .execute();
      assert.equal(rowsAfter.length, rowsBefore.length, 'no session was created');
    });

    test('refreshDuration shortens the impersonation session', async () => {
      const res = await mgmt<{ jwt: string }>(s, 'POST', '/v1/mgmt/impersonate', {
        impersonatorId: admin.userId,
        loginId: target.loginId,
        refreshDuration: 900,
      });
      assert.equal(lifetime(res.body.jwt), 900);
    });
  });
}
