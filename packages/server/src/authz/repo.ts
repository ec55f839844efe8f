import type { Db } from '../store/db.ts';
import type { AuthzRelationsTable } from '../store/schema.ts';
import { nowSeconds, parseJson } from '../util.ts';
import type { RelationSource } from './evaluator.ts';
import type { AuthzSchema, StoredRelation } from './types.ts';

const columns = [
  'namespace',
  'resource',
  'relation_definition',
  'target',
  'target_set_resource',
  'target_set_relation_definition',
  'target_set_namespace',
] as const;

type Row = Pick<AuthzRelationsTable, (typeof columns)[number]>;

const fromRow = (r: Row): StoredRelation => ({
  namespace: r.namespace,
  resource: r.resource,
  relationDefinition: r.relation_definition,
  target: r.target,
  targetSetResource: r.target_set_resource,
  targetSetRelationDefinition: r.target_set_relation_definition,
  targetSetNamespace: r.target_set_namespace,
});

export const emptySchema = (): AuthzSchema => ({ namespaces: [] });

export async function loadSchema(db: Db, projectId: string): Promise<AuthzSchema | undefined> {
  const row = await db
    .selectFrom('authz_schemas')
    .select('schema_json')
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return row ? parseJson<AuthzSchema>(row.schema_json, emptySchema()) : undefined;
}

export async function storeSchema(db: Db, projectId: string, schema: AuthzSchema): Promise<void> {
  const values = { schema_json: JSON.stringify(schema), modified_time: nowSeconds() };
  await db
    .insertInto('authz_schemas')
    .values({ project_id: projectId, ...values })
    .onConflict((oc) => oc.column('project_id').doUpdateSet(values))
    .execute();
}

/** Removes every relation whose (namespace, relation definition) — or target set's — the schema no longer has. */
export async function pruneRelations(db: Db, projectId: string, schema: AuthzSchema): Promise<void> {
  const pairs = await db
    .selectFrom('authz_relations')
    .select(['namespace', 'relation_definition', 'target_set_namespace', 'target_set_relation_definition'])
    .distinct()
    .where('project_id', '=', projectId)
    .execute();
  const defined = new Set(
    schema.namespaces.flatMap((ns) => ns.relationDefinitions.map((rd) => `${ns.name}#${rd.name}`)),
  );
  for (const p of pairs) {
    const ok =
      defined.has(`${p.namespace}#${p.relation_definition}`) &&
      (p.target_set_namespace === '' ||
        defined.has(`${p.target_set_namespace}#${p.target_set_relation_definition}`));
    if (ok) continue;
    await db
      .deleteFrom('authz_relations')
      .where('project_id', '=', projectId)
      .where('namespace', '=', p.namespace)
      .where('relation_definition', '=', p.relation_definition)
      .where('target_set_namespace', '=', p.target_set_namespace)
      .where('target_set_relation_definition', '=', p.target_set_relation_definition)
      .execute();
  }
}

export async function renameInRelations(
  db: Db,
  projectId: string,
  from: { namespace: string; relationDefinition?: string },
  to: { namespace: string; relationDefinition?: string },
): Promise<void> {
  let main = db
    .updateTable('authz_relations')
    .set({
      namespace: to.namespace,
      ...(to.relationDefinition ? { relation_definition: to.relationDefinition } : {}),
    })
    .where('project_id', '=', projectId)
    .where('namespace', '=', from.namespace);
  if (from.relationDefinition) main = main.where('relation_definition', '=', from.relationDefinition);
  await main.execute();
  let sets = db
    .updateTable('authz_relations')
    .set({
      target_set_namespace: to.namespace,
      ...(to.relationDefinition ? { target_set_relation_definition: to.relationDefinition } : {}),
    })
    .where('project_id', '=', projectId)
    .where('target_set_namespace', '=', from.namespace);
  if (from.relationDefinition)
    sets = sets.where('target_set_relation_definition', '=', from.relationDefinition);
  await sets.execute();
}

const toRow = (projectId: string, r: StoredRelation): AuthzRelationsTable => ({
  project_id: projectId,
  namespace: r.namespace,
  resource: r.resource,
  relation_definition: r.relationDefinition,
  target: r.target,
  target_set_resource: r.targetSetResource,
  target_set_relation_definition: r.targetSetRelationDefinition,
  target_set_namespace: r.targetSetNamespace,
  created_time: nowSeconds(),
});

