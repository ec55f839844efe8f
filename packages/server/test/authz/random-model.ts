import fc from 'fast-check';
import type { RelationSource } from '../../src/authz/evaluator.ts';
import type { AuthzNode, AuthzSchema, StoredRelation } from '../../src/authz/types.ts';

/** A random schema with its relations, and the ids queries range over. */
export type Model = {
  schema: AuthzSchema;
  relations: StoredRelation[];
  resources: string[];
  users: string[];
};

type Def = { ns: string; rd: string; index: number; stratum: number };

export const RESOURCES = ['a', 'b', 'c', 'd', 'e'];
export const USERS = ['u1', 'u2', 'u3'];

/**
 * Random schemas over 2-3 namespaces with union / intersect / sub, self, targetSet, relationLeft and
 * relationRight; targetSet edges only go to earlier definitions (the schema check refuses targetSet cycles);
 * recursion through relationLeft/Right is free. Negation is stratified: a subtraction only takes away
 * definitions of a lower stratum (and never `self`), which is the class of schemas whose meaning is defined.
 * Relations include cyclic parent chains (resources are targets of each other) and target sets.
 */
export const modelArb: fc.Arbitrary<Model> = fc.gen().map((g) => {
  const int = (min: number, max: number) => g(fc.integer, { min, max });
  const pick = <T>(items: T[]): T => items[int(0, items.length - 1)] as T;
  const defs: Def[] = [];
  const nsCount = int(2, 3);
  for (let n = 0; n < nsCount; n++)
    for (let r = 0, count = int(2, 3); r < count; r++)
      defs.push({ ns: `n${n}`, rd: `r${r}`, index: defs.length, stratum: int(0, 1) });

  const node = (owner: Def, depth: number, negative: boolean): AuthzNode | undefined => {
    const kind = depth >= 2 ? 0 : int(0, 5);
    if (kind >= 3) {
      const nType = kind === 3 ? 'union' : kind === 4 ? 'intersect' : 'sub';
      const children: AuthzNode[] = [];
      for (let i = 0, count = int(1, 3); i < count; i++) {
        const child = node(owner, depth + 1, negative || (nType === 'sub' && i > 0));
        if (child) children.push(child);
      }
      return children.length ? { nType, children } : undefined;
    }
    const reachable = defs.filter((d) => (negative ? d.stratum < owner.stratum : d.stratum <= owner.stratum));
    const choice = int(0, 3);
    if (choice === 0 || reachable.length === 0)
      return negative ? undefined : { nType: 'child', expression: { neType: 'self' } };
    if (choice === 1) {
      const earlier = reachable.filter((d) => d.index < owner.index);
      if (earlier.length === 0)
        return negative ? undefined : { nType: 'child', expression: { neType: 'self' } };
      const t = pick(earlier);
      return {
        nType: 'child',
        expression: {
          neType: 'targetSet',
          targetRelationDefinition: t.rd,
          targetRelationDefinitionNamespace: t.ns,
        },
      };
    }
    const t = pick(reachable);
    const via = pick(defs);
    return {
      nType: 'child',
      expression: {
        neType: choice === 2 ? 'relationRight' : 'relationLeft',
        relationDefinition: via.rd,
        relationDefinitionNamespace: via.ns,
        targetRelationDefinition: t.rd,
        targetRelationDefinitionNamespace: t.ns,
      },
    };
  };

  const schema: AuthzSchema = { name: 'random', namespaces: [] };
  for (const d of defs) {
    let ns = schema.namespaces.find((n) => n.name === d.ns);
    if (!ns) {
      ns = { name: d.ns, relationDefinitions: [] };
      schema.namespaces.push(ns);
    }
    const complexDefinition = int(0, 4) === 0 ? undefined : node(d, 0, false);
    ns.relationDefinitions.push(complexDefinition ? { name: d.rd, complexDefinition } : { name: d.rd });
  }

  const relations: StoredRelation[] = [];
  const seen = new Set<string>();
  for (let i = 0, count = int(3, 30); i < count; i++) {
    const owner = pick(defs);
    const base = { namespace: owner.ns, resource: pick(RESOURCES), relationDefinition: owner.rd };
    const kind = int(0, 5);
    const set = defs.filter((d) => d.stratum <= owner.stratum);
    const r: StoredRelation =
      kind === 5
        ? (() => {
            const ts = pick(set);
            return {
              ...base,
              target: '',
              targetSetResource: pick(RESOURCES),
              targetSetRelationDefinition: ts.rd,
              targetSetNamespace: ts.ns,
            };
          })()
        : {
            ...base,
            target: kind <= 2 ? pick(USERS) : pick(RESOURCES),
            targetSetResource: '',
            targetSetRelationDefinition: '',
            targetSetNamespace: '',
          };
    const key = JSON.stringify(r);
    if (seen.has(key)) continue;
    seen.add(key);
    relations.push(r);
  }
  return { schema, relations, resources: RESOURCES, users: USERS };
});

/** The evaluator's storage contract over an array (no SQL): the bulk of the property runs use it. */
export function memorySource(relations: StoredRelation[]): RelationSource {
  return {
    onResource: async (ns, res, rd) =>
      relations.filter((r) => r.namespace === ns && r.resource === res && r.relationDefinition === rd),
    toTarget: async (ns, rd, t) =>
      relations.filter((r) => r.namespace === ns && r.relationDefinition === rd && r.target === t),
    ofTarget: async (t) => relations.filter((r) => r.target === t),
    toTargetSet: async (ns, rd, res) =>
      relations.filter(
        (r) =>
          r.targetSetNamespace === ns && r.targetSetRelationDefinition === rd && r.targetSetResource === res,
      ),
  };
}
