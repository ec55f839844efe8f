import { LatchkeyError } from '../errors.ts';
import type { AuthzNode, AuthzSchema } from './types.ts';

/** A relation definition named by namespace and name. */
export type RelationKey = { namespace: string; relationDefinition: string };

/**
 * An expression read backwards: a fact "t has `targetRelationDefinition` on x" can make `owner` true for t
 * on a resource found from x. `exact` when the path from the owner's root to the expression is unions
 * only (then the fact alone proves the owner); otherwise the owner must be checked.
 */
export type ReverseEdge = {
  owner: RelationKey;
  kind: 'targetSet' | 'relationRight' | 'relationLeft';
  viaNamespace: string;
  viaRelationDefinition: string;
  exact: boolean;
};

export type CompiledSchema = {
  /** the definition's node (`self` when it has none); throws authzUnknownRelation */
  node(namespace: string, relationDefinition: string): AuthzNode;
  /** expressions whose targetRelationDefinition is the given one */
  usedBy(namespace: string, relationDefinition: string): ReverseEdge[];
  /** undefined: stored relations do not count for this definition (no `self` outside a subtraction) */
  selfExact(namespace: string, relationDefinition: string): boolean | undefined;
  /** the definition is unions of expressions only (no intersect / sub) */
  pure(namespace: string, relationDefinition: string): boolean;
  /** position of the definition in the schema, for stable output order */
  order(namespace: string, relationDefinition: string): number;
};

const selfNode: AuthzNode = { nType: 'child', expression: { neType: 'self' } };
const k = (namespace: string, relationDefinition: string) => `${namespace}#${relationDefinition}`;

/** Indexes a (checked) schema once per version: forward lookups for checks, reverse edges for who/targetall. */
export function compileSchema(schema: AuthzSchema): CompiledSchema {
  const nodes = new Map<string, AuthzNode>();
  const usedBy = new Map<string, ReverseEdge[]>();
  const self = new Map<string, boolean>();
  const pure = new Map<string, boolean>();
  const order = new Map<string, number>();

  const walk = (node: AuthzNode, owner: RelationKey, exact: boolean): boolean => {
    const ownerKey = k(owner.namespace, owner.relationDefinition);
    if (node.nType !== 'child') {
      const children = node.children ?? [];
      // Only a subtraction's first child can make the owner true; the others only take away.
      const positive = node.nType === 'sub' ? children.slice(0, 1) : children;
      let allUnion = node.nType === 'union';
      for (const child of positive)
        allUnion = walk(child, owner, exact && node.nType === 'union') && allUnion;
      return allUnion;
    }
    const e = node.expression;
    if (!e) return true;
    if (e.neType === 'self') {
      self.set(ownerKey, self.get(ownerKey) === true || exact);
      return true;
    }
    const target = k(
      e.targetRelationDefinitionNamespace ?? owner.namespace,
      e.targetRelationDefinition ?? '',
    );
    const list = usedBy.get(target) ?? [];
    list.push({
      owner,
      kind: e.neType,
      viaNamespace: e.relationDefinitionNamespace ?? owner.namespace,
      viaRelationDefinition: e.relationDefinition ?? '',
      exact,
    });
    usedBy.set(target, list);
    return true;
  };

  for (const ns of schema.namespaces)
    for (const rd of ns.relationDefinitions) {
      const key = k(ns.name, rd.name);
      const node = rd.complexDefinition ?? selfNode;
      order.set(key, order.size);
      nodes.set(key, node);
      pure.set(key, walk(node, { namespace: ns.name, relationDefinition: rd.name }, true));
    }

  return {
    node(namespace, relationDefinition) {
      const node = nodes.get(k(namespace, relationDefinition));
      if (!node)
        throw new LatchkeyError(
          'authzUnknownRelation',
          `Unknown relation definition ${namespace}#${relationDefinition}`,
        );
      return node;
    },
    usedBy: (namespace, relationDefinition) => usedBy.get(k(namespace, relationDefinition)) ?? [],
    selfExact: (namespace, relationDefinition) => self.get(k(namespace, relationDefinition)),
    pure: (namespace, relationDefinition) => pure.get(k(namespace, relationDefinition)) ?? true,
    order: (namespace, relationDefinition) => order.get(k(namespace, relationDefinition)) ?? -1,
  };
}