export async function insertRelations(db: Db, projectId: string, relations: StoredRelation[]): Promise<void> {
  for (const r of relations)
    await db
      .insertInto('authz_relations')
      .values(toRow(projectId, r))
      .onConflict((oc) => oc.doNothing())
      .execute();
}

export async function deleteRelations(db: Db, projectId: string, relations: StoredRelation[]): Promise<void> {
  for (const r of relations)
    await db
      .deleteFrom('authz_relations')
      .where('project_id', '=', projectId)
      .where('namespace', '=', r.namespace)
      .where('resource', '=', r.resource)
      .where('relation_definition', '=', r.relationDefinition)
      .where('target', '=', r.target)
      .where('target_set_resource', '=', r.targetSetResource)
      .where('target_set_relation_definition', '=', r.targetSetRelationDefinition)
      .where('target_set_namespace', '=', r.targetSetNamespace)
      .execute();
}

/** Deletes relations whose resource, target or target-set resource is one of the ids. */
export async function deleteResourceRelations(db: Db, projectId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .deleteFrom('authz_relations')
    .where('project_id', '=', projectId)
    .where((eb) =>
      eb.or([eb('resource', 'in', ids), eb('target', 'in', ids), eb('target_set_resource', 'in', ids)]),
    )
    .execute();
}

export async function deleteAllRelations(db: Db, projectId: string): Promise<void> {
  await db.deleteFrom('authz_relations').where('project_id', '=', projectId).execute();
}

export async function relationsOfResource(
  db: Db,
  projectId: string,
  resources: string[],
): Promise<StoredRelation[]> {
  if (resources.length === 0) return [];
  const rows = await db
    .selectFrom('authz_relations')
    .select(columns)
    .where('project_id', '=', projectId)
    .where('resource', 'in', resources)
    .orderBy('namespace')
    .orderBy('resource')
    .orderBy('relation_definition')
    .orderBy('target')
    .orderBy('target_set_resource')
    .execute();
  return rows.map(fromRow);
}

export async function relationsOfTargets(
  db: Db,
  projectId: string,
  targets: string[],
  includeTargetSets: boolean,
): Promise<StoredRelation[]> {
  if (targets.length === 0) return [];
  const rows = await db
    .selectFrom('authz_relations')
    .select(columns)
    .where('project_id', '=', projectId)
    .where((eb) =>
      includeTargetSets
        ? eb.or([eb('target', 'in', targets), eb('target_set_resource', 'in', targets)])
        : eb('target', 'in', targets),
    )
    .orderBy('namespace')
    .orderBy('resource')
    .orderBy('relation_definition')
    .orderBy('target')
    .orderBy('target_set_resource')
    .execute();
  return rows.map(fromRow);
}

/** Every plain target id stored in the project: the candidates "who can access" checks. */
export async function allTargets(db: Db, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('authz_relations')
    .select('target')
    .distinct()
    .where('project_id', '=', projectId)
    .where('target', '!=', '')
    .orderBy('target')
    .execute();
  return rows.map((r) => r.target);
}

/** Every id that appears as a resource or a target: the candidate resources of "what can a target access". */
export async function allResourceIds(db: Db, projectId: string): Promise<string[]> {
  const a = await db
    .selectFrom('authz_relations')
    .select('resource as id')
    .distinct()
    .where('project_id', '=', projectId)
    .execute();
  const b = await db
    .selectFrom('authz_relations')
    .select('target as id')
    .distinct()
    .where('project_id', '=', projectId)
    .where('target', '!=', '')
    .execute();
  return [...new Set([...a, ...b].map((r) => r.id))].sort();
}

export function sqlRelationSource(db: Db, projectId: string): RelationSource {
  return {
    async onResource(namespace, resource, relationDefinition) {
      const rows = await db
        .selectFrom('authz_relations')
        .select(columns)
        .where('project_id', '=', projectId)
        .where('namespace', '=', namespace)
        .where('resource', '=', resource)
        .where('relation_definition', '=', relationDefinition)
        .execute();
      return rows.map(fromRow);
    },
    async toTarget(namespace, relationDefinition, target) {
      const rows = await db
        .selectFrom('authz_relations')
        .select(columns)
        .where('project_id', '=', projectId)
        .where('target', '=', target)
        .where('namespace', '=', namespace)
        .where('relation_definition', '=', relationDefinition)
        .execute();
      return rows.map(fromRow);
    },
  };
}
