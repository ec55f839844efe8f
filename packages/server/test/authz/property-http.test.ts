import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { toWireRelation } from '../../src/authz/types.ts';
import { mgmt, STORES, startTestServer, type TestServer } from '../support/server.ts';
import { naiveDerive } from './naive-evaluator.ts';
import { modelArb } from './random-model.ts';

const RUNS = Number(process.env.AUTHZ_PROPERTY_HTTP_RUNS ?? 150);
const fact = (ns: string, rd: string, res: string, t: string) => JSON.stringify([ns, rd, res, t]);

/**
 * The same comparison through the real server and SQL: fewer runs, every query kind over HTTP. SQLite gets the
 * bulk; PostgreSQL a third of it (same SQL through Kysely, slower round trips).
 */
for (const store of STORES)
  describe(`authz over HTTP agrees with the naive reference evaluator (${store})`, () => {
    let s: TestServer;
    const runs = store === 'sqlite' ? RUNS : Math.ceil(RUNS / 3);
    before(async () => {
      s = await startTestServer(store);
    });
    after(() => s.close());

    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const r = await mgmt<T>(s, 'POST', `/v1/mgmt/authz/${path}`, body);
      assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
      return r.body;
    };

    test(`has, who, targetall, targetwithrelation on ${runs} random models`, async () => {
      await fc.assert(
        fc.asyncProperty(modelArb, async (m) => {
          await post('schema/delete', {});
          await post('schema/save', { schema: m.schema, upgrade: true });
          if (m.relations.length) await post('re/create', { relations: m.relations.map(toWireRelation) });
          const truth = naiveDerive(m.schema, m.relations);
          const ids = [...m.resources, ...m.users, 'nobody'];
          const defs = m.schema.namespaces.flatMap((ns) =>
            ns.relationDefinitions.map((rd) => ({ namespace: ns.name, relationDefinition: rd.name })),
          );
          const queries = defs.flatMap((d) =>
            ids.flatMap((resource) => ids.map((target) => ({ ...d, resource, target }))),
          );
          const { relationQueries } = await post<{ relationQueries: { hasRelation: boolean }[] }>('re/has', {
            relationQueries: queries,
          });
          queries.forEach((q, i) => {
            const want = truth.has(fact(q.namespace, q.relationDefinition, q.resource, q.target));
            assert.equal(relationQueries[i]?.hasRelation, want, `has ${JSON.stringify(q)}`);
          });
          for (const d of defs)
            for (const resource of m.resources) {
              const { targets } = await post<{ targets: string[] }>('re/who', { ...d, resource });
              const want = ids.filter((t) => truth.has(fact(d.namespace, d.relationDefinition, resource, t)));
              assert.deepEqual(
                [...targets].sort(),
                want.sort(),
                `who ${d.namespace}#${d.relationDefinition} ${resource}`,
              );
            }
          for (const target of ids) {
            const { relations } = await post<{
              relations: {
                namespace: string;
                relationDefinition: string;
                resource: string;
                target: string;
              }[];
            }>('re/targetall', { target });
            const got = relations
              .map((r) => fact(r.namespace, r.relationDefinition, r.resource, r.target))
              .sort();
            assert.deepEqual(
              got,
              [...truth].filter((f) => JSON.parse(f)[3] === target).sort(),
              `targetall ${target}`,
            );
            const d = defs[ids.indexOf(target) % defs.length]!;
            const { resources } = await post<{ resources: string[] }>('re/targetwithrelation', {
              ...d,
              target,
            });
            const want = ids.filter((r) => truth.has(fact(d.namespace, d.relationDefinition, r, target)));
            assert.deepEqual([...resources].sort(), want.sort(), `targetwithrelation ${target}`);
          }
        }),
        { numRuns: runs },
      );
    });
  });
