import { sql } from 'kysely';
import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';
import type { RoutePlugin } from '../http/app.ts';
import { parseInput } from '../http/validate.ts';
import type { Db } from '../store/db.ts';
import { createEvaluator } from './evaluator.ts';
import * as repo from './repo.ts';
import { checkSchema, definedRelations } from './schema-check.ts';
import * as edit from './schema-edit.ts';
import {
  type AuthzRelationInput,
  type AuthzSchema,
  namespaceSchema,
  relationDefinitionSchema,
  relationSchema,
  type StoredRelation,
  schemaSchema,
  toWireRelation,
} from './types.ts';

const name = z.string().min(1).max(256);
const id = z.string().min(1).max(512);
const bodies = {
  schemaSave: z.object({ schema: schemaSchema, upgrade: z.boolean().optional() }),
  nsSave: z.object({
    namespace: namespaceSchema,
    oldName: name.optional(),
    schemaName: z.string().optional(),
  }),
  nsDelete: z.object({ name, schemaName: z.string().optional() }),
  rdSave: z.object({
    relationDefinition: relationDefinitionSchema,
    namespace: name,
    oldName: name.optional(),
    // Ruby sends the rename key in snake case.
    old_name: name.optional(),
    schemaName: z.string().optional(),
  }),
  rdDelete: z.object({ name, namespace: name, schemaName: z.string().optional() }),
  relations: z.object({ relations: z.array(relationSchema).min(1).max(1000) }),
  resources: z.object({ resources: z.array(id).min(1).max(1000) }),
  has: z.object({
    relationQueries: z
      .array(z.object({ resource: id, relationDefinition: name, namespace: name, target: id }))
      .min(1)
      .max(1000),
  }),
  who: z.object({ resource: id, relationDefinition: name, namespace: name }),
  // Node and Go send one `resource`; Ruby sends `resources` with whatever the app passed.
  resource: z.object({
    resource: id.optional(),
    resources: z.union([id, z.array(id)]).optional(),
    ignoreTargetSetRelations: z.boolean().optional(),
  }),
  targets: z.object({
    targets: z.array(id).min(1).max(1000),
    includeTargetSetRelations: z.boolean().optional(),
  }),
  targetAll: z.object({ target: id }),
  targetWithRelation: z.object({ target: id, relationDefinition: name, namespace: name }),
};

/** A relation's target: a plain id, or a target set (everyone with that relation on that resource). */
function toStored(r: AuthzRelationInput, defined: Set<string>): StoredRelation {
  if (!defined.has(`${r.namespace}#${r.relationDefinition}`))
    throw new LatchkeyError(
      'authzUnknownRelation',
      `Unknown relation definition ${r.namespace}#${r.relationDefinition}`,
    );
  const base = { namespace: r.namespace, resource: r.resource, relationDefinition: r.relationDefinition };
  if (r.target)
    return {
      ...base,
      target: r.target,
      targetSetResource: '',
      targetSetRelationDefinition: '',
      targetSetNamespace: '',
    };
  if (r.targetSetResource && r.targetSetRelationDefinition) {
    const ns = r.targetSetRelationDefinitionNamespace ?? r.namespace;
    if (!defined.has(`${ns}#${r.targetSetRelationDefinition}`))
      throw new LatchkeyError(
        'authzUnknownRelation',
        `Unknown target set relation definition ${ns}#${r.targetSetRelationDefinition}`,
      );
    return {
      ...base,
      target: '',
      targetSetResource: r.targetSetResource,
      targetSetRelationDefinition: r.targetSetRelationDefinition,
      targetSetNamespace: ns,
    };
  }
  if (r.query)
    throw new LatchkeyError(
      'invalidArguments',
      'Relations whose target is a user query are not supported yet',
    );
  throw new LatchkeyError(
    'missingArguments',
    'A relation needs a target, or a targetSetResource with a targetSetRelationDefinition',
  );
}

/** Relation deletes match exactly what was stored, without consulting the schema. */
const toStoredLoose = (r: AuthzRelationInput): StoredRelation => ({
  namespace: r.namespace,
  resource: r.resource,
  relationDefinition: r.relationDefinition,
  target: r.target ?? '',
  targetSetResource: r.target ? '' : (r.targetSetResource ?? ''),
  targetSetRelationDefinition: r.target ? '' : (r.targetSetRelationDefinition ?? ''),
  targetSetNamespace: r.target
    ? ''
    : (r.targetSetRelationDefinitionNamespace ?? (r.targetSetResource ? r.namespace : '')),
});

