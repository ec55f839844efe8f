import type { AuthzNode, AuthzSchema, StoredRelation } from '../../src/authz/types.ts';

/**
 * A deliberately naive reference for the ReBAC engine: it computes the whole derived relation set by
 * fixed-point iteration over every (relation definition, resource, target) of the universe, with no memo,
 * no traversal and no cleverness. Semantics it encodes (docs/authz.md states them):
 * - self: a stored relation with this definition whose target is the id, or whose target set the id is in;
 * - targetSet: the target has targetRelationDefinition on the same resource;
 * - relationRight: some stored (resource --relationDefinition--> x) with a plain target x, and the target has
 *   targetRelationDefinition on x; relationLeft: some stored (x --relationDefinition--> resource), same on x;
 * - union / intersect / sub over the children (an empty intersect or sub is false);
 * - recursion is the least fixed point, stratified: relations are ordered so that whatever a subtraction
 *   takes away is complete before the subtraction is evaluated (a negative cycle is refused here).
 */
export function naiveDerive(schema: AuthzSchema, stored: StoredRelation[]): Set<string> {
  const key = (ns: string, rd: string, res: string, t: string) => JSON.stringify([ns, rd, res, t]);
  const storedSet = new Set(
    stored.map((r) =>
      JSON.stringify([
        r.namespace,
        r.resource,
        r.relationDefinition,
        r.target,
        r.targetSetResource,
        r.targetSetRelationDefinition,
        r.targetSetNamespace,
      ]),
    ),
  );
  const resources = [...new Set([...stored.map((r) => r.resource), ...stored.map((r) => r.target)])].filter(
    Boolean,
  );
  const targets = [...new Set(stored.map((r) => r.target))].filter(Boolean);
  const defs: { ns: string; rd: string; node: AuthzNode }[] = [];
  for (const ns of schema.namespaces)
    for (const rd of ns.relationDefinitions)
      defs.push({
        ns: ns.name,
        rd: rd.name,
        node: rd.complexDefinition ?? { nType: 'child', expression: { neType: 'self' } },
      });

  // Dependencies: [from, to, negative]. A stored target set makes its owner depend on the set's relation.
  const deps: [string, string, boolean][] = [];
  const collect = (owner: string, ns: string, node: AuthzNode, negative: boolean) => {
    if (node.nType !== 'child') {
      (node.children ?? []).forEach((c, i) => {
        collect(owner, ns, c, negative || (node.nType === 'sub' && i > 0));
      });
      return;
    }
    const e = node.expression;
    if (!e || e.neType === 'self') {
      for (const r of stored)
        if (!r.target && `${r.namespace}#${r.relationDefinition}` === owner)
          deps.push([owner, `${r.targetSetNamespace}#${r.targetSetRelationDefinition}`, negative]);
      return;
    }
    deps.push([
      owner,
      `${e.targetRelationDefinitionNamespace ?? ns}#${e.targetRelationDefinition}`,
      negative,
    ]);
  };
  for (const d of defs) collect(`${d.ns}#${d.rd}`, d.ns, d.node, false);
  const stratum = new Map(defs.map((d) => [`${d.ns}#${d.rd}`, 0]));
  for (let round = 0; ; round++) {
    let changed = false;
    for (const [from, to, negative] of deps) {
      const need = (stratum.get(to) ?? 0) + (negative ? 1 : 0);
      if (need > (stratum.get(from) ?? 0)) {
        stratum.set(from, need);
        changed = true;
      }
    }
    if (!changed) break;
    if (round > defs.length + 1) throw new Error('naive evaluator: negation through recursion');
  }

  const facts = new Set<string>();
  const has = (ns: string, rd: string, res: string, t: string) => facts.has(key(ns, rd, res, t));
  const evalNode = (node: AuthzNode, ns: string, rd: string, res: string, t: string): boolean => {
    const children = node.children ?? [];
    if (node.nType === 'union') return children.some((c) => evalNode(c, ns, rd, res, t));
    if (node.nType === 'intersect')
      return children.length > 0 && children.every((c) => evalNode(c, ns, rd, res, t));
    if (node.nType === 'sub')
      return (
        children.length > 0 &&
        evalNode(children[0] as AuthzNode, ns, rd, res, t) &&
        !children.slice(1).some((c) => evalNode(c, ns, rd, res, t))
      );
    const e = node.expression;
    if (!e) return false;
    const tNs = e.targetRelationDefinitionNamespace ?? ns;
    const tRd = e.targetRelationDefinition ?? '';
    const vNs = e.relationDefinitionNamespace ?? ns;
    const vRd = e.relationDefinition ?? '';
    switch (e.neType) {
      case 'self':
        return stored.some(
          (r) =>
            r.namespace === ns &&
            r.resource === res &&
            r.relationDefinition === rd &&
            (r.target === t ||
              (r.target === '' &&
                has(r.targetSetNamespace, r.targetSetRelationDefinition, r.targetSetResource, t))),
        );
      case 'targetSet':
        return has(tNs, tRd, res, t);
      case 'relationRight':
        return resources.some(
          (x) => storedSet.has(JSON.stringify([vNs, res, vRd, x, '', '', ''])) && has(tNs, tRd, x, t),
        );
      case 'relationLeft':
        return resources.some(
          (x) => storedSet.has(JSON.stringify([vNs, x, vRd, res, '', '', ''])) && has(tNs, tRd, x, t),
        );
    }
  };

  const top = Math.max(0, ...stratum.values());
  for (let s = 0; s <= top; s++) {
    const layer = defs.filter((d) => stratum.get(`${d.ns}#${d.rd}`) === s);
    for (;;) {
      let added = false;
      for (const d of layer)
        for (const res of resources)
          for (const t of targets) {
            const k = key(d.ns, d.rd, res, t);
            if (!facts.has(k) && evalNode(d.node, d.ns, d.rd, res, t)) {
              facts.add(k);
              added = true;
            }
          }
      if (!added) break;
    }
  }
  return facts;
}
