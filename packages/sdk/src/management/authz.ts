import type { Http } from '../http.ts';

/**
 * A leaf of a relation definition's expression tree (reference §4.11): `self` (direct relations),
 * `targetSet` (everyone with another relation on the same resource), `relationLeft` / `relationRight`
 * (follow a relation such as `parent` to another resource).
 *
 * @example
 * ```ts
 * const inherited: AuthzNodeExpression = {
 *   neType: 'relationRight',
 *   relationDefinition: 'parent',
 *   relationDefinitionNamespace: 'doc',
 *   targetRelationDefinition: 'viewer',
 *   targetRelationDefinitionNamespace: 'folder',
 * };
 * ```
 */
export type AuthzNodeExpression = {
  neType: 'self' | 'targetSet' | 'relationLeft' | 'relationRight';
  relationDefinition?: string;
  relationDefinitionNamespace?: string;
  targetRelationDefinition?: string;
  targetRelationDefinitionNamespace?: string;
};

/**
 * A node of a relation definition's expression tree: a `child` holds an expression, `union`,
 * `intersect` and `sub` combine their children.
 *
 * @example
 * ```ts
 * const ownerOrSelf: AuthzNode = { nType: 'union', children: [{ nType: 'child', expression: { neType: 'self' } }] };
 * ```
 */
export type AuthzNode = {
  nType: 'child' | 'union' | 'intersect' | 'sub';
  children?: AuthzNode[];
  expression?: AuthzNodeExpression;
};

/**
 * A relation definition of a namespace; without `complexDefinition` only direct relations count.
 *
 * @example
 * ```ts
 * const parent: AuthzRelationDefinition = { name: 'parent' };
 * ```
 */
export type AuthzRelationDefinition = { name: string; complexDefinition?: AuthzNode };

/**
 * A namespace: a kind of resource (`doc`, `folder`) and the relations it has.
 *
 * @example
 * ```ts
 * const doc: AuthzNamespace = { name: 'doc', relationDefinitions: [{ name: 'owner' }, { name: 'viewer' }] };
 * ```
 */
export type AuthzNamespace = { name: string; relationDefinitions: AuthzRelationDefinition[] };

/**
 * The project's ReBAC schema.
 *
 * @example
 * ```ts
 * const schema: AuthzSchema = { name: 'Files', namespaces: [{ name: 'doc', relationDefinitions: [{ name: 'owner' }] }] };
 * ```
 */
export type AuthzSchema = { name?: string; namespaces: AuthzNamespace[] };

/**
 * A relation: `target` has `relationDefinition` on `resource` (of `namespace`); or, instead of a target,
 * everyone holding `targetSetRelationDefinition` on `targetSetResource` does.
 *
 * @example
 * ```ts
 * const relation: AuthzRelation = { resource: 'doc1', relationDefinition: 'owner', namespace: 'doc', target: 'u1' };
 * ```
 */
export type AuthzRelation = {
  resource: string;
  relationDefinition: string;
  namespace: string;
  target?: string;
  targetSetResource?: string;
  targetSetRelationDefinition?: string;
  targetSetRelationDefinitionNamespace?: string;
};

/**
 * A relation check; the answer adds `hasRelation`.
 *
 * @example
 * ```ts
 * const query: AuthzRelationQuery = { resource: 'doc1', relationDefinition: 'viewer', namespace: 'doc', target: 'u1' };
 * ```
 */
export type AuthzRelationQuery = {
  resource: string;
  relationDefinition: string;
  namespace: string;
  target: string;
  hasRelation?: boolean;
};

/**
 * What changed since a time (`getModified`): the distinct resources and targets of every relation created or
 * deleted since then (a target-set relation counts its target-set resource as the target), and whether the
 * schema changed. See docs/authz.md "Changes since a time".
 *
 * @example
 * ```ts
 * const { resources, targets, schemaChanged } = await client.management.authz.getModified(new Date(Date.now() - 60_000));
 * ```
 */
export type AuthzModified = { resources: string[]; targets: string[]; schemaChanged: boolean };

/**
 * Relationship-based access control (ReBAC, reference §3.12): a schema of namespaces and relation
 * definitions, relations between resources and targets, and checks that follow the schema. An unknown
 * relation definition → 400 `E116102` (`ERROR_CODES.authzUnknownRelation`); an invalid schema `E116101`.
 *
 * @example
 * ```ts
 * await client.management.authz.createRelations([
 *   { resource: 'doc1', relationDefinition: 'owner', namespace: 'doc', target: 'u1' },
 * ]);
 * const [check] = await client.management.authz.hasRelations([
 *   { resource: 'doc1', relationDefinition: 'viewer', namespace: 'doc', target: 'u1' },
 * ]);
 * ```
 */
