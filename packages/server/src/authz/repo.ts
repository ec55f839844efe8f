import { type CompiledQuery, sql } from 'kysely';
import type { Db } from '../store/db.ts';
import type { AuthzRelationsTable } from '../store/schema.ts';
import { nowSeconds, parseJson } from '../util.ts';
import { logMatching, logRelations, type RelationMatch } from './changes.ts';
import type { RelationSource } from './evaluator.ts';
import { definedRelations } from './schema-check.ts';
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
  const defined = definedRelations(schema);
  for (const p of pairs) {
    const ok =
      defined.has(`${p.namespace}#${p.relation_definition}`) &&
      (p.target_set_namespace === '' ||
        defined.has(`${p.target_set_namespace}#${p.target_set_relation_definition}`));
    if (ok) continue;
    await deleteMatching(db, projectId, (eb) =>
      eb.and([
        eb('namespace', '=', p.namespace),
        eb('relation_definition', '=', p.relation_definition),
        eb('target_set_namespace', '=', p.target_set_namespace),
        eb('target_set_relation_definition', '=', p.target_set_relation_definition),
      ]),
    );
  }
}

/** Logs, then deletes, the project's relations that `match` selects. */
async function deleteMatching(db: Db, projectId: string, match: RelationMatch): Promise<void> {
  await logMatching(db, projectId, match);
  await db.deleteFrom('authz_relations').where('project_id', '=', projectId).where(match).execute();
}

