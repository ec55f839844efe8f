import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { type RunningServer, startServer } from '../../src/main.ts';
import { randomBase62 } from '../../src/util.ts';

export type StoreKind = 'sqlite' | 'postgres';

/** Stores every integration suite runs on. PostgreSQL is always on in CI; a laptop without it may opt out explicitly. */
export const STORES: StoreKind[] =
  process.env.LATCHKEY_TEST_POSTGRES === 'off' ? ['sqlite'] : ['sqlite', 'postgres'];

export const POSTGRES_ADMIN_URL =
  process.env.LATCHKEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type TestServer = {
  url: string;
  projectId: string;
  managementKey: string;
  store: StoreKind;
  server: RunningServer;
  /** what the server logged (with `options.logLevel`) */
  logs(): string;
  /** where the store lives: pass it as `shared` to start a second instance on the same store */
  shared: { databaseUrl?: string; dataDir: string };
  /** Authorization header values */
  project: string;
  management: string;
  close(): Promise<void>;
};

/** A throwaway PostgreSQL database: created empty, dropped at close. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `latchkey_test_${randomBase62(10).toLowerCase()}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Starts a real Latchkey server on a random port with a fresh store, and a known project and
 * management key (set through LATCHKEY_PROJECT_ID / LATCHKEY_MANAGEMENT_KEY, as CI and tooling do).
 */
export async function startTestServer(
  store: StoreKind,
  env: Record<string, string> = {},
  shared?: { databaseUrl?: string; dataDir?: string },
  options: { logLevel?: string } = {},
): Promise<TestServer> {
  const projectId = `P${randomBase62(27)}`;
  const managementKey = `K${randomBase62(40)}`;
  const dataDir = shared?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'latchkey-test-'));
  const database = store === 'postgres' && !shared?.databaseUrl ? await createPostgresDatabase() : undefined;
  const databaseUrl = store === 'postgres' ? (shared?.databaseUrl ?? database?.url) : undefined;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LATCHKEY_DATA_DIR: dataDir,
    LATCHKEY_PROJECT_ID: projectId,
    LATCHKEY_MANAGEMENT_KEY: managementKey,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...env,
  });
  let logged = '';
  const sink = new Writable({
    write(chunk, _enc, done) {
      logged += chunk.toString();
      done();
    },
  });
  // With a log level the server logs exactly as in production (createLogger), into `logs()`.
  const logger = options.logLevel ? createLogger(options.logLevel, sink) : pino({ level: 'silent' });
  const server = await startServer(config, { logger });
  return {
    url: server.url,
    projectId: config.bootstrapProjectId!,
    managementKey: config.bootstrapManagementKey!,
    store,
    server,
    shared: { databaseUrl, dataDir },
    logs: () => logged,
    project: `Bearer ${config.bootstrapProjectId}`,
    management: `Bearer ${config.bootstrapProjectId}:${config.bootstrapManagementKey}`,
    async close() {
      await server.close();
      await database?.drop();
      if (!shared?.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type CallResult<T = Record<string, unknown>> = { status: number; body: T; headers: Headers };

/** A raw HTTP call: the tests see exactly what goes over the wire. */
export async function call<T = Record<string, unknown>>(
  server: TestServer,
  method: string,
  urlPath: string,
  options: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.auth) headers.authorization = options.auth;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(`${server.url}${urlPath}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

export const mgmt = <T = Record<string, unknown>>(s: TestServer, method: string, p: string, body?: unknown) =>
  call<T>(s, method, p, { auth: s.management, body });
