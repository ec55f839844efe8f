import assert from 'node:assert/strict';
import { randomBase62 } from '../../src/util.ts';
import { call, mgmt, type TestServer } from '../support/server.ts';

export type Jwt = { sessionJwt: string; refreshJwt: string; user: { userId: string } };
export const PASSWORD = 'Tenant-Polic1es';
export const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
/** exp − iat of a JWT, in seconds */
export const lifetime = (jwt: string): number => {
  const c = claims(jwt);
  return (c.exp as number) - (c.iat as number);
};
export const uid = (prefix: string): string => `${prefix}${randomBase62(8).toLowerCase()}`;

export async function createTenant(s: TestServer, settings?: Record<string, unknown>): Promise<string> {
  const res = await mgmt<{ id: string }>(s, 'POST', '/v1/mgmt/tenant/create', { name: uid('Tenant ') });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  if (settings) {
    const set = await mgmt(s, 'POST', '/v1/mgmt/tenant/settings', { tenantId: res.body.id, ...settings });
    assert.equal(set.status, 200, JSON.stringify(set.body));
  }
  return res.body.id;
}

/** A user with a password in the given tenants (and optional project roles). */
export async function createUser(
  s: TestServer,
  tenantIds: string[],
  roleNames: string[] = [],
): Promise<{ loginId: string; userId: string }> {
  const loginId = `${uid('u')}@policy.test`;
  const res = await mgmt<{ user: { userId: string } }>(s, 'POST', '/v1/mgmt/user/create', {
    loginId,
    email: loginId,
    roleNames,
    userTenants: tenantIds.map((tenantId) => ({ tenantId })),
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const pw = await mgmt(s, 'POST', '/v1/mgmt/user/password/set/active', { loginId, password: PASSWORD });
  assert.equal(pw.status, 200, JSON.stringify(pw.body));
  return { loginId, userId: res.body.user.userId };
}

export async function signIn(s: TestServer, loginId: string): Promise<Jwt> {
  const res = await call<Jwt>(s, 'POST', '/v1/auth/password/signin', {
    auth: s.project,
    body: { loginId, password: PASSWORD },
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body;
}

export async function disableRateLimits(s: TestServer): Promise<void> {
  const res = await mgmt(s, 'POST', '/v1/mgmt/project/settings', { rateLimits: { enabled: false } });
  assert.equal(res.status, 200, JSON.stringify(res.body));
}
