import { BlockList, isIP } from 'node:net';
import type { Kysely } from 'kysely';
import type { Db } from '../../store/db.ts';
import type { Database } from '../../store/schema.ts';
import { parseJson } from '../../util.ts';

/**
 * One access key. The cleartext is never stored: `key_hash` is its SHA-256 (the cleartext is 56 random
 * base62 characters, so a fast hash is enough). Times are epoch seconds; `expire_time` 0 = never.
 */
export interface AccessKeysTable {
  project_id: string;
  id: string;
  name: string;
  description: string;
  key_hash: string;
  /** active | inactive */
  status: string;
  expire_time: number;
  created_time: number;
  created_by: string;
  role_names_json: string;
  /** `[{tenantId, roleNames}]` */
  key_tenants_json: string;
  custom_claims_json: string;
  custom_attributes_json: string;
  permitted_ips_json: string;
  /** '' when the key is not bound to a user */
  bound_user_id: string;
}

export type AccessKeyRow = AccessKeysTable;
export type KeyTenant = { tenantId: string; roleNames: string[] };

/** The table lives in this module (migration `0004_access_keys`), so the shared schema stays untouched. */
export const keysDb = (db: Db): Kysely<Database & { access_keys: AccessKeysTable }> =>
  db.withTables<{ access_keys: AccessKeysTable }>();

export async function createAccessKeysTable(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('access_keys')
    .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('projects.id').onDelete('cascade'))
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
}

export const keyTenantsOf = (row: AccessKeyRow): KeyTenant[] =>
  parseJson<KeyTenant[]>(row.key_tenants_json, []);
export const roleNamesOf = (row: AccessKeyRow): string[] => parseJson<string[]>(row.role_names_json, []);
export const customClaimsOfKey = (row: AccessKeyRow): Record<string, unknown> =>
  parseJson<Record<string, unknown>>(row.custom_claims_json, {});
export const permittedIpsOf = (row: AccessKeyRow): string[] =>
  parseJson<string[]>(row.permitted_ips_json, []);

/** An IP address or a CIDR block (`10.0.0.0/8`, `2001:db8::/32`); undefined when it is neither. */
function parseIpOrCidr(
  entry: string,
): { address: string; prefix: number; type: 'ipv4' | 'ipv6' } | undefined {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  if (rest.length > 0) return undefined;
  const version = isIP(address);
  if (version === 0) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (prefix > max) return undefined;
  return { address, prefix, type: version === 4 ? 'ipv4' : 'ipv6' };
}

export const invalidIpEntries = (entries: string[]): string[] =>
  entries.filter((e) => parseIpOrCidr(e) === undefined);

/** True when `ip` is inside one of the permitted addresses or blocks (an empty list permits every address). */
export function ipPermitted(permitted: string[], ip: string): boolean {
  if (permitted.length === 0) return true;
  const list = new BlockList();
  for (const entry of permitted) {
    const parsed = parseIpOrCidr(entry);
    if (parsed) list.addSubnet(parsed.address, parsed.prefix, parsed.type);
  }
  const candidates = [ip];
  // A dual-stack socket reports IPv4 clients as `::ffff:a.b.c.d`.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) candidates.push(mapped[1]!);
  return candidates.some((c) => {
    const version = isIP(c);
    return version !== 0 && list.check(c, version === 4 ? 'ipv4' : 'ipv6');
  });
}
