import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { LatchkeyError } from '../errors.ts';
import type { RoutePlugin } from '../http/app.ts';
import { parseInput } from '../http/validate.ts';
import * as repo from './repo.ts';
import * as edit from './schema-edit.ts';
import { createAuthzService } from './service.ts';
import {
  namespaceSchema,
  relationDefinitionSchema,
  relationSchema,
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
  // Node sends 0 when no date is given; Go omits the zero value.
  modified: z.object({ since: z.number().optional() }),
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

export const authzRoutes: RoutePlugin = (app, { store, auth }) => {
  const db = store.db;
  const authz = createAuthzService(store);
  // The central audit hook records every successful write (AuthzSchemaModified, AuthzSchemaDeleted,
  // AuthzRelationsCreated, AuthzRelationsDeleted: docs/audit.md); routes only add what changed.
  const note = (req: FastifyRequest, data: Record<string, unknown>) => {
    req.audit = { ...req.audit, data: { ...req.audit?.data, ...data } };
  };

  app.post('/v1/mgmt/authz/schema/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.schemaSave, req.body);
    await authz.editSchema(project.id, (old) => edit.mergeSchema(old, body.schema, body.upgrade === true));
    note(req, { upgrade: body.upgrade === true });
    return {};
  });

  app.post('/v1/mgmt/authz/schema/delete', async (req) => {
    const project = await auth.management(req);
    await authz.deleteSchema(project.id);
    return {};
  });

  app.post('/v1/mgmt/authz/schema/load', async (req) => {
    const project = await auth.management(req);
    return { schema: await authz.loadSchema(project.id) };
  });

  app.post('/v1/mgmt/authz/ns/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.nsSave, req.body);
    await authz.editSchema(project.id, async (old, tx) => {
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
    note(req, { namespace: body.namespace.name });
    return {};
  });

  app.post('/v1/mgmt/authz/ns/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.nsDelete, req.body);
    await authz.editSchema(project.id, (old) => edit.deleteNamespace(old, body.name));
    note(req, { namespace: body.name });
    return {};
  });

  app.post('/v1/mgmt/authz/rd/save', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.rdSave, req.body);
    const oldName = body.oldName ?? body.old_name;
    await authz.editSchema(project.id, async (old, tx) => {
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
    note(req, {
      namespace: body.namespace,
      relationDefinition: body.relationDefinition.name,
    });
    return {};
  });

  app.post('/v1/mgmt/authz/rd/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.rdDelete, req.body);
    await authz.editSchema(project.id, (old) =>
      edit.deleteRelationDefinition(old, body.namespace, body.name),
    );
    note(req, {
      namespace: body.namespace,
      relationDefinition: body.name,
    });
    return {};
  });

  app.post('/v1/mgmt/authz/re/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.relations, req.body);
    await authz.createRelations(project.id, body.relations);
    note(req, { count: body.relations.length });
    return {};
  });

  app.post('/v1/mgmt/authz/re/delete', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.relations, req.body);
    await authz.deleteRelations(project.id, body.relations);
    note(req, { count: body.relations.length });
    return {};
  });

  app.post('/v1/mgmt/authz/re/deleteresources', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.resources, req.body);
    await authz.deleteResources(project.id, body.resources);
    note(req, { count: body.resources.length });
    return {};
  });

  app.post('/v1/mgmt/authz/re/deleteresourcesrelations', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.resources, req.body);
    await authz.deleteResourceRelations(project.id, body.resources);
    note(req, { count: body.resources.length });
    return {};
  });

  app.post('/v1/mgmt/authz/getmodified', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.modified, req.body ?? {});
    return authz.getModified(project.id, body.since ?? 0);
  });

  app.post('/v1/mgmt/authz/re/has', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.has, req.body);
    const answers = await authz.has(project.id, body.relationQueries);
    return { relationQueries: body.relationQueries.map((q, i) => ({ ...q, hasRelation: answers[i] })) };
  });

  app.post('/v1/mgmt/authz/re/who', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.who, req.body);
    return { targets: await authz.who(project.id, body) };
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
    const facts = await authz.targetAll(project.id, body.target);
    return { relations: facts.map((f) => ({ ...f, target: body.target })) };
  });

  app.post('/v1/mgmt/authz/re/targetwithrelation', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(bodies.targetWithRelation, req.body);
    return { resources: await authz.targetWithRelation(project.id, body) };
  });
};
