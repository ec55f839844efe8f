import { sql } from 'kysely';
import type { Db, Store } from '../store/db.ts';
import { type AuthzCacheOptions, createAuthzCache, type ProjectAuthz } from './cache.ts';
import { checkSince, logSchemaChange, modifiedSince } from './changes.ts';
import { type Check, checkKey, createEvaluator, memoValue } from './evaluator.ts';
import { toStored, toStoredLoose } from './relation-input.ts';
import * as repo from './repo.ts';
import { factsOf, whoHas } from './reverse.ts';
import { checkSchema, definedRelations } from './schema-check.ts';
import type { AuthzRelationInput, AuthzSchema } from './types.ts';

export type AuthzService = ReturnType<typeof createAuthzService>;

/**
 * The ReBAC engine of every project: schema edits, relation writes and derived queries. Every write runs in
 * one transaction that also bumps the project's authz version, then drops the local cache; every read starts
 * from the cache entry of the current version (see cache.ts), so a check after a write is never stale.
 */
export function createAuthzService(
  store: Pick<Store, 'db' | 'dialect'>,
  cacheOptions: AuthzCacheOptions = {},
) {
  const db = store.db;
  const cache = createAuthzCache(db, cacheOptions);

  /** Schema edits and relation creates read the schema and write against it: one writer per project at a time. */
  const lockSchema = async (tx: Db, projectId: string) => {
    if (store.dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(${`latchkey.authz.${projectId}`}))`.execute(tx);
  };
  const current = async (conn: Db, projectId: string) =>
    (await repo.loadSchema(conn, projectId)) ?? repo.emptySchema();

  const write = async <T>(projectId: string, fn: (tx: Db) => Promise<T>): Promise<T> => {
    try {
      return await db.transaction().execute(async (tx) => {
        await lockSchema(tx, projectId);
        const out = await fn(tx);
        await repo.bumpVersion(tx, projectId);
        return out;
      });
    } finally {
      cache.invalidate(projectId);
    }
  };

  /** Exact answer of one check, from the per-version cache when it has it. */
  const answer = (p: ProjectAuthz, c: Check): Promise<boolean> | boolean => {
    const known = p.answers.get(checkKey(c));
    if (known !== undefined) return memoValue(known);
    return createEvaluator(p.compiled, p.source, p.answers).has(c);
  };
  const verifier =
    (p: ProjectAuthz) =>
    async (namespace: string, relationDefinition: string, resource: string, target: string) =>
      answer(p, { namespace, relationDefinition, resource, target });

  return {
    cache,

    loadSchema: (projectId: string) => current(db, projectId),

    /** Read, edit, check and store the schema in one transaction; relations it no longer defines go with it. */
    editSchema: (
      projectId: string,
      change: (schema: AuthzSchema, tx: Db) => Promise<AuthzSchema> | AuthzSchema,
    ) =>
      write(projectId, async (tx) => {
        const old = await current(tx, projectId);
        const next = await change(old, tx);
        checkSchema(next);
        await repo.storeSchema(tx, projectId, next);
        if (JSON.stringify(old) !== JSON.stringify(next)) await logSchemaChange(tx, projectId);
        await repo.pruneRelations(tx, projectId, next);
      }),

    deleteSchema: (projectId: string) =>
      write(projectId, async (tx) => {
        const gone = await tx
          .deleteFrom('authz_schemas')
          .where('project_id', '=', projectId)
          .executeTakeFirst();
        if (Number(gone.numDeletedRows) > 0) await logSchemaChange(tx, projectId);
        await repo.deleteAllRelations(tx, projectId);
      }),

    /** Refuses (nothing stored) when any relation names a definition the schema lacks. */
    createRelations: (projectId: string, relations: AuthzRelationInput[]) =>
      write(projectId, async (tx) => {
        const defined = definedRelations(await current(tx, projectId));
        const stored = relations.map((r) => toStored(r, defined));
        await repo.insertRelations(tx, projectId, stored);
      }),

    deleteRelations: (projectId: string, relations: AuthzRelationInput[]) =>
      write(projectId, (tx) => repo.deleteRelations(tx, projectId, relations.map(toStoredLoose))),

    deleteResources: (projectId: string, resources: string[]) =>
      write(projectId, (tx) => repo.deleteResourceRelations(tx, projectId, resources)),

    /** Unlike deleteResources, keeps the relations where an id is only the target (or target-set resource). */
    deleteResourceRelations: (projectId: string, resources: string[]) =>
      write(projectId, (tx) => repo.deleteRelationsOfResources(tx, projectId, resources)),

    /** What changed at or after `since` (epoch ms, 0 = the whole retention window): see changes.ts. */
    getModified: (projectId: string, since: number) => modifiedSince(db, projectId, checkSince(since)),

    async has(projectId: string, queries: Check[]): Promise<boolean[]> {
      const p = await cache.get(projectId);
      const out: boolean[] = [];
      for (const q of queries) out.push(await answer(p, q));
      return out;
    },

    async who(projectId: string, q: Omit<Check, 'target'>): Promise<string[]> {
      const p = await cache.get(projectId);
      p.compiled.node(q.namespace, q.relationDefinition);
      return whoHas(p.compiled, p.source, q, verifier(p));
    },

    async targetAll(projectId: string, target: string) {
      const p = await cache.get(projectId);
      return factsOf(p.compiled, p.source, target, verifier(p));
    },

    async targetWithRelation(projectId: string, q: Omit<Check, 'resource'>): Promise<string[]> {
      const p = await cache.get(projectId);
      p.compiled.node(q.namespace, q.relationDefinition);
      const facts = await factsOf(p.compiled, p.source, q.target, verifier(p));
      return facts
        .filter((f) => f.namespace === q.namespace && f.relationDefinition === q.relationDefinition)
        .map((f) => f.resource)
        .sort();
    },
  };
}
