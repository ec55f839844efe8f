import type { Http } from '../http.ts';

/**
 * The answer of a clone: the new project, and its own management key, shown once.
 *
 * @example
 * ```ts
 * const clone: ClonedProject = await client.management.project.clone('Staging');
 * const staging = createLatchkeyClient({ projectId: clone.projectId, baseUrl, managementKey: clone.managementKey });
 * ```
 */
export type ClonedProject = {
  projectId: string;
  projectName: string;
  environment: string;
  tags: string[];
  /** the clone's management key: store it now, the server keeps only its hash */
  managementKey: string;
};

/**
 * A project snapshot: file name → JSON document (`project.json`, `settings.json`, `roles.json`,
 * `permissions.json`, `flows/<id>.json`, `theme.json`, `authz.json`). See docs/projects.md.
 *
 * @example
 * ```ts
 * const files: SnapshotFiles = await client.management.project.exportSnapshot();
 * ```
 */
export type SnapshotFiles = Record<string, unknown>;

/**
 * Snapshot import options.
 *
 * @example
 * ```ts
 * await client.management.project.importSnapshot(files, { excludes: ['settings'] });
 * ```
 */
export type SnapshotImportOptions = {
  /** parts to leave alone: `settings`, `permissions`, `roles`, `flows`, `theme`, `authz` */
  excludes?: string[];
};

/**
 * The result of validating a snapshot.
 *
 * @example
 * ```ts
 * const { ok, failures } = await client.management.project.validateSnapshot(files);
 * if (!ok) console.error(failures);
 * ```
 */
export type SnapshotValidation = { ok: boolean; failures?: string[] };

/**
 * Project administration (reference §3.13): rename, clone, snapshots, delete. Every call acts on the project
 * of the client's management key.
 *
 * @example
 * ```ts
 * const files = await client.management.project.exportSnapshot();
 * await other.management.project.importSnapshot(files);
 * ```
 */
export type ProjectAdminApi = {
  /**
   * Renames the project.
   *
   * @example
   * ```ts
   * await client.management.project.updateName('Production');
   * ```
   */
  updateName(name: string): Promise<void>;
  /**
   * Creates a new project with this project's configuration (settings, roles, permissions, flows, theme,
   * authz schema) and its own signing keys and management key; never users, tenants or access keys.
   *
   * @example
   * ```ts
   * const { projectId, managementKey } = await client.management.project.clone('Staging', { tags: ['eu'] });
   * ```
   */
  clone(name: string, options?: { environment?: 'production'; tags?: string[] }): Promise<ClonedProject>;
  /**
   * Exports the project's configuration as snapshot files (no users, no secrets).
   *
   * @example
   * ```ts
   * const files = await client.management.project.exportSnapshot();
   * ```
   */
  exportSnapshot(): Promise<SnapshotFiles>;
  /**
   * Imports snapshot files: all checked first, then applied in one transaction. A snapshot from a newer
   * Latchkey is refused (`E122102`), an invalid one too (`E122101`); either way nothing changes.
   *
   * @example
   * ```ts
   * await client.management.project.importSnapshot(files);
   * ```
   */
  importSnapshot(files: SnapshotFiles, options?: SnapshotImportOptions): Promise<void>;
  /**
   * Checks snapshot files without importing them.
   *
   * @example
   * ```ts
   * const { ok } = await client.management.project.validateSnapshot(files);
   * ```
   */
  validateSnapshot(files: SnapshotFiles, options?: SnapshotImportOptions): Promise<SnapshotValidation>;
  /**
   * Deletes the project and everything in it. Its keys stop working at once.
   *
   * @example
   * ```ts
   * await client.management.project.delete();
   * ```
   */
  delete(): Promise<void>;
};

export function createProjectAdminApi(http: Http): ProjectAdminApi {
  const post = <T>(path: string, body: unknown) =>
    http.request<T>('POST', path, { auth: 'management', body });
  return {
    async updateName(name) {
      await post('/v1/mgmt/project/update/name', { name });
    },
    clone: (name, options = {}) => post('/v1/mgmt/project/clone', { name, ...options }),
    async exportSnapshot() {
      return (await post<{ files: SnapshotFiles }>('/v1/mgmt/project/snapshot/export', {})).files;
    },
    async importSnapshot(files, options = {}) {
      await post('/v1/mgmt/project/snapshot/import', { files, ...options });
    },
    validateSnapshot: (files, options = {}) =>
      post('/v1/mgmt/project/snapshot/validate', { files, ...options }),
    async delete() {
      await post('/v1/mgmt/project/delete', {});
    },
  };
}
