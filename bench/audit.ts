/**
 * `npm run bench:audit [-- --records N] [-- --pg]`: audit-search latency on a large trail. Inserts N records
 * (default 1,000,000) spread over 30 days, many users, tenants and actions, into a fresh SQLite store (and a
 * throwaway PostgreSQL database with --pg), then times the searches `POST /v1/mgmt/audit/search` runs
 * (the same repository code, without HTTP) against a baseline measured in the same run: a primary-key point
 * query on the same table.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import {
  type AuditFilters,
  type AuditRow,
  insertAuditRows,
  searchAuditRows,
} from '../packages/server/src/audit/repo.ts';
import { refreshAuditStats } from '../packages/server/src/audit/retention.ts';
import { createAuditLog, sortableId } from '../packages/server/src/audit/service.ts';
import { openStore, type Store } from '../packages/server/src/store/db.ts';
import { migrate } from '../packages/server/src/store/migrations.ts';

const args = process.argv.slice(2);
const RECORDS =
  Number(args[args.indexOf('--records') + 1] || 0) || (args.includes('--records') ? 0 : 1_000_000);
const WITH_PG = args.includes('--pg');
const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 40);
const PG_ADMIN = process.env.LATCHKEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY = 86_400_000;
const projectId = 'Pbenchaudit00000000000000000';
const USERS = 20_000;
const TENANTS = 500;
const ACTIONS = [
  ['LoginSucceed', 40],
  ['UserRefresh', 25],
  ['LoginStarted', 12],
  ['LoginFailed', 8],
  ['Logout', 6],
  ['UserModified', 4],
  ['UserCreated', 3],
  ['TenantModified', 1],
  ['RoleCreated', 0.5],
  ['AccessKeyCreated', 0.5],
] as const;
const METHODS = ['password', 'otp', 'magiclink', 'totp', 'enchantedlink', 'accesskey'];
const DEVICES = ['Desktop', 'Mobile', 'Tablet', 'Bot', 'Unknown'];
const GEOS = ['US', 'DE', 'IL', 'FR', 'GB', 'IN', 'BR', 'JP'];

let seed = 42;
const rand = () => {
  seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const totalWeight = ACTIONS.reduce((s, [, w]) => s + w, 0);
const pickAction = () => {
  let r = rand() * totalWeight;
  for (const [a, w] of ACTIONS) {
    r -= w;
    if (r <= 0) return a;
  }
  return ACTIONS[0][0];
};
const userId = (i: number) => `U${String(i).padStart(27, '0')}`;
const loginId = (i: number) => `user${i}@example${i % 97}.com`;
const tenantOf = (i: number) => `T${String(i % TENANTS).padStart(6, '0')}`;

let made = 0;
function makeRow(now: number): AuditRow {
  const u = Math.floor(rand() * USERS);
  const action = pickAction();
  const tenants = u % 3 === 0 ? [] : [tenantOf(u)];
  const loginIds = [loginId(u)];
  // the trail is written in time order (with a little jitter), as a running server writes it
  const occurred = now - 30 * DAY + Math.floor((made++ / RECORDS) * 30 * DAY) - Math.floor(rand() * 1000);
  const row: AuditRow = {
    project_id: projectId,
    id: sortableId(occurred),
    occurred,
    action,
    type: action === 'LoginFailed' ? 'warn' : 'info',
    actor_id: userId(u),
    user_id: userId(u),
    login_ids_json: JSON.stringify(loginIds),
    tenants_json: JSON.stringify(tenants),
    tenant_count: tenants.length,
    method: pick(METHODS),
    device: pick(DEVICES),
    geo: pick(GEOS),
    remote_address: `10.${u % 256}.${Math.floor(u / 256) % 256}.${Math.floor(rand() * 256)}`,
    data_json: action === 'LoginFailed' ? '{"error_code":"E062901"}' : '{}',
  };
  return row;
}

async function fill(store: Store, now: number): Promise<{ ms: number; ids: string[] }> {
  const started = performance.now();
  const ids: string[] = [];
  seed = 42;
  made = 0;
  const BATCH = 5_000;
  for (let done = 0; done < RECORDS; done += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, RECORDS - done) }, () => makeRow(now));
    if (ids.length < 1000) ids.push(...rows.slice(0, 10).map((r) => r.id));
    await insertAuditRows(store.db, rows);
    if ((done / BATCH) % 20 === 0) process.stderr.write(`\r  inserted ${done.toLocaleString()}…`);
  }
  process.stderr.write('\r');
  // what the maintenance timer does every few minutes in a running server
  const analyzed = performance.now();
  await refreshAuditStats(store.db);
  console.log(`  statistics refreshed in ${(performance.now() - analyzed).toFixed(0)} ms`);
  return { ms: analyzed - started, ids };
}

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

async function time(fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 3; i++) await fn(i); // warm-up
  const xs: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const t = performance.now();
    await fn(i);
    xs.push(performance.now() - t);
  }
  return { p50: pct(xs, 0.5), p99: pct(xs, 0.99) };
}

async function measure(label: string, store: Store) {
  const now = Date.now();
  console.log(`\n${label}: inserting ${RECORDS.toLocaleString()} records…`);
  const { ms, ids } = await fill(store, now);
  console.log(
    `  inserted in ${(ms / 1000).toFixed(1)} s (${Math.round(RECORDS / (ms / 1000)).toLocaleString()} records/s)`,
  );
  const window = { from: now - 30 * DAY, to: now, size: 1000, page: 0 };
  const search = (f: Partial<AuditFilters>) => searchAuditRows(store.db, projectId, { ...window, ...f });
  const u = (i: number) => (i * 7919) % USERS;
  const cases: [string, (i: number) => Promise<unknown>][] = [
    [
      'baseline: primary-key point query',
      (i) =>
        store.db
          .selectFrom('audit_events')
          .selectAll()
          .where('project_id', '=', projectId)
          .where('id', '=', ids[i % ids.length]!)
          .execute(),
    ],
    ['by user id', (i) => search({ userIds: [userId(u(i))] })],
    ['by login id (externalIds)', (i) => search({ loginIds: [loginId(u(i))] })],
    ['by tenant', (i) => search({ tenants: [tenantOf(u(i) + 1)] })],
    ['by action (rare: RoleCreated)', () => search({ actions: ['RoleCreated'] })],
    ['by action (common: LoginFailed), 1000 rows', () => search({ actions: ['LoginFailed'] })],
    [
      'time range (one hour), 1000 rows',
      (i) => search({ from: now - (i + 2) * 3_600_000, to: now - (i + 1) * 3_600_000 }),
    ],
    ['free text (a login id)', (i) => search({ text: loginId(u(i)) })],
    [
      'combined: tenant + LoginFailed + 7 days',
      (i) => search({ tenants: [tenantOf(u(i) + 1)], actions: ['LoginFailed'], from: now - 7 * DAY }),
    ],
    [
      'excluded actions + noTenants, 1000 rows',
      () => search({ excludedActions: ['UserRefresh', 'LoginSucceed'], noTenants: true }),
    ],
  ];
  // What a request pays: record() builds the row and queues it; the write happens later, in batches.
  const log = createAuditLog({
    db: store.db,
    logger: pino({ level: 'silent' }),
    flushIntervalMs: 60_000,
    batchSize: 1_000_000,
  });
  const EVENTS = 20_000;
  const request = {
    ip: '203.0.113.9',
    headers: { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148' },
  };
  const queued = performance.now();
  for (let i = 0; i < EVENTS; i++)
    await log.record({
      projectId,
      action: 'LoginSucceed',
      method: 'password',
      userId: userId(i),
      loginIds: [loginId(i)],
      request,
    });
  const queuedMs = performance.now() - queued;
  const written = performance.now();
  await log.close();
  const writtenMs = performance.now() - written;
  console.log(
    `  record(): ${((queuedMs * 1000) / EVENTS).toFixed(1)} µs per event on the request path; batched write ${Math.round(EVENTS / (writtenMs / 1000)).toLocaleString()} events/s`,
  );
  const rows: string[][] = [];
  let base = 1;
  for (const [name, fn] of cases) {
    const r = await time(fn);
    if (rows.length === 0) base = r.p50;
    rows.push([name, r.p50.toFixed(2), r.p99.toFixed(2), `${(r.p50 / base).toFixed(1)}×`]);
  }
  const widths = [44, 10, 10, 10];
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');
  console.log(line(['search (page size 1000)', 'p50 ms', 'p99 ms', 'p50/base']));
  for (const r of rows) console.log(line(r));
}

async function main() {
  console.log(
    `audit search benchmark: ${RECORDS.toLocaleString()} records, ${ITERATIONS} runs per search, node ${process.version}, ${os.cpus().length} CPUs`,
  );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-bench-audit-'));
  try {
    const sqlite = openStore({ dataDir: dir });
    await migrate(sqlite.db as never, 'sqlite');
    await measure('SQLite', sqlite);
    await sqlite.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (WITH_PG) {
    const name = `latchkey_bench_audit_${Date.now()}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_ADMIN);
    url.pathname = `/${name}`;
    const store = openStore({ databaseUrl: url.toString(), dataDir: dir });
    try {
      await migrate(store.db as never, 'postgres');
      await measure('PostgreSQL', store);
    } finally {
      await store.close();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
}

await main();
