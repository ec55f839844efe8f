import type { Http } from '../http.ts';
import { type AccessKeyApi, createAccessKeyApi } from './access-keys.ts';
import { type AuthzApi, createAuthzApi } from './authz.ts';
import { createPermissionApi, type PermissionApi } from './permissions.ts';
import { createRoleApi, type RoleApi } from './roles.ts';
import {
  createPasswordSettingsApi,
  createProjectSettingsApi,
  type PasswordSettingsApi,
  type ProjectSettingsApi,
} from './settings.ts';
import { createTenantApi, type TenantApi } from './tenants.ts';
import { createTestUserApi, type TestUserApi } from './test-users.ts';
import { createUserApi, type UserApi } from './users.ts';

/**
 * The management API, authorized by the client's management key (`Bearer <projectId>:<managementKey>`).
 * Calling it on a client created without `managementKey` throws a `TypeError` before any request.
 *
 * @example
 * ```ts
 * const client = createLatchkeyClient({ projectId, baseUrl, managementKey: process.env.LATCHKEY_MANAGEMENT_KEY });
 * const tenants = await client.management.tenant.loadAll();
 * ```
 */
export type ManagementApi = {
  /** tenants (reference §3.1) */
  tenant: TenantApi;
  /** users (reference §3.2) */
  user: UserApi;
  /** roles (reference §3.7) */
  role: RoleApi;
  /** permissions (reference §3.6) */
  permission: PermissionApi;
  /** password settings */
  password: PasswordSettingsApi;
  /** Latchkey project settings (session lifetimes, rotation, signing algorithm, rate limits, codes and links) */
  project: ProjectSettingsApi;
  /** codes and links for test users, for end-to-end tests (reference §3.3) */
  testUsers: TestUserApi;
  /** access keys for machines (reference §3.4); exchange them with `client.exchangeAccessKey` */
  accessKey: AccessKeyApi;
  /** relationship-based access control: schema and relations (reference §3.12) */
  authz: AuthzApi;
};

export function createManagementApi(http: Http): ManagementApi {
  return {
    tenant: createTenantApi(http),
    user: createUserApi(http),
    role: createRoleApi(http),
    permission: createPermissionApi(http),
    password: createPasswordSettingsApi(http),
    project: createProjectSettingsApi(http),
    testUsers: createTestUserApi(http),
    accessKey: createAccessKeyApi(http),
    authz: createAuthzApi(http),
  };
}
