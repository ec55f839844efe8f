import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compileSchema } from '../../src/authz/compiled.ts';
import { createEvaluator, type Memo } from '../../src/authz/evaluator.ts';
import { factsOf, whoHas } from '../../src/authz/reverse.ts';
import { checkSchema } from '../../src/authz/schema-check.ts';
import { naiveDerive } from './naive-evaluator.ts';
import { type Model, memorySource, modelArb } from './random-model.ts';

const RUNS = Number(process.env.AUTHZ_PROPERTY_RUNS ?? 2000);

/** Every derived answer the engine gives, in the shapes of has / who / targetall, computed in process. */
async function engineAnswers(m: Model, memo: Memo = new Map()) {
  const compiled = compileSchema(m.schema);
  const source = memorySource(m.relations);
  const has = (namespace: string, relationDefinition: string, resource: string, target: string) =>
    createEvaluator(compiled, source, memo).has({ namespace, relationDefinition, resource, target });
  return { compiled, source, has };
}

const defsOf = (m: Model) =>
  m.schema.namespaces.flatMap((ns) => ns.relationDefinitions.map((rd) => ({ ns: ns.name, rd: rd.name })));
const idsOf = (m: Model) => [...m.resources, ...m.users, 'nobody'];
const fact = (ns: string, rd: string, res: string, t: string) => JSON.stringify([ns, rd, res, t]);

describe('authz engine agrees with the naive reference evaluator (in process)', () => {
  test(`has, who, targetall and targetwithrelation on ${RUNS} random schemas and relation graphs`, async () => {
    let derivedTotal = 0;
    await fc.assert(
      fc.asyncProperty(modelArb, async (m) => {
        checkSchema(m.schema);
        const truth = naiveDerive(m.schema, m.relations);
        derivedTotal += truth.size;
        const { compiled, source, has } = await engineAnswers(m);
        const ids = idsOf(m);
        for (const { ns, rd } of defsOf(m))
          for (const res of ids) {
            for (const t of ids)
              assert.equal(
                await has(ns, rd, res, t),
                truth.has(fact(ns, rd, res, t)),
                `has ${ns}#${rd} ${res} ${t}`,
              );
            const who = await whoHas(
              compiled,
              source,
              { namespace: ns, relationDefinition: rd, resource: res },
              has,
            );
            const expected = ids.filter((t) => truth.has(fact(ns, rd, res, t))).sort();
            assert.deepEqual(who, expected, `who ${ns}#${rd} ${res}`);
          }
        for (const t of ids) {
          const got = (await factsOf(compiled, source, t, has)).map((f) =>
            fact(f.namespace, f.relationDefinition, f.resource, t),
          );
          const expected = [...truth].filter((f) => JSON.parse(f)[3] === t);
          assert.deepEqual(got.sort(), expected.sort(), `targetall ${t}`);
        }
      }),
      { numRuns: RUNS },
    );
    // Guard against a generator that only makes empty worlds.
    assert.ok(derivedTotal > RUNS, `only ${derivedTotal} derived relations over ${RUNS} runs`);
  });

  test('a fresh memo per check and a shared one give the same answers', async () => {
    await fc.assert(
      fc.asyncProperty(modelArb, async (m) => {
        const shared = await engineAnswers(m);
        const ids = idsOf(m);
        for (const { ns, rd } of defsOf(m))
          for (const res of ids)
            for (const t of ids) {
              const fresh = await (await engineAnswers(m)).has(ns, rd, res, t);
              assert.equal(await shared.has(ns, rd, res, t), fresh);
            }
      }),
      { numRuns: Math.ceil(RUNS / 10) },
    );
  });
});
