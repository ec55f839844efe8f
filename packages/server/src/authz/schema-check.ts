import { LatchkeyError } from '../errors.ts';
import type { AuthzExpression, AuthzNode, AuthzSchema } from './types.ts';

/** Deepest nesting of union/intersect/sub nodes a definition may have. */
export const MAX_NODE_DEPTH = 16;

const invalid = (message: string): never => {
  throw new LatchkeyError('authzInvalidSchema', message);
};

/** `ns.rd` keys of every relation definition in the schema. */
export function definedRelations(schema: AuthzSchema): Set<string> {
  const out = new Set<string>();
  for (const ns of schema.namespaces)
    for (const rd of ns.relationDefinitions) out.add(`${ns.name}#${rd.name}`);
  return out;
}

/** The relation an expression's `targetRelationDefinition` names (its namespace defaults to the definition's). */
export const targetKey = (e: AuthzExpression, ns: string) =>
  `${e.targetRelationDefinitionNamespace ?? ns}#${e.targetRelationDefinition}`;
export const viaKey = (e: AuthzExpression, ns: string) =>
  `${e.relationDefinitionNamespace ?? ns}#${e.relationDefinition}`;

/**
 * Refuses a schema that names an unknown namespace or relation definition, has a malformed node, or
 * whose `targetSet` expressions form a cycle: a targetSet asks another relation on the *same* resource,
 * so a cycle of them never reaches stored data and cannot terminate. Cycles through relationLeft /
 * relationRight move to another resource along stored relations and are allowed (the evaluator stops
 * on a revisited check and at a depth limit).
 */
export function checkSchema(schema: AuthzSchema): void {
  const seenNs = new Set<string>();
  for (const ns of schema.namespaces) {
    if (seenNs.has(ns.name)) invalid(`Namespace ${ns.name} is listed twice`);
    seenNs.add(ns.name);
    const seenRd = new Set<string>();
    for (const rd of ns.relationDefinitions) {
      if (seenRd.has(rd.name)) invalid(`Relation definition ${ns.name}#${rd.name} is listed twice`);
      seenRd.add(rd.name);
    }
  }
  const defined = definedRelations(schema);
  const edges = new Map<string, string[]>();
  for (const ns of schema.namespaces) {
    for (const rd of ns.relationDefinitions) {
      const key = `${ns.name}#${rd.name}`;
      const out: string[] = [];
      if (rd.complexDefinition) checkNode(rd.complexDefinition, ns.name, key, defined, out, 0);
      edges.set(key, out);
    }
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (key: string, path: string[]): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'open') {
      const cycle = [...path.slice(path.indexOf(key)), key].join(' -> ');
      invalid(`Relation definitions refer to each other through targetSet on the same resource: ${cycle}`);
    }
    state.set(key, 'open');
    for (const next of edges.get(key) ?? []) visit(next, [...path, key]);
    state.set(key, 'done');
  };
  for (const key of edges.keys()) visit(key, []);
}

function checkNode(
  node: AuthzNode,
  ns: string,
  owner: string,
  defined: Set<string>,
  sameResourceEdges: string[],
  depth: number,
): void {
  if (depth > MAX_NODE_DEPTH) invalid(`${owner}: definition is nested deeper than ${MAX_NODE_DEPTH} levels`);
  if (node.nType === 'child') {
    const e = node.expression ?? invalid(`${owner}: a child node needs an expression`);
    if (e.neType === 'self') return;
    if (!e.targetRelationDefinition) invalid(`${owner}: ${e.neType} needs targetRelationDefinition`);
    const target = targetKey(e, ns);
    if (!defined.has(target)) unknown(owner, target);
    if (e.neType === 'targetSet') {
      sameResourceEdges.push(target);
      return;
    }
    if (!e.relationDefinition) invalid(`${owner}: ${e.neType} needs relationDefinition`);
    const via = viaKey(e, ns);
    if (!defined.has(via)) unknown(owner, via);
    return;
  }
  const children = node.children ?? [];
  if (children.length === 0) invalid(`${owner}: a ${node.nType} node needs children`);
  for (const child of children) checkNode(child, ns, owner, defined, sameResourceEdges, depth + 1);
}

const unknown = (owner: string, key: string): never =>
  invalid(`${owner} refers to unknown relation definition ${key} (namespace#relation)`);
