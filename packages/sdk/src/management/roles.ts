import type { Http } from '../http.ts';
import type { Role } from '../types.ts';

/**
 * Optional role fields (reference §3.7). A role with `tenantId` exists only inside that tenant.
 *
 * @example
 * ```ts
 * const options: RoleOptions = { description: 'Can edit', permissionNames: ['docs.write'], tenantId: 'acme' };
 * ```
 */
export type RoleOptions = {
  description?: string;
  permissionNames?: string[];
  tenantId?: string;
  /** given to every new user signing up */
  default?: boolean;
  private?: boolean;
};

/**
 * Role search filters; every given filter must match.
 *
 * @example
 * ```ts
 * const roles = await client.management.role.search({ roleNameLike: 'admin', tenantIds: ['acme'] });
 * ```
 */
export type RoleSearch = {
  roleNames?: string[];
  /** case-insensitive "contains" */
  roleNameLike?: string;
  tenantIds?: string[];
  /** roles granting any of these permissions */
  permissionNames?: string[];
  /** with `tenantIds`: include project roles too */
  includeProjectRoles?: boolean;
};

/**
 * Role management (reference §3.7). A role is identified by its name and tenant id.
 *
 * @example
 * ```ts
 * await client.management.role.create('editor', { permissionNames: ['docs.write'] });
 * ```
 */
export type RoleApi = {
  /**
   * Creates a role; its permissions must exist (`E115101` otherwise).
   *
   * @example
   * ```ts
   * await client.management.role.create('editor', { description: 'Edits documents', permissionNames: ['docs.write'] });
   * ```
   */
  create(name: string, options?: RoleOptions): Promise<void>;
  /**
   * Replaces a role (options left out are cleared); renaming follows through to users holding it.
   *
   * @example
   * ```ts
   * await client.management.role.update('editor', 'writer', { permissionNames: ['docs.write'] });
   * ```
   */
  update(name: string, newName: string, options?: RoleOptions): Promise<void>;
  /**
   * Deletes a role (give the tenant id for a tenant role) and takes it from every user.
   *
   * @example
   * ```ts
   * await client.management.role.delete('writer');
   * ```
   */
  delete(name: string, tenantId?: string): Promise<void>;
  /**
   * Loads every role, tenant roles included.
   *
   * @example
   * ```ts
   * const roles = await client.management.role.loadAll();
   * ```
   */
  loadAll(): Promise<Role[]>;
  /**
   * Searches roles.
   *
   * @example
   * ```ts
   * const roles = await client.management.role.search({ permissionNames: ['docs.write'] });
   * ```
   */
  search(query: RoleSearch): Promise<Role[]>;
};

export function createRoleApi(http: Http): RoleApi {
  const post = async (path: string, body: unknown) => {
    await http.request('POST', path, { auth: 'management', body });
  };
  return {
    create: (name, options = {}) => post('/v1/mgmt/role/create', { ...options, name }),
    update: (name, newName, options = {}) => post('/v1/mgmt/role/update', { ...options, name, newName }),
    delete: (name, tenantId) => post('/v1/mgmt/role/delete', { name, tenantId }),
    loadAll: async () =>
      (await http.request<{ roles: Role[] }>('GET', '/v1/mgmt/role/all', { auth: 'management' })).roles,
    search: async (query) =>
      (
        await http.request<{ roles: Role[] }>('POST', '/v1/mgmt/role/search', {
          auth: 'management',
          body: query,
        })
      ).roles,
  };
}
