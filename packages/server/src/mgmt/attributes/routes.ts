import { z } from 'zod';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import {
  type AttributeScope,
  createAttributeDefinitions,
  definitionInput,
  toWireDefinition,
} from './definitions.ts';

const createBody = z.object({ attributes: z.array(definitionInput).min(1).max(200) });
const deleteBody = z.object({ names: z.array(z.string().min(1)).min(1).max(200) });

/**
 * Custom attribute definitions. The user routes are the ones `@descope/node-sdk` calls
 * (`management.user.getCustomAttributes/createCustomAttributes/deleteCustomAttributes`, answers in `data`);
 * the tenant routes are a Latchkey extension of the same shape.
 */
export const attributeRoutes: RoutePlugin = (app, { store, auth, audit }) => {
  const definitions = createAttributeDefinitions();
  const db = store.db;

  for (const scope of ['user', 'tenant'] as AttributeScope[]) {
    app.get(`/v1/mgmt/${scope}/customattributes`, async (req) => {
      const project = await auth.management(req);
      return { data: (await definitions.list(db, project.id, scope)).map(toWireDefinition) };
    });

    app.post(`/v1/mgmt/${scope}/customattribute/create`, async (req) => {
      const project = await auth.management(req);
      const body = parseInput(createBody, req.body);
      const all = await definitions.upsert(db, project.id, scope, body.attributes);
      await audit.record({
        projectId: project.id,
        action: 'CustomAttributesCreated',
        actorId: 'management',
        data: { scope, names: body.attributes.map((a) => a.name) },
      });
      return { data: all.map(toWireDefinition) };
    });

    app.post(`/v1/mgmt/${scope}/customattribute/delete`, async (req) => {
      const project = await auth.management(req);
      const body = parseInput(deleteBody, req.body);
      const all = await definitions.remove(db, project.id, scope, body.names);
      await audit.record({
        projectId: project.id,
        action: 'CustomAttributesDeleted',
        actorId: 'management',
        data: { scope, names: body.names },
      });
      return { data: all.map(toWireDefinition) };
    });
  }
};
