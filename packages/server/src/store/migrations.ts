import fs from 'node:fs';
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { createAuditTables } from '../audit/migration.ts';
import { createFlowTables } from '../mgmt/flows/migration.ts';
import type { Dialect } from './db.ts';

/**
 * Migrations in TypeScript, run at start. Kysely's migrator takes a lock (a table on SQLite,
 * an advisory lock on PostgreSQL), so instances starting together apply each one exactly once.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const autoId = dialect === 'postgres' ? 'bigserial' : 'integer';
  return {
    '0001_core': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('projects')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('settings_json', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('management_keys')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('alg', 'varchar(16)', (c) => c.notNull())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addColumn('retired_time', 'bigint')
          .addColumn('unpublish_time', 'bigint')
          .execute();
        await db.schema.createIndex('signing_keys_project').on('signing_keys').column('project_id').execute();
        await db.schema
          .createTable('tenants')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('id', 'varchar(128)', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('name_lower', 'text', (c) => c.notNull())
          .addColumn('self_provisioning_domains_json', 'text', (c) => c.notNull())
          .addColumn('custom_attributes_json', 'text', (c) => c.notNull())
          .addColumn('enforce_sso', 'integer', (c) => c.notNull())
          .addColumn('enforce_sso_exclusions_json', 'text', (c) => c.notNull())
          .addColumn('disabled', 'integer', (c) => c.notNull())
          .addColumn('parent', 'text', (c) => c.notNull())
          .addColumn('role_inheritance', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('tenants_pk', ['project_id', 'id'])
          .addUniqueConstraint('tenants_name_unique', ['project_id', 'name_lower'])
          .execute();
        await db.schema
          .createTable('users')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('id', 'varchar(64)', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('given_name', 'text', (c) => c.notNull())
          .addColumn('middle_name', 'text', (c) => c.notNull())
          .addColumn('family_name', 'text', (c) => c.notNull())
          .addColumn('email', 'text', (c) => c.notNull())
          .addColumn('phone', 'text', (c) => c.notNull())
          .addColumn('verified_email', 'integer', (c) => c.notNull())
          .addColumn('verified_phone', 'integer', (c) => c.notNull())
          .addColumn('picture', 'text', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('test', 'integer', (c) => c.notNull())
          .addColumn('custom_attributes_json', 'text', (c) => c.notNull())
          .addColumn('sso_app_ids_json', 'text', (c) => c.notNull())
          .addColumn('password_hash', 'text')
          .addColumn('password_state', 'varchar(16)', (c) => c.notNull())
          .addColumn('password_set_time', 'bigint')
          .addColumn('failed_attempts', 'integer', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addColumn('modified_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('users_pk', ['project_id', 'id'])
          .execute();
        await db.schema.createIndex('users_email').on('users').columns(['project_id', 'email']).execute();
        await db.schema.createIndex('users_phone').on('users').columns(['project_id', 'phone']).execute();
        await db.schema
          .createIndex('users_created')
          .on('users')
          .columns(['project_id', 'created_time'])
          .execute();
        await db.schema
          .createTable('login_ids')
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('login_id', 'varchar(320)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('position', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('login_ids_pk', ['project_id', 'login_id'])
          .addForeignKeyConstraint(
            'login_ids_user',
            ['project_id', 'user_id'],
            'users',
            ['project_id', 'id'],
            (c) => c.onDelete('cascade'),
          )
          .execute();
        await db.schema
          .createIndex('login_ids_user')
          .on('login_ids')
          .columns(['project_id', 'user_id'])
          .execute();
        await db.schema
          .createTable('user_tenants')
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('tenant_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('user_tenants_pk', ['project_id', 'user_id', 'tenant_id'])
          .addForeignKeyConstraint(
            'user_tenants_user',
            ['project_id', 'user_id'],
            'users',
            ['project_id', 'id'],
            (c) => c.onDelete('cascade'),
          )
          .addForeignKeyConstraint(
            'user_tenants_tenant',
            ['project_id', 'tenant_id'],
            'tenants',
            ['project_id', 'id'],
            (c) => c.onDelete('cascade'),
          )
          .execute();
        await db.schema
          .createIndex('user_tenants_tenant')
          .on('user_tenants')
          .columns(['project_id', 'tenant_id'])
          .execute();
        await db.schema
          .createTable('user_roles')
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('tenant_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('role_name', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('user_roles_pk', ['project_id', 'user_id', 'tenant_id', 'role_name'])
          .addForeignKeyConstraint(
            'user_roles_user',
            ['project_id', 'user_id'],
            'users',
            ['project_id', 'id'],
            (c) => c.onDelete('cascade'),
          )
          .execute();
        await db.schema
          .createIndex('user_roles_role')
          .on('user_roles')
          .columns(['project_id', 'tenant_id', 'role_name'])
          .execute();
        await db.schema
          .createTable('roles')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('tenant_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('permission_names_json', 'text', (c) => c.notNull())
          .addColumn('is_default', 'integer', (c) => c.notNull())
          .addColumn('is_private', 'integer', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('roles_pk', ['project_id', 'tenant_id', 'name'])
          .execute();
        await db.schema
          .createTable('permissions')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('permissions_pk', ['project_id', 'name'])
          .execute();
        await db.schema
          .createTable('refresh_tokens')
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('jti', 'varchar(64)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('issued_time', 'bigint', (c) => c.notNull())
          .addColumn('expires_time', 'bigint', (c) => c.notNull())
          .addColumn('revoked_time', 'bigint')
          .addPrimaryKeyConstraint('refresh_tokens_pk', ['project_id', 'jti'])
          .execute();
        await db.schema
          .createIndex('refresh_tokens_user')
          .on('refresh_tokens')
          .columns(['project_id', 'user_id'])
          .execute();
        await db.schema
          .createTable('login_history')
          .addColumn('id', autoId, (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('login_time', 'bigint', (c) => c.notNull())
          .addColumn('ip', 'text', (c) => c.notNull())
          .addColumn('city', 'text', (c) => c.notNull())
          .addColumn('country', 'text', (c) => c.notNull())
          .addColumn('selected_tenant', 'text', (c) => c.notNull())
          .addColumn('method', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('login_history_user')
          .on('login_history')
          .columns(['project_id', 'user_id', 'login_time'])
          .execute();
      },
    },
    '0002_passwordless': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('one_time_secrets')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('id', 'varchar(64)', (c) => c.notNull())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('secret_hash', 'varchar(128)', (c) => c.notNull())
          .addColumn('login_id', 'varchar(320)', (c) => c.notNull())
          .addColumn('user_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('method', 'varchar(16)', (c) => c.notNull())
          .addColumn('state', 'varchar(16)', (c) => c.notNull())
          .addColumn('group_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('payload_json', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('expires_time', 'bigint', (c) => c.notNull())
          .addColumn('consumed_time', 'bigint')
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('one_time_secrets_pk', ['project_id', 'id'])
          .execute();
        await db.schema
          .createIndex('one_time_secrets_hash')
          .on('one_time_secrets')
          .columns(['project_id', 'kind', 'secret_hash'])
          .execute();
        await db.schema
          .createIndex('one_time_secrets_login')
          .on('one_time_secrets')
          .columns(['project_id', 'kind', 'login_id', 'created_time'])
          .execute();
        await db.schema
          .createTable('outbox_messages')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('id', 'varchar(64)', (c) => c.notNull())
          .addColumn('channel', 'varchar(16)', (c) => c.notNull())
          .addColumn('kind', 'varchar(32)', (c) => c.notNull())
          .addColumn('recipient', 'text', (c) => c.notNull())
          .addColumn('subject', 'text', (c) => c.notNull())
          .addColumn('text_body', 'text', (c) => c.notNull())
          .addColumn('html_body', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('outbox_messages_pk', ['project_id', 'id'])
          .execute();
        await db.schema
          .createIndex('outbox_messages_created')
          .on('outbox_messages')
          .columns(['project_id', 'created_time'])
          .execute();
        await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
        await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
      },
    },
    '0003_authz': {
      async up(db: Kysely<unknown>) {
        // One ReBAC schema per project, kept whole as JSON: it is read whole for every check.
        await db.schema
          .createTable('authz_schemas')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.primaryKey().references('projects.id').onDelete('cascade'),
          )
          .addColumn('schema_json', 'text', (c) => c.notNull())
          .addColumn('modified_time', 'bigint', (c) => c.notNull())
          .execute();
        // A relation's target is a user-like id (`target`) or a target set; unused columns hold ''.
        await db.schema
          .createTable('authz_relations')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('namespace', 'varchar(256)', (c) => c.notNull())
          .addColumn('resource', 'varchar(512)', (c) => c.notNull())
          .addColumn('relation_definition', 'varchar(256)', (c) => c.notNull())
          .addColumn('target', 'varchar(512)', (c) => c.notNull())
          .addColumn('target_set_resource', 'varchar(512)', (c) => c.notNull())
          .addColumn('target_set_relation_definition', 'varchar(256)', (c) => c.notNull())
          .addColumn('target_set_namespace', 'varchar(256)', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('authz_relations_pk', [
            'project_id',
            'namespace',
            'resource',
            'relation_definition',
            'target',
            'target_set_resource',
            'target_set_relation_definition',
            'target_set_namespace',
          ])
          .execute();
        // relationLeft and "what can a target access" walk relations by their target.
        await db.schema
          .createIndex('authz_relations_target')
          .on('authz_relations')
          .columns(['project_id', 'target', 'namespace', 'relation_definition'])
          .execute();
        await db.schema
          .createIndex('authz_relations_resource')
          .on('authz_relations')
          .columns(['project_id', 'resource'])
          .execute();
        await db.schema
          .createIndex('authz_relations_target_set')
          .on('authz_relations')
          .columns(['project_id', 'target_set_resource'])
          .execute();
      },
    },
    '0004_access_keys': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('access_keys')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('id', 'varchar(64)', (c) => c.notNull())
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('description', 'text', (c) => c.notNull())
          .addColumn('key_hash', 'varchar(128)', (c) => c.notNull().unique())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('expire_time', 'bigint', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('role_names_json', 'text', (c) => c.notNull())
          .addColumn('key_tenants_json', 'text', (c) => c.notNull())
          .addColumn('custom_claims_json', 'text', (c) => c.notNull())
          .addColumn('custom_attributes_json', 'text', (c) => c.notNull())
          .addColumn('permitted_ips_json', 'text', (c) => c.notNull())
          .addColumn('bound_user_id', 'varchar(64)', (c) => c.notNull())
          .addPrimaryKeyConstraint('access_keys_pk', ['project_id', 'id'])
          .execute();
        await db.schema
          .createIndex('access_keys_created')
          .on('access_keys')
          .columns(['project_id', 'created_time'])
          .execute();
      },
    },
    '0005_audit': {
      // See src/audit/migration.ts for why login ids and tenants live in a child table.
      async up(db: Kysely<unknown>) {
        await createAuditTables(db, dialect);
      },
    },
    '0006_tenant_settings': {
      async up(db: Kysely<unknown>) {
        // Per-tenant session policy (docs/tenant-settings.md); goes with its tenant.
        await db.schema
          .createTable('tenant_settings')
          .addColumn('project_id', 'varchar(64)', (c) => c.notNull())
          .addColumn('tenant_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('enabled', 'integer', (c) => c.notNull())
          .addColumn('settings_json', 'text', (c) => c.notNull())
          .addColumn('modified_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('tenant_settings_pk', ['project_id', 'tenant_id'])
          .addForeignKeyConstraint(
            'tenant_settings_tenant',
            ['project_id', 'tenant_id'],
            'tenants',
            ['project_id', 'id'],
            (fk) => fk.onDelete('cascade'),
          )
          .execute();
        // Inactivity timeout: when the session behind a refresh token was last used (null: at issue).
        await db.schema.alterTable('refresh_tokens').addColumn('last_active_time', 'bigint').execute();
      },
    },
    '0007_flows_themes': {
      async up(db: Kysely<unknown>) {
        await createFlowTables(db);
      },
    },
    '0008_authz_versions': {
      async up(db: Kysely<unknown>) {
        // Bumped in the transaction of every ReBAC schema/relation write: instances compare it to drop stale caches.
        await db.schema
          .createTable('authz_versions')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.primaryKey().references('projects.id').onDelete('cascade'),
          )
          .addColumn('version', 'bigint', (c) => c.notNull())
          .execute();
      },
    },
    '0008_custom_attributes': {
      async up(db: Kysely<unknown>) {
        // Typed custom attribute definitions (docs/custom-attributes.md); `scope` is user | tenant.
        await db.schema
          .createTable('custom_attributes')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('scope', 'varchar(16)', (c) => c.notNull())
          .addColumn('name', 'varchar(128)', (c) => c.notNull())
          .addColumn('definition_json', 'text', (c) => c.notNull())
          .addColumn('created_time', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('custom_attributes_pk', ['project_id', 'scope', 'name'])
          .execute();
      },
    },
    '0009_authz_changes': {
      async up(db: Kysely<unknown>) {
        // The ReBAC change log behind /v1/mgmt/authz/getmodified (docs/authz.md): written in the transaction of
        // every schema or relation write; rows past the retention window are pruned by store/maintenance.ts.
        await db.schema
          .createTable('authz_changes')
          .addColumn('project_id', 'varchar(64)', (c) =>
            c.notNull().references('projects.id').onDelete('cascade'),
          )
          .addColumn('changed_at', 'bigint', (c) => c.notNull())
          .addColumn('kind', 'varchar(16)', (c) => c.notNull())
          .addColumn('resource', 'text', (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('authz_changes_time')
          .on('authz_changes')
          .columns(['project_id', 'changed_at'])
          .execute();
        await db.schema.createIndex('authz_changes_prune').on('authz_changes').column('changed_at').execute();
      },
    },
  };
}

/** Every migration this build knows, in order. */
export const migrationNames = (dialect: Dialect): string[] => Object.keys(migrations(dialect)).sort();

class InlineProvider implements MigrationProvider {
  readonly #dialect: Dialect;
  constructor(dialect: Dialect) {
    this.#dialect = dialect;
  }
  async getMigrations(): Promise<Record<string, Migration>> {
    return migrations(this.#dialect);
  }
}

/**
 * Kysely takes no lock on SQLite (it assumes one process); `latchkey keys rotate` or a second process on
 * the same data folder may migrate at the same moment, so SQLite migrations hold a lock file.
 */
async function withFileLock<T>(lockFile: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lockFile, 'wx'));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lockFile, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 60_000) fs.rmSync(lockFile, { force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for the migration lock ${lockFile}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lockFile, { force: true });
  }
}

export async function migrate(db: Kysely<unknown>, dialect: Dialect, lockFile?: string): Promise<string[]> {
  if (dialect === 'sqlite' && lockFile) return withFileLock(lockFile, () => migrate(db, dialect));
  const migrator = new Migrator({ db, provider: new InlineProvider(dialect) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

export async function ping(db: Kysely<unknown>): Promise<void> {
  await sql`select 1`.execute(db);
}
