import { LatchkeyError } from '../errors.ts';
import type { AuthzNamespace, AuthzRelationDefinition, AuthzSchema } from './types.ts';

/** Pure edits of a schema object; the caller checks the result (checkSchema) before storing it. */

/** upgrade: the new schema replaces the old; otherwise listed namespaces replace theirs and others stay. */
export function mergeSchema(old: AuthzSchema, next: AuthzSchema, upgrade: boolean): AuthzSchema {
  if (upgrade) return next;
  const listed = new Set(next.namespaces.map((ns) => ns.name));
  return {
    ...(next.name !== undefined ? { name: next.name } : old.name !== undefined ? { name: old.name } : {}),
    namespaces: [...old.namespaces.filter((ns) => !listed.has(ns.name)), ...next.namespaces],
  };
}

/** Saves a namespace (renaming `oldName` if given); relation definitions it does not mention are kept. */
export function saveNamespace(schema: AuthzSchema, ns: AuthzNamespace, oldName?: string): AuthzSchema {
  const previous = schema.namespaces.find((n) => n.name === (oldName ?? ns.name));
  const mentioned = new Set(ns.relationDefinitions.map((rd) => rd.name));
  const merged: AuthzNamespace = {
    name: ns.name,
    relationDefinitions: [
      ...(previous?.relationDefinitions.filter((rd) => !mentioned.has(rd.name)) ?? []),
      ...ns.relationDefinitions,
    ],
  };
  const others = schema.namespaces.filter((n) => n !== previous && n.name !== ns.name);
  return { ...schema, namespaces: [...others, merged] };
}

export function deleteNamespace(schema: AuthzSchema, name: string): AuthzSchema {
  if (!schema.namespaces.some((n) => n.name === name))
    throw new LatchkeyError('authzUnknownRelation', `Unknown namespace ${name}`);
  return { ...schema, namespaces: schema.namespaces.filter((n) => n.name !== name) };
}

const namespaceOf = (schema: AuthzSchema, name: string): AuthzNamespace =>
  schema.namespaces.find((n) => n.name === name) ??
  (() => {
    throw new LatchkeyError('authzUnknownRelation', `Unknown namespace ${name}`);
  })();

const withNamespace = (schema: AuthzSchema, ns: AuthzNamespace): AuthzSchema => ({
  ...schema,
  namespaces: schema.namespaces.map((n) => (n.name === ns.name ? ns : n)),
});

export function saveRelationDefinition(
  schema: AuthzSchema,
  namespace: string,
  rd: AuthzRelationDefinition,
  oldName?: string,
): AuthzSchema {
  const ns = namespaceOf(schema, namespace);
  const from = oldName ?? rd.name;
  const exists = ns.relationDefinitions.some((r) => r.name === from);
  const kept = ns.relationDefinitions.filter((r) => r.name !== rd.name || r.name === from);
  const relationDefinitions = exists ? kept.map((r) => (r.name === from ? rd : r)) : [...kept, rd];
  return withNamespace(schema, { ...ns, relationDefinitions });
}

export function deleteRelationDefinition(schema: AuthzSchema, namespace: string, name: string): AuthzSchema {
  const ns = namespaceOf(schema, namespace);
  if (!ns.relationDefinitions.some((r) => r.name === name))
    throw new LatchkeyError('authzUnknownRelation', `Unknown relation definition ${namespace}#${name}`);
  return withNamespace(schema, {
    ...ns,
    relationDefinitions: ns.relationDefinitions.filter((r) => r.name !== name),
  });
}