export const authzRoutes: RoutePlugin = (app, { store, auth }) => {
  const db = store.db;
  /**
   * Schema edits and relation creates read the schema and write against it: on PostgreSQL they take a
   * per-project transaction lock so two instances cannot interleave (SQLite serializes writers already).
   */
  const lockSchema = async (tx: Db, projectId: string) => {
    if (store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`latchkey.authz.${projectId}`}))`.execute(tx);
  };
  const current = async (conn: Db, projectId: string) =>
    (await repo.loadSchema(conn, projectId)) ?? repo.emptySchema();

  /** Read, edit, check and store the schema in one transaction; relations it no longer defines go with it. */
  const editSchema = (
    projectId: string,
    change: (schema: AuthzSchema, tx: Db) => Promise<AuthzSchema> | AuthzSchema,
  ) =>
    db.transaction().execute(async (tx) => {
      await lockSchema(tx, projectId);
      const next = await change(await current(tx, projectId), tx);
      checkSchema(next);
      await repo.storeSchema(tx, projectId, next);
      await repo.pruneRelations(tx, projectId, next);
    });

  app.post('/v1/mgmt/authz/schema/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.schemaSave, req.body);
    await editSchema(project.id, (old) => edit.mergeSchema(old, body.schema, body.upgrade === true));
    return {};
  });

  app.post('/v1/mgmt/authz/schema/delete', async (req) => {
    const project = await auth.management(req);
    await db.transaction().execute(async (tx) => {
      await lockSchema(tx, project.id);
      await tx.deleteFrom('authz_schemas').where('project_id', '=', project.id).execute();
      await repo.deleteAllRelations(tx, project.id);
    });
    return {};
  });

  app.post('/v1/mgmt/authz/schema/load', async (req) => {
    const project = await auth.management(req);
    return { schema: await current(db, project.id) };
  });

  app.post('/v1/mgmt/authz/ns/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.nsSave, req.body);
    await editSchema(project.id, async (old, tx) => {
      if (body.oldName && body.oldName !== body.namespace.name) {
        if (!old.namespaces.some((n) => n.name === body.oldName))
          throw new LatchkeyError('authzUnknownRelation', `Unknown namespace ${body.oldName}`);
        await repo.renameInRelations(
          tx,
          project.id,
          { namespace: body.oldName },
          { namespace: body.namespace.name },
        );
      }
      return edit.saveNamespace(old, body.namespace, body.oldName);
    });
    return {};
  });

  app.post('/v1/mgmt/authz/ns/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.nsDelete, req.body);
    await editSchema(project.id, (old) => edit.deleteNamespace(old, body.name));
    return {};
  });

  app.post('/v1/mgmt/authz/rd/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.rdSave, req.body);
    const oldName = body.oldName ?? body.old_name;
    await editSchema(project.id, async (old, tx) => {
      const next = edit.saveRelationDefinition(old, body.namespace, body.relationDefinition, oldName);
      if (oldName && oldName !== body.relationDefinition.name)
        await repo.renameInRelations(
          tx,
          project.id,
          { namespace: body.namespace, relationDefinition: oldName },
          { namespace: body.namespace, relationDefinition: body.relationDefinition.name },
        );
      return next;
    });
    return {};
  });

  app.post('/v1/mgmt/authz/rd/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.rdDelete, req.body);
    await editSchema(project.id, (old) => edit.deleteRelationDefinition(old, body.namespace, body.name));
    return {};
  });

  app.post('/v1/mgmt/authz/re/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.relations, req.body);
    await db.transaction().execute(async (tx) => {
      await lockSchema(tx, project.id);
      const defined = definedRelations(await current(tx, project.id));
      const stored = body.relations.map((r) => toStored(r, defined));
      await repo.insertRelations(tx, project.id, stored);
    });
    return {};
  });

  app.post('/v1/mgmt/authz/re/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.relations, req.body);
    await db
      .transaction()
      .execute((tx) => repo.deleteRelations(tx, project.id, body.relations.map(toStoredLoose)));
    return {};
  });

  app.post('/v1/mgmt/authz/re/deleteresources', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.resources, req.body);
    await repo.deleteResourceRelations(db, project.id, body.resources);
    return {};
  });

  const evaluator = async (projectId: string) =>
    createEvaluator(await current(db, projectId), repo.sqlRelationSource(db, projectId));

  app.post('/v1/mgmt/authz/re/has', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.has, req.body);
    const ev = await evaluator(project.id);
    const relationQueries = [];
    for (const q of body.relationQueries) relationQueries.push({ ...q, hasRelation: await ev.has(q) });
    return { relationQueries };
  });

  app.post('/v1/mgmt/authz/re/who', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.who, req.body);
    const ev = await evaluator(project.id);
    const targets: string[] = [];
    for (const target of await repo.allTargets(db, project.id))
      if (await ev.has({ ...body, target })) targets.push(target);
    return { targets };
  });

  app.post('/v1/mgmt/authz/re/resource', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.resource, req.body);
    const resources = [body.resource ?? [], body.resources ?? []].flat();
    if (resources.length === 0)
      throw new LatchkeyError('missingArguments', 'Missing required fields: resource');
    const relations = await repo.relationsOfResource(db, project.id, resources);
    const shown = body.ignoreTargetSetRelations ? relations.filter((r) => r.target !== '') : relations;
    return { relations: shown.map(toWireRelation) };
  });

  app.post('/v1/mgmt/authz/re/targets', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.targets, req.body);
    const relations = await repo.relationsOfTargets(
      db,
      project.id,
      body.targets,
      body.includeTargetSetRelations === true,
    );
    return { relations: relations.map(toWireRelation) };
  });

  app.post('/v1/mgmt/authz/re/targetall', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.targetAll, req.body);
    const schema = await current(db, project.id);
    const ev = createEvaluator(schema, repo.sqlRelationSource(db, project.id));
    const ids = await repo.allResourceIds(db, project.id);
    const relations = [];
    for (const ns of schema.namespaces)
      for (const rd of ns.relationDefinitions)
        for (const resource of ids) {
          const c = { namespace: ns.name, relationDefinition: rd.name, resource, target: body.target };
          if (await ev.has(c))
            relations.push({
              resource,
              relationDefinition: rd.name,
              namespace: ns.name,
              target: body.target,
            });
        }
    return { relations };
  });

  app.post('/v1/mgmt/authz/re/targetwithrelation', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.targetWithRelation, req.body);
    const ev = await evaluator(project.id);
    const resources: string[] = [];
    for (const resource of await repo.allResourceIds(db, project.id))
      if (await ev.has({ ...body, resource })) resources.push(resource);
    return { resources };
  });
};
