import type { CompiledSchema } from './compiled.ts';
import type { RelationSource } from './evaluator.ts';
import type { AuthzNode } from './types.ts';

/** Checks one candidate with the forward evaluator (used where a definition intersects or subtracts). */
type Verify = (
  namespace: string,
  relationDefinition: string,
  resource: string,
  target: string,
) => Promise<boolean>;

type Fact = { namespace: string; relationDefinition: string; resource: string };
const factKey = (f: Fact) => JSON.stringify([f.namespace, f.relationDefinition, f.resource]);

/**
 * Who has (namespace, relationDefinition) on resource: walks the schema top-down from the resource along
 * stored relations only (never over every id in the project). Union-only definitions give the exact answer;
 * where an intersect or sub was met, the walk gives candidates (from the positive side) and each is checked.
 */
export async function whoHas(
  compiled: CompiledSchema,
  source: RelationSource,
  start: Fact,
  verify: Verify,
): Promise<string[]> {
  const targets = new Set<string>();
  const seen = new Set<string>();
  const queue: Fact[] = [start];
  let exact = true;
  const push = (f: Fact) => {
    const key = factKey(f);
    if (seen.has(key)) return;
    seen.add(key);
    queue.push(f);
  };
  seen.add(factKey(start));
  for (let f = queue.pop(); f; f = queue.pop()) {
    exact &&= compiled.pure(f.namespace, f.relationDefinition);
    await walk(compiled.node(f.namespace, f.relationDefinition), f);
  }

  async function walk(node: AuthzNode, f: Fact): Promise<void> {
    if (node.nType !== 'child') {
      const children = node.children ?? [];
      // An intersection's members all hold, so its first child bounds it; a subtraction's first child too.
      for (const child of node.nType === 'union' ? children : children.slice(0, 1)) await walk(child, f);
      return;
    }
    const e = node.expression;
    if (!e) return;
    const targetNs = e.targetRelationDefinitionNamespace ?? f.namespace;
    const targetRd = e.targetRelationDefinition ?? '';
    const viaNs = e.relationDefinitionNamespace ?? f.namespace;
    const viaRd = e.relationDefinition ?? '';
    switch (e.neType) {
      case 'self':
        for (const r of await source.onResource(f.namespace, f.resource, f.relationDefinition)) {
          if (r.target) targets.add(r.target);
          else
            push({
              namespace: r.targetSetNamespace,
              relationDefinition: r.targetSetRelationDefinition,
              resource: r.targetSetResource,
            });
        }
        return;
      case 'targetSet':
        push({ namespace: targetNs, relationDefinition: targetRd, resource: f.resource });
        return;
      case 'relationRight':
        for (const r of await source.onResource(viaNs, f.resource, viaRd))
          if (r.target) push({ namespace: targetNs, relationDefinition: targetRd, resource: r.target });
        return;
      case 'relationLeft':
        for (const r of await source.toTarget(viaNs, viaRd, f.resource))
          push({ namespace: targetNs, relationDefinition: targetRd, resource: r.resource });
        return;
    }
  }

  const sorted = [...targets].sort();
  if (exact) return sorted;
  const out: string[] = [];
  for (const t of sorted)
    if (await verify(start.namespace, start.relationDefinition, start.resource, t)) out.push(t);
  return out;
}

/**
 * Everything `target` has, derived: forward chaining from the relations stored with the target, along the
 * schema's expressions read backwards (compiled.usedBy). A fact reached through unions only is proven by the
 * fact it came from; one reached through an intersect or sub is checked before it is used. The work is
 * proportional to what the target can reach, not to the size of the project.
 */
export async function factsOf(
  compiled: CompiledSchema,
  source: RelationSource,
  target: string,
  verify: Verify,
): Promise<Fact[]> {
  const facts = new Map<string, Fact>();
  const refused = new Set<string>();
  const queue: Fact[] = [];

  const emit = async (f: Fact, exact: boolean) => {
    const key = factKey(f);
    if (facts.has(key) || refused.has(key)) return;
    if (!exact && !(await verify(f.namespace, f.relationDefinition, f.resource, target))) {
      refused.add(key);
      return;
    }
    facts.set(key, f);
    queue.push(f);
  };
  const fromStored = async (r: { namespace: string; relationDefinition: string; resource: string }) => {
    const exact = compiled.selfExact(r.namespace, r.relationDefinition);
    if (exact === undefined) return;
    await emit(
      { namespace: r.namespace, relationDefinition: r.relationDefinition, resource: r.resource },
      exact,
    );
  };

  for (const r of await source.ofTarget(target)) await fromStored(r);
  for (let f = queue.pop(); f; f = queue.pop()) {
    for (const edge of compiled.usedBy(f.namespace, f.relationDefinition)) {
      const owner = edge.owner;
      if (edge.kind === 'targetSet') await emit({ ...owner, resource: f.resource }, edge.exact);
      else if (edge.kind === 'relationRight') {
        for (const r of await source.toTarget(edge.viaNamespace, edge.viaRelationDefinition, f.resource))
          await emit({ ...owner, resource: r.resource }, edge.exact);
      } else {
        for (const r of await source.onResource(edge.viaNamespace, f.resource, edge.viaRelationDefinition))
          if (r.target) await emit({ ...owner, resource: r.target }, edge.exact);
      }
    }
    for (const r of await source.toTargetSet(f.namespace, f.relationDefinition, f.resource))
      await fromStored(r);
  }
  return [...facts.values()].sort(
    (a, b) =>
      compiled.order(a.namespace, a.relationDefinition) - compiled.order(b.namespace, b.relationDefinition) ||
      (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0),
  );
}
