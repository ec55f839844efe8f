import { z } from 'zod';

/** Wire objects of the ReBAC API (descope-api.md §4.11). */
const name = z.string().min(1).max(256);

export const expressionSchema = z.object({
  neType: z.enum(['self', 'targetSet', 'relationLeft', 'relationRight']),
  relationDefinition: name.optional(),
  relationDefinitionNamespace: name.optional(),
  targetRelationDefinition: name.optional(),
  targetRelationDefinitionNamespace: name.optional(),
});
export type AuthzExpression = z.infer<typeof expressionSchema>;

export type AuthzNode = {
  nType: 'child' | 'union' | 'intersect' | 'sub';
  children?: AuthzNode[];
  expression?: AuthzExpression;
};

export const nodeSchema: z.ZodType<AuthzNode> = z.lazy(() =>
  z.object({
    nType: z.enum(['child', 'union', 'intersect', 'sub']),
    children: z.array(nodeSchema).max(100).optional(),
    expression: expressionSchema.optional(),
  }),
);

export const relationDefinitionSchema = z.object({
  name,
  complexDefinition: nodeSchema.optional(),
});
export type AuthzRelationDefinition = z.infer<typeof relationDefinitionSchema>;

export const namespaceSchema = z.object({
  name,
  relationDefinitions: z.array(relationDefinitionSchema).max(1000).default([]),
});
export type AuthzNamespace = z.infer<typeof namespaceSchema>;

export const schemaSchema = z.object({
  name: z.string().max(256).optional(),
  namespaces: z.array(namespaceSchema).max(1000).default([]),
});
export type AuthzSchema = z.infer<typeof schemaSchema>;

const id = z.string().min(1).max(512);

export const relationSchema = z.object({
  resource: id,
  relationDefinition: name,
  namespace: name,
  target: id.optional(),
  targetSetResource: id.optional(),
  targetSetRelationDefinition: name.optional(),
  targetSetRelationDefinitionNamespace: name.optional(),
  query: z.record(z.string(), z.unknown()).optional(),
});
export type AuthzRelationInput = z.infer<typeof relationSchema>;

/** A stored relation: exactly one of `target` and the target set is non-empty. */
export type StoredRelation = {
  namespace: string;
  resource: string;
  relationDefinition: string;
  target: string;
  targetSetResource: string;
  targetSetRelationDefinition: string;
  targetSetNamespace: string;
};

/** The wire form of a stored relation: target-set fields only when the target is a set. */
export function toWireRelation(r: StoredRelation): Record<string, string> {
  const out: Record<string, string> = {
    resource: r.resource,
    relationDefinition: r.relationDefinition,
    namespace: r.namespace,
  };
  if (r.target) out.target = r.target;
  else {
    out.targetSetResource = r.targetSetResource;
    out.targetSetRelationDefinition = r.targetSetRelationDefinition;
    out.targetSetRelationDefinitionNamespace = r.targetSetNamespace;
  }
  return out;
}
