import type { Db } from '../store/db.ts';
import { type CompiledSchema, compileSchema } from './compiled.ts';
import type { Memo, RelationSource } from './evaluator.ts';
import * as repo from './repo.ts';
import type { StoredRelation } from './types.ts';

/** What one project's checks share while its authz version stays the same. */
export type ProjectAuthz = {
  version: number;
  compiled: CompiledSchema;
  /** exact check answers by checkKey (see Memo) */
  answers: Memo;
  /** stored-relation lookups, cached */
  source: RelationSource;
};

export type AuthzCacheOptions = { maxAnswers?: number; maxLookups?: number; enabled?: boolean };

/** Remembers lookups in a map that is emptied when full: bounded memory, no bookkeeping on the hot path. */
function cachedSource(inner: RelationSource, max: number): RelationSource {
  const lookups = new Map<string, Promise<StoredRelation[]>>();
  const remember = (key: string, load: () => Promise<StoredRelation[]>) => {
    let hit = lookups.get(key);
    if (!hit) {
      if (lookups.size >= max) lookups.clear();
      hit = load();
      // A failed read is not remembered.
      hit.catch(() => lookups.delete(key));
      lookups.set(key, hit);
    }
    return hit;
  };
  return {
    onResource: (ns, res, rd) => remember(`r\0${ns}\0${res}\0${rd}`, () => inner.onResource(ns, res, rd)),
    toTarget: (ns, rd, t) => remember(`t\0${ns}\0${rd}\0${t}`, () => inner.toTarget(ns, rd, t)),
    ofTarget: (t) => remember(`o\0${t}`, () => inner.ofTarget(t)),
    toTargetSet: (ns, rd, res) => remember(`s\0${ns}\0${rd}\0${res}`, () => inner.toTargetSet(ns, rd, res)),
  };
}

/**
 * Per-project cache of the compiled schema, check answers and relation lookups, keyed by the project's
 * authz version. Every use reads the version (one primary-key query) first: a write on any instance bumps it
 * in its own transaction, so a check that starts after a write commits never uses what was cached before.
 * A request keeps the entry it started with; entries are replaced, never edited back to an older state.
 */
export function createAuthzCache(db: Db, options: AuthzCacheOptions = {}) {
  const maxAnswers = options.maxAnswers ?? 200_000;
  const maxLookups = options.maxLookups ?? 100_000;
  const projects = new Map<string, ProjectAuthz>();
  /** which build (by start order) each project's entry came from */
  const built = new Map<string, number>();
  let builds = 0;

  const build = async (projectId: string, version: number): Promise<ProjectAuthz> => {
    const schema = (await repo.loadSchema(db, projectId)) ?? repo.emptySchema();
    const sql = repo.sqlRelationSource(db, projectId);
    return {
      version,
      compiled: compileSchema(schema),
      answers: new Map(),
      source: options.enabled === false ? sql : cachedSource(sql, maxLookups),
    };
  };

  /**
   * Concurrent checks share version reads, but only a read that *starts after* a caller arrived may answer
   * it (an older read could predate a write the caller must see): a caller joins the read queued behind the
   * running one, or starts one when none runs.
   */
  const reads = new Map<string, { running?: Promise<number>; queued?: Promise<number> }>();
  const start = (projectId: string, slot: { running?: Promise<number>; queued?: Promise<number> }) => {
    const p = repo.readVersion(db, projectId);
    slot.running = p;
    const clear = () => {
      if (slot.running === p) slot.running = undefined;
      if (!slot.running && !slot.queued) reads.delete(projectId);
    };
    p.then(clear, clear);
    return p;
  };
  const readVersion = (projectId: string): Promise<number> => {
    let slot = reads.get(projectId);
    if (!slot) {
      slot = {};
      reads.set(projectId, slot);
    }
    const s = slot;
    if (!s.running) return start(projectId, s);
    if (!s.queued) {
      const after = s.running.then(
        () => undefined,
        () => undefined,
      );
      s.queued = after.then(() => {
        s.queued = undefined;
        return start(projectId, s);
      });
    }
    return s.queued;
  };

  return {
    async get(projectId: string): Promise<ProjectAuthz> {
      const version = await readVersion(projectId);
      const cached = projects.get(projectId);
      if (cached && cached.version === version && options.enabled !== false) {
        if (cached.answers.size >= maxAnswers) cached.answers.clear();
        return cached;
      }
      const started = ++builds;
      const fresh = await build(projectId, version);
      // A slower build that read the version earlier must not replace one that read it later.
      if ((built.get(projectId) ?? 0) < started) {
        built.set(projectId, started);
        projects.set(projectId, fresh);
      }
      return fresh;
    },
    /** after a local write: the next use rebuilds even before reading the new version */
    invalidate(projectId: string): void {
      projects.delete(projectId);
    },
  };
}

export type AuthzCache = ReturnType<typeof createAuthzCache>;
