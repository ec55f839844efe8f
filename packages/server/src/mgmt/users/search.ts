import { sql } from 'kysely';
import type { Db } from '../../store/db.ts';
import type { UserRecord, UserRepo } from '../../users/repo.ts';
import { toWireUser } from '../../users/wire.ts';
import { normalizeLoginId } from '../../util.ts';
import { type AttributeDefinition, createAttributeDefinitions } from '../attributes/definitions.ts';
import { matchesAttributes } from '../attributes.ts';
import type { UserSearch } from './schema.ts';

const DEFAULT_LIMIT = 100;
const SORT_COLUMNS = {
  createdTime: 'created_time',
  modifiedTime: 'modified_time',
  name: 'name',
  email: 'email',
  phone: 'phone',
  status: 'status',
  userId: 'id',
  givenName: 'given_name',
  familyName: 'family_name',
} as const;

/** Filters that only exist inside JSON or across relations are checked after loading; the rest run in SQL. */
function needsPostFilter(s: UserSearch): boolean {
  return Boolean((s.customAttributes && Object.keys(s.customAttributes).length) || s.ssoAppIds?.length);
}

function postFilter(user: UserRecord, s: UserSearch, definitions: AttributeDefinition[]): boolean {
  if (!matchesAttributes(user.customAttributes, s.customAttributes, definitions)) return false;
  if (s.ssoAppIds?.length && !s.ssoAppIds.some((a) => user.ssoAppIds.includes(a))) return false;
  return true;
}

export async function searchUsers(db: Db, users: UserRepo, projectId: string, s: UserSearch) {
  let q = db.selectFrom('users').where('project_id', '=', projectId);
  if (s.testUsersOnly) q = q.where('test', '=', 1);
  else if (!s.withTestUser) q = q.where('test', '=', 0);
  if (s.statuses?.length) q = q.where('status', 'in', s.statuses);
  if (s.emails?.length) q = q.where('email', 'in', s.emails);
  if (s.phones?.length) q = q.where('phone', 'in', s.phones);
  if (s.userIds?.length) q = q.where('id', 'in', s.userIds);
  if (s.verifiedEmail !== undefined) q = q.where('verified_email', '=', s.verifiedEmail ? 1 : 0);
  if (s.verifiedPhone !== undefined) q = q.where('verified_phone', '=', s.verifiedPhone ? 1 : 0);
  // Client times are epoch milliseconds; stored times are seconds.
  if (s.fromCreatedTime) q = q.where('created_time', '>=', Math.floor(s.fromCreatedTime / 1000));
  if (s.toCreatedTime) q = q.where('created_time', '<=', Math.ceil(s.toCreatedTime / 1000));
  if (s.fromModifiedTime) q = q.where('modified_time', '>=', Math.floor(s.fromModifiedTime / 1000));
  if (s.toModifiedTime) q = q.where('modified_time', '<=', Math.ceil(s.toModifiedTime / 1000));
  const loginIds = [...(s.loginIds ?? []), ...(s.loginId ? [s.loginId] : [])].map(normalizeLoginId);
  if (loginIds.length) {
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('login_ids')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('login_id', 'in', loginIds),
    );
  }
  if (s.tenantIds?.length) {
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('user_tenants')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('tenant_id', 'in', s.tenantIds),
    );
  }
  if (s.roleNames?.length) {
    q = q.where(
      'id',
      'in',
      db
        .selectFrom('user_roles')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('role_name', 'in', s.roleNames),
    );
  }

  if (s.text) {
    const pattern = `%${s.text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const like = (column: string) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
    q = q.where((eb) =>
      eb.or([
        ...['id', 'name', 'given_name', 'middle_name', 'family_name', 'email', 'phone'].map(like),
        eb(
          'id',
          'in',
          db
            .selectFrom('login_ids')
            .select('user_id')
            .where('project_id', '=', projectId)
            .where(like('login_id')),
        ),
      ]),
    );
  }
  // Users holding the given roles in a tenant: any of them, or all of them with `and`.
  for (const [tenantId, filter] of Object.entries(s.tenantRoleNames ?? s.tenantRoleIds ?? {})) {
    const values = filter.values ?? [];
    if (values.length === 0) {
      q = q.where(
        'id',
        'in',
        db
          .selectFrom('user_tenants')
          .select('user_id')
          .where('project_id', '=', projectId)
          .where('tenant_id', '=', tenantId),
      );
      continue;
    }
    let holders = db
      .selectFrom('user_roles')
      .select('user_id')
      .where('project_id', '=', projectId)
      .where('tenant_id', '=', tenantId)
      .where('role_name', 'in', values)
      .groupBy('user_id');
    if (filter.and)
      holders = holders.having((eb) => eb.fn.count('role_name').distinct(), '=', new Set(values).size);
    q = q.where('id', 'in', holders);
  }

  let ordered = q.select('id');
  for (const sort of s.sort ?? []) {
    const column = SORT_COLUMNS[sort.field as keyof typeof SORT_COLUMNS];
    if (column) ordered = ordered.orderBy(column, sort.desc ? 'desc' : 'asc');
  }
  ordered = ordered.orderBy('created_time').orderBy('id');

  const limit = s.limit || DEFAULT_LIMIT;
  const offset = (s.page ?? 0) * limit;
  if (!needsPostFilter(s)) {
    const [countRow, page] = await Promise.all([
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ordered.limit(limit).offset(offset).execute(),
    ]);
    const loaded = await users.loadMany(
      db,
      projectId,
      page.map((r) => r.id),
    );
    return { users: loaded.map(toWireUser), total: Number(countRow.n) };
  }
  // typed comparison needs the definitions only when attributes are searched (not for an ssoAppIds-only filter)
  const definitions = s.customAttributes
    ? await createAttributeDefinitions().list(db, projectId, 'user')
    : [];
  const ids = (await ordered.execute()).map((r) => r.id);
  const matched: UserRecord[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = await users.loadMany(db, projectId, ids.slice(i, i + 500));
    matched.push(...chunk.filter((u) => postFilter(u, s, definitions)));
  }
  return { users: matched.slice(offset, offset + limit).map(toWireUser), total: matched.length };
}
