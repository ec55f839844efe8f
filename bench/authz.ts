/**
 * `npm run bench:authz [-- --relations N]`: the ReBAC engine on the seed file-system schema (orgs, nested
 * folders, docs, users) with N stored relations (default 1,000,000) in SQLite. Prints load time, check latency
 * warm and cold (in process, through the service; HTTP for reference), warm checks per second on one core,
 * who-can-access on a folder with 10,000 viewers, write throughput and a stale-after-write verification, each
 * next to a baseline measured in the same run (a Map lookup, a SQLite point query).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { bumpVersion } from '../packages/server/src/authz/repo.ts';
import { createAuthzService } from '../packages/server/src/authz/service.ts';
import type { AuthzSchema } from '../packages/server/src/authz/types.ts';
import { loadConfig } from '../packages/server/src/config.ts';
import { startServer } from '../packages/server/src/main.ts';
import { seedSchema } from '../packages/server/test/authz/seed-schema.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const N = Number(arg('--relations') ?? 1_000_000);
const VIEWERS = Math.min(10_000, Math.floor(N / 20));
const projectId = 'Pbenchauthz00000000000000000';
const managementKey = 'Kbenchauthzmanagementkey000000000';

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const rows: string[][] = [];
const row = (...cells: string[]) => {
  rows.push(cells);
  console.log(cells.join('  |  '));
};

/** Deterministic pseudo-random numbers, so two runs load the same data. */
let seed = 42;
const rand = (n: number) => {
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) % n;
};

// Shape of the data, proportional to N: ~5% folders, 25% docs, 10% users; the rest are role relations.
const orgs = Math.max(2, Math.floor(N / 5000));
const folders = Math.max(10, Math.floor(N / 20));
const docs = Math.max(10, Math.floor(N / 4));
const users = Math.max(10, Math.floor(N / 10));