export type AuthzApi = {
  /**
   * Saves the schema. With `upgrade: true` it replaces the current one (namespaces not listed are removed);
   * without it, the given namespaces replace theirs and the others stay. Relations the new schema no longer
   * defines are deleted.
   *
   * @example
   * ```ts
   * await client.management.authz.saveSchema(schema, true);
   * ```
   */
  saveSchema(schema: AuthzSchema, upgrade?: boolean): Promise<void>;
  /**
   * Deletes the schema and every relation.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteSchema();
   * ```
   */
  deleteSchema(): Promise<void>;
  /**
   * Loads the schema (`{ namespaces: [] }` when none was saved).
   *
   * @example
   * ```ts
   * const { namespaces } = await client.management.authz.loadSchema();
   * ```
   */
  loadSchema(): Promise<AuthzSchema>;
  /**
   * Creates or replaces a namespace; with `oldName`, renames it (relations follow).
   *
   * @example
   * ```ts
   * await client.management.authz.saveNamespace({ name: 'team', relationDefinitions: [{ name: 'member' }] });
   * ```
   */
  saveNamespace(namespace: AuthzNamespace, oldName?: string, schemaName?: string): Promise<void>;
  /**
   * Deletes a namespace and its relations.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteNamespace('team');
   * ```
   */
  deleteNamespace(name: string, schemaName?: string): Promise<void>;
  /**
   * Creates or replaces a relation definition of `namespace`; with `oldName`, renames it (relations follow).
   *
   * @example
   * ```ts
   * await client.management.authz.saveRelationDefinition({ name: 'commenter' }, 'doc');
   * ```
   */
  saveRelationDefinition(
    relationDefinition: AuthzRelationDefinition,
    namespace: string,
    oldName?: string,
    schemaName?: string,
  ): Promise<void>;
  /**
   * Deletes a relation definition and its relations.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteRelationDefinition('commenter', 'doc');
   * ```
   */
  deleteRelationDefinition(name: string, namespace: string, schemaName?: string): Promise<void>;
  /**
   * Creates relations; each must name a relation definition of the schema.
   *
   * @example
   * ```ts
   * await client.management.authz.createRelations([
   *   { resource: 'doc1', relationDefinition: 'parent', namespace: 'doc', target: 'folder1' },
   * ]);
   * ```
   */
  createRelations(relations: AuthzRelation[]): Promise<void>;
  /**
   * Deletes exactly these relations.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteRelations([
   *   { resource: 'doc1', relationDefinition: 'owner', namespace: 'doc', target: 'u1' },
   * ]);
   * ```
   */
  deleteRelations(relations: AuthzRelation[]): Promise<void>;
  /**
   * Deletes every relation whose resource, target or target-set resource is one of these ids.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteRelationsForResources(['doc1', 'doc2']);
   * ```
   */
  deleteRelationsForResources(resources: string[]): Promise<void>;
  /**
   * Deletes every relation whose resource is one of these ids; unlike `deleteRelationsForResources`, relations
   * where an id is only the target (or the target-set resource) stay.
   *
   * @example
   * ```ts
   * await client.management.authz.deleteResourceRelationsForResources(['doc1']);
   * ```
   */
  deleteResourceRelationsForResources(resources: string[]): Promise<void>;
  /**
   * What changed at or after `since` (a Date; omitted: the server's whole 30-day change log). A `since` older
   * than the log, in the future, or more than 10,000 changed resources or targets → 400 `E011004`
   * (`ERROR_CODES.invalidArguments`): reload the relations you need instead.
   *
   * @example
   * ```ts
   * const since = new Date();
   * // ... later
   * const changed = await client.management.authz.getModified(since);
   * if (changed.schemaChanged) dropEverything();
   * else for (const resource of changed.resources) drop(resource);
   * ```
   */
  getModified(since?: Date): Promise<AuthzModified>;
  /**
   * Checks relations, following the schema (parents, target sets); answers the queries with `hasRelation`.
   *
   * @example
   * ```ts
   * const [{ hasRelation }] = await client.management.authz.hasRelations([
   *   { resource: 'doc1', relationDefinition: 'viewer', namespace: 'doc', target: 'u1' },
   * ]);
   * ```
   */
  hasRelations(relationQueries: AuthzRelationQuery[]): Promise<Required<AuthzRelationQuery>[]>;
  /**
   * The targets that have `relationDefinition` on `resource`, directly or through the schema.
   *
   * @example
   * ```ts
   * const viewers = await client.management.authz.whoCanAccess('doc1', 'viewer', 'doc');
   * ```
   */
  whoCanAccess(resource: string, relationDefinition: string, namespace: string): Promise<string[]>;
  /**
   * The relations stored on a resource (direct ones only).
   *
   * @example
   * ```ts
   * const relations = await client.management.authz.resourceRelations('doc1');
   * ```
   */
  resourceRelations(resource: string, ignoreTargetSetRelations?: boolean): Promise<AuthzRelation[]>;
  /**
   * The relations stored with these targets (direct ones only).
   *
   * @example
   * ```ts
   * const relations = await client.management.authz.targetsRelations(['u1', 'u2']);
   * ```
   */
  targetsRelations(targets: string[], includeTargetSetRelations?: boolean): Promise<AuthzRelation[]>;
  /**
   * Every relation `target` has, directly or through the schema.
   *
   * @example
   * ```ts
   * const relations = await client.management.authz.whatCanTargetAccess('u1');
   * ```
   */
  whatCanTargetAccess(target: string): Promise<AuthzRelation[]>;
  /**
   * The resources on which `target` has `relationDefinition`, directly or through the schema.
   *
   * @example
   * ```ts
   * const docs = await client.management.authz.whatCanTargetAccessWithRelation('u1', 'viewer', 'doc');
   * ```
   */
  whatCanTargetAccessWithRelation(
    target: string,
    relationDefinition: string,
    namespace: string,
  ): Promise<string[]>;
};

