import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventsFor, type FinishedRequest, managementAction } from './actions.ts';

const req = (over: Partial<FinishedRequest>): FinishedRequest => ({
  method: 'POST',
  route: '/',
  params: {},
  status: 200,
  body: {},
  response: {},
  jwts: [],
  ...over,
});
const jwt = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;

test('sign-in family: success and failure, with the user from the answer and the reason of a failure', () => {
  const user = { userId: 'U1', loginIds: ['a@example.com'] };
  const good = eventsFor(
    req({ route: '/v1/auth/password/signin', response: { user, sessionJwt: jwt({ sub: 'U1', dct: 'T1' }) } }),
  );
  assert.deepEqual(
    good.map((e) => [e.action, e.method, e.userId, e.actorId, e.loginIds, e.tenants]),
    [['LoginSucceed', 'password', 'U1', 'U1', ['a@example.com'], ['T1']]],
  );
  const bad = eventsFor(
    req({
      route: '/v1/auth/otp/verify/:method',
      params: { method: 'email' },
      status: 401,
      body: { loginId: 'a@example.com', code: '123456' },
      response: { errorCode: 'E061102', errorDescription: 'Wrong or expired code' },
    }),
  );
  assert.equal(bad.length, 1);
  assert.equal(bad[0]!.action, 'LoginFailed');
  assert.equal(bad[0]!.type, 'warn');
  assert.deepEqual(bad[0]!.loginIds, ['a@example.com']);
  assert.deepEqual(bad[0]!.data, { error_code: 'E061102', error_message: 'Wrong or expired code' });
  assert.ok(!JSON.stringify(bad).includes('123456'));
});

test('enchanted links: a pending poll is not a failure; the session answer is the login', () => {
  const pending = req({
    route: '/v1/auth/enchantedlink/pending-session',
    status: 401,
    response: { errorCode: 'E062503' },
  });
  assert.deepEqual(eventsFor(pending), []);
  const done = req({ route: '/v1/auth/enchantedlink/pending-session', response: { user: { userId: 'U2' } } });
  assert.deepEqual(
    eventsFor(done).map((e) => [e.action, e.method]),
    [['LoginSucceed', 'enchantedlink']],
  );
});

test('logout takes the user from the verified refresh token; access keys are their own actor', () => {
  const out = eventsFor(req({ route: '/v1/auth/logout', jwts: [jwt({ sub: 'U3' })] }));
  assert.deepEqual(
    out.map((e) => [e.action, e.userId]),
    [['Logout', 'U3']],
  );
  const key = eventsFor(
    req({ route: '/v1/auth/accesskey/exchange', response: { keyId: 'K9', sessionJwt: jwt({ sub: 'K9' }) } }),
  );
  assert.deepEqual(
    key.map((e) => [e.action, e.method, e.actorId]),
    [['LoginSucceed', 'accesskey', 'K9']],
  );
});

test('routes added later are still covered: a session answer is a login, a refused sign-in a failure', () => {
  assert.deepEqual(
    eventsFor(req({ route: '/v1/auth/oauth/exchange', response: { sessionJwt: jwt({ sub: 'U4' }) } })).map(
      (e) => [e.action, e.method],
    ),
    [['LoginSucceed', 'oauth']],
  );
  assert.deepEqual(
    eventsFor(req({ route: '/v1/auth/saml/exchange', status: 401, response: { errorCode: 'E1' } })).map(
      (e) => e.action,
    ),
    ['LoginFailed'],
  );
});

test('management: names per route, reads and failures not recorded, only safe fields in data', () => {
  assert.equal(managementAction('/v1/mgmt/tenant/create'), 'TenantCreated');
  assert.equal(managementAction('/v1/mgmt/role/update'), 'RoleModified');
  assert.equal(managementAction('/v1/mgmt/accesskey/deactivate'), 'AccessKeyModified');
  assert.equal(managementAction('/v1/mgmt/user/update/email'), 'UserModified');
  assert.equal(managementAction('/v1/mgmt/user/create/batch'), 'UsersCreated');
  assert.equal(managementAction('/v1/mgmt/authz/ns/save'), 'AuthzSchemaModified');
  assert.equal(managementAction('/v1/mgmt/sso/settings'), 'SSOModified');
  assert.deepEqual(eventsFor(req({ route: '/v1/mgmt/tenant/search' })), []);
  assert.deepEqual(
    eventsFor(req({ route: '/v1/mgmt/authz/getmodified' })),
    [],
    'a getmodified poll is a read',
  );
  assert.equal(managementAction('/v1/mgmt/authz/re/deleteresourcesrelations'), 'AuthzRelationsDeleted');
  assert.deepEqual(eventsFor(req({ route: '/v1/mgmt/tenant', method: 'GET' })), []);
  assert.deepEqual(eventsFor(req({ route: '/v1/mgmt/tenant/create', status: 400 })), []);
  const [created] = eventsFor(
    req({
      route: '/v1/mgmt/user/create',
      body: { loginId: 'b@example.com', password: 'Secret-1', userTenants: [{ tenantId: 'T7' }] },
      response: { user: { userId: 'U5', loginIds: ['b@example.com'] } },
    }),
  );
  assert.equal(created!.action, 'UserCreated');
  assert.equal(created!.actorId, 'management');
  assert.equal(created!.userId, 'U5');
  assert.deepEqual(created!.tenants, ['T7']);
  assert.ok(!JSON.stringify(created).includes('Secret-1'));
  const [key] = eventsFor(
    req({
      route: '/v1/mgmt/accesskey/create',
      body: { name: 'ci' },
      response: { key: { id: 'K1' }, cleartext: 'sekrit' },
    }),
  );
  assert.deepEqual(key!.data, { path: '/v1/mgmt/accesskey/create', name: 'ci', createdId: 'K1' });
});
