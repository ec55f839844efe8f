import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  getMatchedPermissions,
  getMatchedRoles,
  getSelectedTenant,
  getTenants,
  isUserInTenant,
  validatePermissions,
  validateRoles,
  validateTenantPermissions,
  validateTenantRoles,
} from './authorization.ts';
import type { AuthenticationInfo, SessionClaims } from './types.ts';

const claims: SessionClaims = {
  sub: 'U1',
  iss: 'P1',
  exp: 0,
  roles: ['admin', 'viewer'],
  permissions: ['read', 'write'],
  tenants: {
    acme: { roles: ['editor'], permissions: ['docs.write'] },
    globex: { roles: [], permissions: [] },
  },
};
const info: AuthenticationInfo = { jwt: 'x.y.z', token: claims };

describe('role and permission checks', () => {
  test('project level: all requested items must be present', () => {
    assert.equal(validateRoles(claims, ['admin']), true);
    assert.equal(validateRoles(claims, ['admin', 'viewer']), true);
    assert.equal(validateRoles(claims, ['admin', 'owner']), false);
    assert.equal(validatePermissions(claims, ['read', 'write']), true);
    assert.equal(validatePermissions(claims, ['delete']), false);
    assert.equal(validateRoles(claims, []), true, 'nothing required is always met');
  });

  test('accepts an AuthenticationInfo as well as bare claims', () => {
    assert.equal(validateRoles(info, ['admin']), true);
    assert.equal(validateRoles(info, ['editor']), false, 'tenant roles are not project roles');
    assert.deepEqual(getTenants(info), ['acme', 'globex']);
  });

  test('with a tenant: reads tenants[tenant], never the project-level claims', () => {
    assert.equal(validateRoles(claims, ['editor'], 'acme'), true);
    assert.equal(validateRoles(claims, ['admin'], 'acme'), false);
    assert.equal(validatePermissions(claims, ['docs.write'], 'acme'), true);
    assert.equal(validatePermissions(claims, ['read'], 'acme'), false);
    assert.equal(validateTenantRoles(claims, 'acme', ['editor']), true);
    assert.equal(validateTenantPermissions(claims, 'acme', ['docs.write']), true);
    assert.equal(validateTenantPermissions(claims, 'globex', ['docs.write']), false);
  });

  test('a tenant the user is not in fails, even when nothing is required', () => {
    assert.equal(validateRoles(claims, [], 'initech'), false);
    assert.equal(validateTenantPermissions(claims, 'initech', []), false);
    assert.deepEqual(getMatchedRoles(claims, ['editor'], 'initech'), []);
  });

  test('dct fallback: a tenant missing from `tenants` but selected uses the top-level claims', () => {
    const scoped: SessionClaims = {
      sub: 'U1',
      iss: 'P1',
      exp: 0,
      dct: 'acme',
      roles: ['editor'],
      permissions: ['docs.write'],
    };
    assert.equal(validateRoles(scoped, ['editor'], 'acme'), true);
    assert.equal(validateTenantPermissions(scoped, 'acme', ['docs.write']), true);
    assert.equal(validateRoles(scoped, ['editor'], 'globex'), false, 'only for the selected tenant');
    const listed: SessionClaims = { ...claims, dct: 'acme' };
    assert.equal(validateRoles(listed, ['admin'], 'acme'), false, 'a tenant entry wins over the fallback');
  });

  test('matched roles and permissions', () => {
    assert.deepEqual(getMatchedRoles(claims, ['admin', 'owner', 'viewer']), ['admin', 'viewer']);
    assert.deepEqual(getMatchedPermissions(claims, ['docs.write', 'read'], 'acme'), ['docs.write']);
  });

  test('a single string claim counts as a one-item list (Ruby SDK leniency); junk counts as none', () => {
    const odd = {
      sub: 'U1',
      iss: 'P1',
      exp: 0,
      roles: 'admin',
      permissions: 42,
      tenants: ['not-a-map'],
    } as unknown as SessionClaims;
    assert.equal(validateRoles(odd, ['admin']), true);
    assert.equal(validatePermissions(odd, ['read']), false);
    assert.deepEqual(getTenants(odd), []);
  });

  test('tenant membership and the selected tenant', () => {
    assert.equal(isUserInTenant(claims, 'acme'), true);
    assert.equal(isUserInTenant(claims, 'initech'), false);
    assert.equal(isUserInTenant(claims, 'toString'), false, 'prototype keys are not tenants');
    assert.equal(getSelectedTenant(claims), undefined);
    assert.equal(getSelectedTenant({ ...claims, dct: 'acme' }), 'acme');
  });
});
