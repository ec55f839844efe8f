import type { Http } from '../http.ts';
import type { Permission } from '../types.ts';

/**
 * Permission management (reference §3.6).
 *
 * @example
 * ```ts
 * await client.management.permission.create('docs.write', 'Edit documents');
 * ```
 */
export type PermissionApi = {
  /**
   * Creates a permission; a taken name → `E115102`.
   *
   * @example
   * ```ts
   * await client.management.permission.create('docs.read', 'Read documents');
   * ```
   */
  create(name: string, description?: string): Promise<void>;
  /**
   * Renames a permission and replaces its description; roles granting it follow the rename.
   *
   * @example
   * ```ts
   * await client.management.permission.update('docs.read', 'documents.read', 'Read documents');
   * ```
   */
  update(name: string, newName: string, description?: string): Promise<void>;
  /**
   * Deletes a permission and removes it from every role.
   *
   * @example
   * ```ts
   * await client.management.permission.delete('documents.read');
   * ```
   */
  delete(name: string): Promise<void>;
  /**
   * Loads every permission.
   *
   * @example
   * ```ts
   * const permissions = await client.management.permission.loadAll();
   * ```
   */
  loadAll(): Promise<Permission[]>;
};

export function createPermissionApi(http: Http): PermissionApi {
  const post = async (path: string, body: unknown) => {
    await http.request('POST', path, { auth: 'management', body });
  };
  return {
    create: (name, description) => post('/v1/mgmt/permission/create', { name, description }),
    update: (name, newName, description) =>
      post('/v1/mgmt/permission/update', { name, newName, description }),
    delete: (name) => post('/v1/mgmt/permission/delete', { name }),
    loadAll: async () =>
      (
        await http.request<{ permissions: Permission[] }>('GET', '/v1/mgmt/permission/all', {
          auth: 'management',
        })
      ).permissions,
  };
}