function* relations(): Generator<[string, string, string, string, string, string, string]> {
  let made = 0;
  const counted = (r: [string, string, string, string, string, string, string]) => {
    made++;
    return r;
  };
  const plain = (ns: string, res: string, rd: string, t: string) => counted([ns, res, rd, t, '', '', '']);
  // Orgs: a chain of sub-orgs under o0, members in each.
  for (let o = 1; o < orgs; o++) yield plain('org', `o${o}`, 'parent', `o${Math.floor((o - 1) / 4)}`);
  // Folders: f0..f(orgs-1) are roots; others nest under an earlier folder (depth grows slowly, up to ~6).
  for (let f = orgs; f < folders; f++) yield plain('folder', `f${f}`, 'parent', `f${Math.floor(f / 4)}`);
  for (let d = 0; d < docs; d++) yield plain('doc', `d${d}`, 'parent', `f${rand(folders)}`);
  // The big folder: 10,000 direct viewers.
  for (let v = 0; v < VIEWERS; v++) yield plain('folder', 'big', 'viewer', `u${v}`);
  yield plain('folder', 'big', 'owner', 'u-big-owner');
  // Root folders are viewed by their org's members (a target set).
  for (let f = 0; f < orgs; f++) yield counted(['folder', `f${f}`, 'viewer', '', `o${f}`, 'member', 'org']);
  const roles = ['owner', 'editor', 'viewer'];
  while (made < N) {
    const k = rand(10);
    if (k < 1) yield plain('org', `o${rand(orgs)}`, 'member', `u${rand(users)}`);
    else if (k < 5) yield plain('folder', `f${rand(folders)}`, roles[rand(3)]!, `u${rand(users)}`);
    else yield plain('doc', `d${rand(docs)}`, roles[rand(3)]!, `u${rand(users)}`);
  }
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-authz-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_PROJECT_ID: projectId,
    LATCHKEY_MANAGEMENT_KEY: managementKey,
    LOG_LEVEL: 'silent',
  });
  const server = await startServer(config);
  try {
    const authz = createAuthzService(server.store);
    await authz.editSchema(projectId, () => structuredClone(seedSchema) as AuthzSchema);

    // Load: one prepared insert, 50,000 rows per transaction (duplicates from the random fill are ignored).
    const loadStart = performance.now();
    const raw = new DatabaseSync(path.join(dataDir, 'latchkey.db'));
    raw.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    const insert = raw.prepare(
      `insert or ignore into authz_relations (project_id, namespace, resource, relation_definition, target,
       target_set_resource, target_set_relation_definition, target_set_namespace, created_time)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = Math.floor(Date.now() / 1000);
    let batch = 0;
    raw.exec('begin');
    for (const r of relations()) {
      insert.run(projectId, ...r, now);
      if (++batch % 50_000 === 0) raw.exec('commit; begin');
    }
    raw.exec('commit');
    raw.exec('analyze');
    const stored = Number(
      (
        raw.prepare('select count(*) as n from authz_relations where project_id = ?').get(projectId) as {
          n: number;
        }
      ).n,
    );
    const pointQuery = raw.prepare('select version from authz_versions where project_id = ?');
    await bumpVersion(server.store.db, projectId);
    const loadMs = performance.now() - loadStart;
    console.log(
      `loaded ${fmt(stored)} relations (${orgs} orgs, ${fmt(folders)} folders, ${fmt(docs)} docs, ~${fmt(users)} users) in ${(loadMs / 1000).toFixed(1)} s (${fmt(stored / (loadMs / 1000))} relations/s)`,
    );

    // Baselines.
    const map = new Map<string, boolean>();
    for (let i = 0; i < 100_000; i++) map.set(`k${i}`, i % 2 === 0);
    const mapStart = performance.now();
    let sink = 0;
    for (let i = 0; i < 1_000_000; i++) if (map.get(`k${i % 100_000}`)) sink++;
    const mapOp = (performance.now() - mapStart) / 1_000_000;
    const sqlTimes: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = performance.now();
      pointQuery.get(projectId);
      sqlTimes.push(performance.now() - t);
    }
    const sqlOp = pct(sqlTimes, 0.5);
    const kyselyTimes: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const t = performance.now();
      await server.store.db
        .selectFrom('authz_versions')
        .select('version')
        .where('project_id', '=', projectId)
        .execute();
      kyselyTimes.push(performance.now() - t);
    }
    const kyselyOp = pct(kyselyTimes, 0.5);

    // Sample checks: half are grants found in the data (a doc role, or a folder role seen from a doc inside
    // that folder: inherited through parent), half are random doc/user pairs (mostly denied).
    const total = Number(
      (raw.prepare('select max(rowid) as n from authz_relations').get() as { n: number }).n,
    );
    const byRow = raw.prepare(
      'select namespace, resource, relation_definition as rd, target from authz_relations where rowid = ?',
    );
    const childDoc = raw.prepare(
      "select resource from authz_relations where project_id = ? and target = ? and namespace = 'doc' and relation_definition = 'parent' limit 1",
    );
    const queries: { namespace: string; relationDefinition: string; resource: string; target: string }[] = [];
    while (queries.length < 2000) {
      if (queries.length % 2) {
        queries.push({
          namespace: 'doc',
          relationDefinition: 'viewer',
          resource: `d${rand(docs)}`,
          target: `u${rand(users)}`,
        });
        continue;
      }
      const r = byRow.get(1 + rand(total)) as
        | { namespace: string; resource: string; rd: string; target: string }
        | undefined;
      if (!r?.target.startsWith('u') || r.rd === 'parent' || r.namespace === 'org') continue;
      const resource =
        r.namespace === 'doc'
          ? r.resource
          : (childDoc.get(projectId, r.resource) as { resource: string } | undefined)?.resource;
      if (resource)
        queries.push({ namespace: 'doc', relationDefinition: 'viewer', resource, target: r.target });
    }
    // Cold: an empty cache before every check (the first check after a write anywhere).
    const cold: number[] = [];
    for (const q of queries.slice(0, 500)) {
      authz.cache.invalidate(projectId);
      const t = performance.now();
      await authz.has(projectId, [q]);
      cold.push(performance.now() - t);
    }
    authz.cache.invalidate(projectId);
    let allowed = 0;
    for (const q of queries) if ((await authz.has(projectId, [q]))[0]) allowed++;
    const warm: number[] = [];
    for (let round = 0; round < 5; round++)
      for (const q of queries) {
        const t = performance.now();
        await authz.has(projectId, [q]);
        warm.push(performance.now() - t);
      }
    const rateStart = performance.now();
    let checks = 0;
    while (performance.now() - rateStart < 2000)
      for (let i = 0; i < 1000; i++) {
        await authz.has(projectId, [queries[checks % queries.length]!]);
        checks++;
      }
    const perSecond = checks / ((performance.now() - rateStart) / 1000);
    // 16 callers at once (as a server under load): concurrent checks share version reads.
    const concStart = performance.now();
    let concurrent = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, w) => {
        for (let i = w; performance.now() - concStart < 2000; i += 16) {
          await authz.has(projectId, [queries[i % queries.length]!]);
          concurrent++;
        }
      }),
    );
    const concurrentPerSecond = concurrent / ((performance.now() - concStart) / 1000);
    const batchStart = performance.now();
    let batched = 0;
    while (performance.now() - batchStart < 2000) {
      await authz.has(projectId, queries.slice(0, 100));
      batched += 100;
    }
    const batchedPerSecond = batched / ((performance.now() - batchStart) / 1000);

    // HTTP, for reference: one query per request, sequential.
    const http: number[] = [];
    // The server's own cache is separate from the one above: warm it with the same queries first.
    for (const q of queries.slice(0, 500))
      await fetch(`${server.url}/v1/mgmt/authz/re/has`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${projectId}:${managementKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ relationQueries: [q] }),
      }).then((r) => r.json());
    const auth = {
      authorization: `Bearer ${projectId}:${managementKey}`,
      'content-type': 'application/json',
    };
    for (const q of queries.slice(0, 500)) {
      const t = performance.now();
      const res = await fetch(`${server.url}/v1/mgmt/authz/re/has`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ relationQueries: [q] }),
      });
      await res.json();
      http.push(performance.now() - t);
    }

    // Who can access the big folder (cold cache, then warm).
    authz.cache.invalidate(projectId);
    let t = performance.now();
    const who = await authz.who(projectId, {
      namespace: 'folder',
      relationDefinition: 'viewer',
      resource: 'big',
    });
    const whoCold = performance.now() - t;
    t = performance.now();
    await authz.who(projectId, { namespace: 'folder', relationDefinition: 'viewer', resource: 'big' });
    const whoWarm = performance.now() - t;
    t = performance.now();
    const canView = await authz.targetWithRelation(projectId, {
      namespace: 'doc',
      relationDefinition: 'viewer',
      target: 'u1',
    });
    const twr = performance.now() - t;

    // Writes through the create call: one relation per call, then 1,000 per call.
    const writes = 1000;
    t = performance.now();
    for (let i = 0; i < writes; i++)
      await authz.createRelations(projectId, [
        { namespace: 'doc', resource: `d${rand(docs)}`, relationDefinition: 'viewer', target: `w${i}` },
      ]);
    const singleRate = writes / ((performance.now() - t) / 1000);
    const bulk = Array.from({ length: 1000 }, (_, i) => ({
      namespace: 'doc',
      resource: `d${rand(docs)}`,
      relationDefinition: 'editor',
      target: `wb${i}`,
    }));
    t = performance.now();
    for (let i = 0; i < 10; i++)
      await authz.createRelations(
        projectId,
        bulk.map((r) => ({ ...r, target: `${r.target}-${i}` })),
      );
    const bulkRate = 10_000 / ((performance.now() - t) / 1000);

    // Stale after write: grant on a folder, check a doc inside at once (warm cache); revoke, check at once.
    const rounds = 500;
    let stale = 0;
    for (let i = 0; i < rounds; i++) {
      const doc = `d${rand(docs)}`;
      const [q] = queries;
      await authz.has(projectId, [{ ...q!, resource: doc, target: `s${i}` }]);
      const parent = (
        raw
          .prepare(
            "select target from authz_relations where project_id = ? and namespace = 'doc' and resource = ? and relation_definition = 'parent'",
          )
          .get(projectId, doc) as { target: string }
      ).target;
      const grant = { namespace: 'folder', resource: parent, relationDefinition: 'editor', target: `s${i}` };
      await authz.createRelations(projectId, [grant]);
      if (
        !(
          await authz.has(projectId, [
            { namespace: 'doc', relationDefinition: 'viewer', resource: doc, target: `s${i}` },
          ])
        )[0]
      )
        stale++;
      await authz.deleteRelations(projectId, [grant]);
      if (
        (
          await authz.has(projectId, [
            { namespace: 'doc', relationDefinition: 'viewer', resource: doc, target: `s${i}` },
          ])
        )[0]
      )
        stale++;
    }
    raw.close();

    console.log('');
    row('measure', 'value', 'baseline / ratio');
    row(
      'check, warm, p50 (in process)',
      us(pct(warm, 0.5)),
      `Map.get ${us(mapOp)}; SQLite point query ${us(sqlOp)} (${(pct(warm, 0.5) / sqlOp).toFixed(1)}x)`,
    );
    row('check, warm, p99 (in process)', us(pct(warm, 0.99)), `target < 1000 µs`);
    row(
      '  (the version read inside every check)',
      '',
      `Kysely point query built per call, p50 ${us(kyselyOp)} (${(pct(warm, 0.5) / kyselyOp).toFixed(1)}x)`,
    );
    row(
      'check, cold, p50 / p99 (in process)',
      `${us(pct(cold, 0.5))} / ${us(pct(cold, 0.99))}`,
      `${(pct(cold, 0.5) / sqlOp).toFixed(0)}x a point query`,
    );
    row('check over HTTP, warm, p50 / p99 (reference)', `${us(pct(http, 0.5))} / ${us(pct(http, 0.99))}`, '');
    row(
      'warm checks/s, one core, one per call',
      fmt(perSecond),
      `target >= 50,000; ${(1000 / mapOp / perSecond).toFixed(0)}x slower than Map.get`,
    );
    row('warm checks/s, one core, 16 concurrent callers', fmt(concurrentPerSecond), 'target >= 50,000');
    row('warm checks/s, 100 per call', fmt(batchedPerSecond), '');
    row('sample answers allowed', `${allowed} of ${queries.length}`, '');
    row(
      `who can access folder "big" (viewer)`,
      `${fmt(who.length)} targets: ${whoCold.toFixed(1)} ms cold, ${whoWarm.toFixed(1)} ms warm`,
      `${VIEWERS} direct viewers`,
    );
    row('targetwithrelation(u1, doc#viewer)', `${canView.length} docs in ${twr.toFixed(1)} ms`, '');
    row('writes, one relation per create call', `${fmt(singleRate)} relations/s`, '');
    row('writes, 1,000 relations per create call', `${fmt(bulkRate)} relations/s`, '');
    row('check after write stale', `${stale} of ${rounds * 2}`, 'must be 0');
    if (sink < 0) console.log(sink);
  } finally {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