export function createAuthzApi(http: Http): AuthzApi {
  const post = <T = unknown>(path: string, body: unknown) =>
    http.request<T>('POST', `/v1/mgmt/authz/${path}`, { auth: 'management', body });
  const done = async (path: string, body: unknown) => {
    await post(path, body);
  };
  return {
    saveSchema: (schema, upgrade = false) => done('schema/save', { schema, upgrade }),
    deleteSchema: () => done('schema/delete', {}),
    loadSchema: async () => (await post<{ schema: AuthzSchema }>('schema/load', {})).schema,
    saveNamespace: (namespace, oldName, schemaName) => done('ns/save', { namespace, oldName, schemaName }),
    deleteNamespace: (name, schemaName) => done('ns/delete', { name, schemaName }),
    saveRelationDefinition: (relationDefinition, namespace, oldName, schemaName) =>
      done('rd/save', { relationDefinition, namespace, oldName, schemaName }),
    deleteRelationDefinition: (name, namespace, schemaName) =>
      done('rd/delete', { name, namespace, schemaName }),
    createRelations: (relations) => done('re/create', { relations }),
    deleteRelations: (relations) => done('re/delete', { relations }),
    deleteRelationsForResources: (resources) => done('re/deleteresources', { resources }),
    deleteResourceRelationsForResources: (resources) => done('re/deleteresourcesrelations', { resources }),
    getModified: (since) => post<AuthzModified>('getmodified', { since: since ? since.getTime() : 0 }),
    hasRelations: async (relationQueries) =>
      (await post<{ relationQueries: Required<AuthzRelationQuery>[] }>('re/has', { relationQueries }))
        .relationQueries,
    whoCanAccess: async (resource, relationDefinition, namespace) =>
      (await post<{ targets: string[] }>('re/who', { resource, relationDefinition, namespace })).targets,
    resourceRelations: async (resource, ignoreTargetSetRelations = false) =>
      (await post<{ relations: AuthzRelation[] }>('re/resource', { resource, ignoreTargetSetRelations }))
        .relations,
    targetsRelations: async (targets, includeTargetSetRelations = false) =>
      (await post<{ relations: AuthzRelation[] }>('re/targets', { targets, includeTargetSetRelations }))
        .relations,
    whatCanTargetAccess: async (target) =>
      (await post<{ relations: AuthzRelation[] }>('re/targetall', { target })).relations,
    whatCanTargetAccessWithRelation: async (target, relationDefinition, namespace) =>
      (
        await post<{ resources: string[] }>('re/targetwithrelation', {
          target,
          relationDefinition,
          namespace,
        })
      ).resources,
  };
}
