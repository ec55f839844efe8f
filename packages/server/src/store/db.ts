import fs from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { openNodeSqlite } from './sqlite-driver.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;
export type Store = { db: Db; dialect: Dialect; migrationLockFile?: string; close(): Promise<void> };

// int8 (bigint) columns hold epoch seconds and counts: far below 2^53, so plain numbers are safe.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function openStore(options: { databaseUrl?: string; dataDir: string }): Store {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  fs.mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(options.dataDir, 'latchkey.db');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: openNodeSqlite(file) }) });
  return {
    db,
    dialect: 'sqlite',
    migrationLockFile: path.join(options.dataDir, 'migrate.lock'),
    close: () => db.destroy(),
  };
}
