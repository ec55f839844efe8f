import { LatchkeyError } from '../errors.ts';
import type { CompiledSchema } from './compiled.ts';
import type { AuthzNode, StoredRelation } from './types.ts';

/** How many nested checks one answer may need before it is refused (e.g. folders nested this deep). */
export const MAX_CHECK_DEPTH = 64;

/** Where the evaluator reads stored relations; the SQL repository implements it, tests may use arrays. */
export type RelationSource = {
  /** relations stored on (namespace, resource, relationDefinition) */
  onResource(namespace: string, resource: string, relationDefinition: string): Promise<StoredRelation[]>;
  /** relations in (namespace, relationDefinition) whose plain `target` is the given id */
  toTarget(namespace: string, relationDefinition: string, target: string): Promise<StoredRelation[]>;
  /** every relation whose plain `target` is the given id */
  ofTarget(target: string): Promise<StoredRelation[]>;
  /** relations whose target set is (namespace, relationDefinition, resource) */
  toTargetSet(namespace: string, relationDefinition: string, resource: string): Promise<StoredRelation[]>;
};

export type Check = { namespace: string; relationDefinition: string; resource: string; target: string };

type Result = {
  value: boolean /** depended on a check still in progress: not safe to memoize */;
  partial: boolean;
};

/** The memo / cache key of one check. */
export const checkKey = (c: Check) =>
  JSON.stringify([c.namespace, c.relationDefinition, c.resource, c.target]);

/**
 * A remembered answer with the nesting it needed: `height + 1` when true, `-(height + 1)` when false. The
 * height keeps the depth limit independent of what is cached: reusing an answer at depth d still fails
 * when d + height passes the limit, exactly as computing it again would.
 */
export type Memo = Map<string, number>;
export const memoValue = (m: number) => m > 0;

const depthError = (c: Check) =>
  new LatchkeyError(
    'authzDepthExceeded',
    `Checking ${c.namespace}#${c.relationDefinition} on ${c.resource} needed more than ${MAX_CHECK_DEPTH} nested checks`,
  );

/**
 * Answers "does `target` have `relationDefinition` on `resource`" by following the schema graph.
 * One evaluator serves one call (its `open` set is per call chain). A check met again while it is
 * being computed counts as false on that path, and such a false answer is not remembered: the top-level
 * answer is the least fixed point (folder A in B in A is finite and proves nothing by itself). `memo`
 * only ever receives exact answers, so the per-version cache may pass the same map to every request.
 */
export function createEvaluator(compiled: CompiledSchema, source: RelationSource, memo: Memo = new Map()) {
  const open = new Set<string>();
  let deepest = 0;

  async function check(c: Check, depth: number): Promise<Result> {
    const key = checkKey(c);
    const known = memo.get(key);
    if (known !== undefined) {
      const reached = depth + Math.abs(known) - 1;
      if (reached > MAX_CHECK_DEPTH) throw depthError(c);
      deepest = Math.max(deepest, reached);
      return { value: known > 0, partial: false };
    }
    if (open.has(key)) return { value: false, partial: true };
    if (depth > MAX_CHECK_DEPTH) throw depthError(c);
    const node = compiled.node(c.namespace, c.relationDefinition);
    const outer = deepest;
    deepest = depth;
    open.add(key);
    try {
      const result = await evalNode(node, c, depth);
      const height = deepest - depth + 1;
      if (!result.partial || result.value) memo.set(key, result.value ? height : -height);
      return result;
    } finally {
      open.delete(key);
      deepest = Math.max(outer, deepest);
    }
  }

  async function anyOf(items: (() => Promise<Result>)[]): Promise<Result> {
    let partial = false;
    for (const item of items) {
      const r = await item();
      if (r.value) return { value: true, partial: false };
      partial ||= r.partial;
    }
    return { value: false, partial };
  }

  async function evalNode(node: AuthzNode, c: Check, depth: number): Promise<Result> {
    const children = node.children ?? [];
    switch (node.nType) {
      case 'union':
        return anyOf(children.map((child) => () => evalNode(child, c, depth)));
      case 'intersect': {
        let partial = false;
        for (const child of children) {
          const r = await evalNode(child, c, depth);
          partial ||= r.partial;
          if (!r.value) return { value: false, partial };
        }
        return { value: children.length > 0, partial };
      }
      case 'sub': {
        const [first, ...rest] = children;
        if (!first) return { value: false, partial: false };
        const base = await evalNode(first, c, depth);
        if (!base.value) return base;
        const removed = await anyOf(rest.map((child) => () => evalNode(child, c, depth)));
        return { value: !removed.value, partial: base.partial || removed.partial };
      }
      case 'child':
        return evalExpression(node, c, depth);
    }
  }

  async function evalExpression(node: AuthzNode, c: Check, depth: number): Promise<Result> {
    const e = node.expression;
    if (!e) return { value: false, partial: false };
    const targetNs = e.targetRelationDefinitionNamespace ?? c.namespace;
    const targetRd = e.targetRelationDefinition ?? '';
    const viaNs = e.relationDefinitionNamespace ?? c.namespace;
    const viaRd = e.relationDefinition ?? '';
    switch (e.neType) {
      case 'self': {
        const stored = await source.onResource(c.namespace, c.resource, c.relationDefinition);
        if (stored.some((r) => r.target !== '' && r.target === c.target))
          return { value: true, partial: false };
        return anyOf(
          stored
            .filter((r) => r.target === '')
            .map(
              (r) => () =>
                check(
                  {
                    namespace: r.targetSetNamespace,
                    relationDefinition: r.targetSetRelationDefinition,
                    resource: r.targetSetResource,
                    target: c.target,
                  },
                  depth + 1,
                ),
            ),
        );
      }
      case 'targetSet':
        return check({ ...c, namespace: targetNs, relationDefinition: targetRd }, depth + 1);
      case 'relationRight': {
        const stored = await source.onResource(viaNs, c.resource, viaRd);
        return anyOf(
          stored
            .filter((r) => r.target !== '')
            .map(
              (r) => () =>
                check(
                  { namespace: targetNs, relationDefinition: targetRd, resource: r.target, target: c.target },
                  depth + 1,
                ),
            ),
        );
      }
      case 'relationLeft': {
        const stored = await source.toTarget(viaNs, viaRd, c.resource);
        return anyOf(
          stored.map(
            (r) => () =>
              check(
                { namespace: targetNs, relationDefinition: targetRd, resource: r.resource, target: c.target },
                depth + 1,
              ),
          ),
        );
      }
    }
  }

  return {
    /** the answer to one check; throws authzUnknownRelation / authzDepthExceeded */
    async has(c: Check): Promise<boolean> {
      return (await check(c, 0)).value;
    },
  };
}
