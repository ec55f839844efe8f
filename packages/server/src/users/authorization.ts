import type { Db } from '../store/db.ts';
import { parseJson, unique } from '../util.ts';
import type { UserRecord } from './repo.ts';

export type TenantClaims = Record<string, { roles: string[]; permissions: string[] }>;
export type AuthorizationClaims = { roles: string[]; permissions: string[]; tenants: TenantClaims };

/**
 * The `roles`, `permissions` and `tenants` claims, read fresh from the store on every issue and refresh,
 * so a change to a user's roles shows in the next JWT. A tenant role name resolves to the tenant's own
 * role first, then to the project role of that name.
 */
export async function authorizationClaims(db: Db, user: UserRecord): Promise<AuthorizationClaims> {
  return authorizationClaimsFor(db, user.projectId, user.roleNames, user.tenants);
}

/**
 * The same claims for any principal holding project roles and per-tenant roles (a user, an access key).
 * A tenant role name resolves to the tenant's own role first, then to the project role of that name.
 */
export async function authorizationClaimsFor(
  db: Db,
  projectId: string,
  roleNames: readonly string[],
  memberships: readonly { tenantId: string; roleNames: readonly string[] }[],
): Promise<AuthorizationClaims> {
  const tenantIds = memberships.map((t) => t.tenantId);
  // No role anywhere: nothing to resolve, so the roles table is not read.
  const roles =
    roleNames.length === 0 && memberships.every((t) => t.roleNames.length === 0)
      ? []
      : await db
          .selectFrom('roles')
          .select(['tenant_id', 'name', 'permission_names_json'])
          .where('project_id', '=', projectId)
          .where('tenant_id', 'in', ['', ...tenantIds])
          .execute();
  const permissionsOf = (tenantId: string, roleName: string): string[] => {
    const role =
      roles.find((r) => r.tenant_id === tenantId && r.name === roleName) ??
      roles.find((r) => r.tenant_id === '' && r.name === roleName);
    return role ? parseJson<string[]>(role.permission_names_json, []) : [];
  };
  const tenants: TenantClaims = {};
  for (const t of memberships) {
    tenants[t.tenantId] = {
      roles: [...t.roleNames],
      permissions: unique(t.roleNames.flatMap((r) => permissionsOf(t.tenantId, r))),
    };
  }
  return {
    roles: [...roleNames],
    permissions: unique(roleNames.flatMap((r) => permissionsOf('', r))),
    tenants,
  };
}
