import type { Http } from '../http.ts';
import { type AccessKeyApi, createAccessKeyApi } from './access-keys.ts';
import { type AuditApi, createAuditApi } from './audit.ts';
import { type AuthzApi, createAuthzApi } from './authz.ts';
import { type CustomAttributeApi, createCustomAttributeApi } from './custom-attributes.ts';
import { createFlowApi, createThemeApi, type FlowApi, type ThemeApi } from './flows.ts';
import { createJwtApi, type JwtApi } from './jwt.ts';
import { createPermissionApi, type PermissionApi } from './permissions.ts';
import { createProjectAdminApi, type ProjectAdminApi } from './project.ts';
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
  /** typed custom attribute definitions for users and tenants (docs/custom-attributes.md) */
  customAttribute: CustomAttributeApi;
  /** roles (reference §3.7) */
  role: RoleApi;
  /** permissions (reference §3.6) */
  permission: PermissionApi;
  /** password settings */
  password: PasswordSettingsApi;
  /** project settings (a Latchkey extension) and administration: rename, clone, snapshots, delete (reference §3.13) */
  project: ProjectSettingsApi & ProjectAdminApi;
  /** flows, stored as documents (reference §3.9) */
  flow: FlowApi;
  /** the project theme (reference §3.9) */
  theme: ThemeApi;
  /** codes and links for test users, for end-to-end tests (reference §3.3) */
  testUsers: TestUserApi;
  /** access keys for machines (reference §3.4); exchange them with `client.exchangeAccessKey` */
  accessKey: AccessKeyApi;
  /** relationship-based access control: schema and relations (reference §3.12) */
  authz: AuthzApi;
  /** JWT update and impersonation (reference §3.10) */
  jwt: JwtApi;
  /** the audit trail: search and custom events (reference §3.11) */
  audit: AuditApi;
};

export function createManagementApi(http: Http): ManagementApi {
  return {
    tenant: createTenantApi(http),
    user: createUserApi(http),
    customAttribute: createCustomAttributeApi(http),
    role: createRoleApi(http),
    permission: createPermissionApi(http),
    password: createPasswordSettingsApi(http),
    project: { ...createProjectSettingsApi(http), ...createProjectAdminApi(http) },
    flow: createFlowApi(http),
    theme: createThemeApi(http),
    testUsers: createTestUserApi(http),
    accessKey: createAccessKeyApi(http),
    authz: createAuthzApi(http),
    jwt: createJwtApi(http),
    audit: createAuditApi(http),
  };
}