export async function renameInRelations(
  db: Db,
  projectId: string,
  from: { namespace: string; relationDefinition?: string },
  to: { namespace: string; relationDefinition?: string },
): Promise<void> {
  await logMatching(db, projectId, (eb) =>
    eb.or([
      eb.and([
        eb('namespace', '=', from.namespace),
        ...(from.relationDefinition ? [eb('relation_definition', '=', from.relationDefinition)] : []),
      ]),
      eb.and([
        eb('target_set_namespace', '=', from.namespace),
        ...(from.relationDefinition
          ? [eb('target_set_relation_definition', '=', from.relationDefinition)]
          : []),
      ]),
    ]),
  );
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

/** Multi-row inserts (500 rows × 9 parameters stays under SQLite's and PostgreSQL's parameter limits). */
export async function insertRelations(db: Db, projectId: string, relations: StoredRelation[]): Promise<void> {
  const inserted: { resource: string; target: string; targetSetResource: string }[] = [];
  for (let i = 0; i < relations.length; i += 500) {
    const rows = await db
      .insertInto('authz_relations')
      .values(relations.slice(i, i + 500).map((r) => toRow(projectId, r)))
      .onConflict((oc) => oc.doNothing())
      .returning(['resource', 'target', 'target_set_resource'])
      .execute();
    for (const r of rows)
      inserted.push({ resource: r.resource, target: r.target, targetSetResource: r.target_set_resource });
  }
  await logRelations(db, projectId, inserted);
}

export async function deleteRelations(db: Db, projectId: string, relations: StoredRelation[]): Promise<void> {
  const deleted: StoredRelation[] = [];
  for (const r of relations) {
    const gone = await db
      .deleteFrom('authz_relations')
      .where('project_id', '=', projectId)
      .where('namespace', '=', r.namespace)
      .where('resource', '=', r.resource)
      .where('relation_definition', '=', r.relationDefinition)
      .where('target', '=', r.target)
      .where('target_set_resource', '=', r.targetSetResource)
      .where('target_set_relation_definition', '=', r.targetSetRelationDefinition)
      .where('target_set_namespace', '=', r.targetSetNamespace)
      .returning('resource')
      .execute();
    if (gone.length > 0) deleted.push(r);
  }
  await logRelations(db, projectId, deleted);
}

/** Deletes relations whose resource, target or target-set resource is one of the ids. */
export async function deleteResourceRelations(db: Db, projectId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await deleteMatching(db, projectId, (eb) =>
    eb.or([eb('resource', 'in', ids), eb('target', 'in', ids), eb('target_set_resource', 'in', ids)]),
  );
}

/** Deletes relations whose resource is one of the ids (not those where an id is only the target). */
export async function deleteRelationsOfResources(db: Db, projectId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await deleteMatching(db, projectId, (eb) => eb('resource', 'in', ids));
}

export async function deleteAllRelations(db: Db, projectId: string): Promise<void> {
  await deleteMatching(db, projectId, (eb) => eb('project_id', '=', projectId));
}

export async function relationsOfResource(
  db: Db,
  projectId: string,
  resources: string[],
): Promise<StoredRelation[]> {
  if (resources.length === 0) return [];
  return listOrdered(db, projectId, (eb) => eb('resource', 'in', resources));
}

export async function relationsOfTargets(
  db: Db,
  projectId: string,
  targets: string[],
  includeTargetSets: boolean,
): Promise<StoredRelation[]> {
  if (targets.length === 0) return [];
  return listOrdered(db, projectId, (eb) =>
    includeTargetSets
      ? eb.or([eb('target', 'in', targets), eb('target_set_resource', 'in', targets)])
      : eb('target', 'in', targets),
  );
}

/** The project's relations that `match` selects, in the stable order the list endpoints answer. */
async function listOrdered(db: Db, projectId: string, match: RelationMatch): Promise<StoredRelation[]> {
  const rows = await db
    .selectFrom('authz_relations')
    .select(columns)
    .where('project_id', '=', projectId)
    .where(match)
    .orderBy('namespace')
    .orderBy('resource')
    .orderBy('relation_definition')
    .orderBy('target')
    .orderBy('target_set_resource')
    .execute();
  return rows.map(fromRow);
}

const versionQueries = new WeakMap<Db, Map<string, CompiledQuery<{ version: number | string }>>>();

/**
 * The project's ReBAC write counter (0 before the first write): one primary-key read before every check, so
 * it is compiled once per project (building a Kysely query costs more than SQLite answering it).
 */
export async function readVersion(db: Db, projectId: string): Promise<number> {
  let byProject = versionQueries.get(db);
  if (!byProject) {
    byProject = new Map();
    versionQueries.set(db, byProject);
  }
  let query = byProject.get(projectId);
  if (!query) {
    if (byProject.size > 10_000) byProject.clear();
    query = db.selectFrom('authz_versions').select('version').where('project_id', '=', projectId).compile();
    byProject.set(projectId, query);
  }
  const { rows } = await db.executeQuery(query);
  return rows[0] ? Number(rows[0].version) : 0;
}

/** Call inside the transaction of every schema or relation write, so no instance can see the write and an old version. */
export async function bumpVersion(db: Db, projectId: string): Promise<void> {
  await db
    .insertInto('authz_versions')
    .values({ project_id: projectId, version: 1 })
    .onConflict((oc) => oc.column('project_id').doUpdateSet({ version: sql`authz_versions.version + 1` }))
    .execute();
}

export function sqlRelationSource(db: Db, projectId: string): RelationSource {
  const select = () => db.selectFrom('authz_relations').select(columns).where('project_id', '=', projectId);
  return {
    async onResource(namespace, resource, relationDefinition) {
      const rows = await select()
        .where('namespace', '=', namespace)
        .where('resource', '=', resource)
        .where('relation_definition', '=', relationDefinition)
        .execute();
      return rows.map(fromRow);
    },
    async toTarget(namespace, relationDefinition, target) {
      const rows = await select()
        .where('target', '=', target)
        .where('namespace', '=', namespace)
        .where('relation_definition', '=', relationDefinition)
        .execute();
      return rows.map(fromRow);
    },
    async ofTarget(target) {
      return (await select().where('target', '=', target).execute()).map(fromRow);
    },
    async toTargetSet(namespace, relationDefinition, resource) {
      const rows = await select()
        .where('target_set_resource', '=', resource)
        .where('target_set_namespace', '=', namespace)
        .where('target_set_relation_definition', '=', relationDefinition)
        .execute();
      return rows.map(fromRow);
    },
  };
}
