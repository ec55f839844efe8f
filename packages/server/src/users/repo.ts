import type { Db } from '../store/db.ts';
import { normalizeLoginId, parseJson } from '../util.ts';

export type UserTenantRecord = { tenantId: string; tenantName: string; roleNames: string[] };

/** A user with everything attached: login ids, project roles and tenant memberships. */
export type UserRecord = {
  projectId: string;
  userId: string;
  loginIds: string[];
  name: string;
  givenName: string;
  middleName: string;
  familyName: string;
  email: string;
  phone: string;
  verifiedEmail: boolean;
  verifiedPhone: boolean;
  picture: string;
  status: 'enabled' | 'disabled' | 'invited' | 'expired';
  test: boolean;
  customAttributes: Record<string, unknown>;
  ssoAppIds: string[];
  passwordHash: string | null;
  passwordState: 'active' | 'temporary' | 'expired';
  passwordSetTime: number | null;
  failedAttempts: number;
  hasTotp: boolean;
  createdTime: number;
  modifiedTime: number;
  roleNames: string[];
  tenants: UserTenantRecord[];
};

type UserRow = Awaited<ReturnType<typeof selectUsers>>[number];

function selectUsers(db: Db, projectId: string, userIds: string[]) {
  return db
    .selectFrom('users')
    .selectAll()
    .where('project_id', '=', projectId)
    .where('id', 'in', userIds)
    .execute();
}

/** Storage of the user aggregate. Writes replace the whole aggregate inside the caller's transaction. */
export function createUserRepo() {
  async function attach(db: Db, projectId: string, rows: UserRow[]): Promise<UserRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [logins, memberships, roles] = await Promise.all([
      db
        .selectFrom('login_ids')
        .select(['user_id', 'login_id'])
        .where('project_id', '=', projectId)
        .where('user_id', 'in', ids)
        .orderBy('position')
        .execute(),
      db
        .selectFrom('user_tenants')
        .innerJoin('tenants', (j) =>
          j
            .onRef('tenants.project_id', '=', 'user_tenants.project_id')
            .onRef('tenants.id', '=', 'user_tenants.tenant_id'),
        )
        .select(['user_tenants.user_id', 'user_tenants.tenant_id', 'tenants.name'])
        .where('user_tenants.project_id', '=', projectId)
        .where('user_tenants.user_id', 'in', ids)
        .orderBy('user_tenants.created_time')
        .orderBy('user_tenants.tenant_id')
        .execute(),
      db
        .selectFrom('user_roles')
        .select(['user_id', 'tenant_id', 'role_name'])
        .where('project_id', '=', projectId)
        .where('user_id', 'in', ids)
        .orderBy('role_name')
        .execute(),
    ]);
    return rows.map((row) => {
      const tenants = memberships
        .filter((m) => m.user_id === row.id)
        .map((m) => ({
          tenantId: m.tenant_id,
          tenantName: m.name,
          roleNames: roles
            .filter((r) => r.user_id === row.id && r.tenant_id === m.tenant_id)
            .map((r) => r.role_name),
        }));
      return {
        projectId,
        userId: row.id,
        loginIds: logins.filter((l) => l.user_id === row.id).map((l) => l.login_id),
        name: row.name,
        givenName: row.given_name,
        middleName: row.middle_name,
        familyName: row.family_name,
        email: row.email,
        phone: row.phone,
        verifiedEmail: row.verified_email === 1,
        verifiedPhone: row.verified_phone === 1,
        picture: row.picture,
        status: row.status as UserRecord['status'],
        test: row.test === 1,
        customAttributes: parseJson(row.custom_attributes_json, {}),
        ssoAppIds: parseJson(row.sso_app_ids_json, []),
        passwordHash: row.password_hash,
        passwordState: row.password_state as UserRecord['passwordState'],
        passwordSetTime: row.password_set_time,
        failedAttempts: row.failed_attempts,
        hasTotp: row.totp_secret !== null,
        createdTime: row.created_time,
        modifiedTime: row.modified_time,
        roleNames: roles.filter((r) => r.user_id === row.id && r.tenant_id === '').map((r) => r.role_name),
        tenants,
      };
    });
  }

  return {
    async resolveUserId(db: Db, projectId: string, loginIdOrUserId: string): Promise<string | undefined> {
      const byLogin = await db
        .selectFrom('login_ids')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('login_id', '=', normalizeLoginId(loginIdOrUserId))
        .executeTakeFirst();
      if (byLogin) return byLogin.user_id;
      const byId = await db
        .selectFrom('users')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', '=', loginIdOrUserId)
        .executeTakeFirst();
      return byId?.id;
    },

    async findByLoginId(db: Db, projectId: string, loginId: string): Promise<UserRecord | undefined> {
      const row = await db
        .selectFrom('login_ids')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('login_id', '=', normalizeLoginId(loginId))
        .executeTakeFirst();
      return row ? this.load(db, projectId, row.user_id) : undefined;
    },

    async load(db: Db, projectId: string, userId: string): Promise<UserRecord | undefined> {
      const [user] = await this.loadMany(db, projectId, [userId]);
      return user;
    },

    /** Loads for update: on PostgreSQL the row is locked until the transaction ends. */
    async loadForUpdate(
      tx: Db,
      projectId: string,
      userId: string,
      lock: boolean,
    ): Promise<UserRecord | undefined> {
      let q = tx.selectFrom('users').selectAll().where('project_id', '=', projectId).where('id', '=', userId);
      if (lock) q = q.forUpdate();
      const rows = await q.execute();
      const [user] = await attach(tx, projectId, rows);
      return user;
    },

    async loadMany(db: Db, projectId: string, userIds: string[]): Promise<UserRecord[]> {
      if (userIds.length === 0) return [];
      const rows = await selectUsers(db, projectId, userIds);
      const byId = new Map((await attach(db, projectId, rows)).map((u) => [u.userId, u]));
      return userIds.map((id) => byId.get(id)).filter((u): u is UserRecord => u !== undefined);
    },

    async loginIdTaken(db: Db, projectId: string, loginId: string, exceptUserId?: string): Promise<boolean> {
      let q = db
        .selectFrom('login_ids')
        .select('user_id')
        .where('project_id', '=', projectId)
        .where('login_id', '=', normalizeLoginId(loginId));
      if (exceptUserId) q = q.where('user_id', '!=', exceptUserId);
      return (await q.executeTakeFirst()) !== undefined;
    },

    /** Writes the whole aggregate (insert or replace). Call inside a transaction. */
    async save(tx: Db, user: UserRecord, isNew: boolean): Promise<void> {
      user.loginIds = [...new Set(user.loginIds.map(normalizeLoginId))];
      const row = {
        name: user.name,
        given_name: user.givenName,
        middle_name: user.middleName,
        family_name: user.familyName,
        email: user.email,
        phone: user.phone,
        verified_email: user.verifiedEmail ? 1 : 0,
        verified_phone: user.verifiedPhone ? 1 : 0,
        picture: user.picture,
        status: user.status,
        test: user.test ? 1 : 0,
        custom_attributes_json: JSON.stringify(user.customAttributes),
        sso_app_ids_json: JSON.stringify(user.ssoAppIds),
        password_hash: user.passwordHash,
        password_state: user.passwordState,
        password_set_time: user.passwordSetTime,
        failed_attempts: user.failedAttempts,
        created_time: user.createdTime,
        modified_time: user.modifiedTime,
      };
      const p = user.projectId;
      if (isNew) {
        await tx
          .insertInto('users')
          .values({ project_id: p, id: user.userId, ...row })
          .execute();
      } else {
        await tx
          .updateTable('users')
          .set(row)
          .where('project_id', '=', p)
          .where('id', '=', user.userId)
          .execute();
        await tx
          .deleteFrom('login_ids')
          .where('project_id', '=', p)
          .where('user_id', '=', user.userId)
          .execute();
        await tx
          .deleteFrom('user_roles')
          .where('project_id', '=', p)
          .where('user_id', '=', user.userId)
          .execute();
        await tx
          .deleteFrom('user_tenants')
          .where('project_id', '=', p)
          .where('user_id', '=', user.userId)
          .execute();
      }
      if (user.loginIds.length > 0) {
        await tx
          .insertInto('login_ids')
          .values(
            user.loginIds.map((login_id, position) => ({
              project_id: p,
              login_id,
              user_id: user.userId,
              position,
            })),
          )
          .execute();
      }
      const now = user.modifiedTime;
      if (user.tenants.length > 0) {
        await tx
          .insertInto('user_tenants')
          .values(
            user.tenants.map((t, i) => ({
              project_id: p,
              user_id: user.userId,
              tenant_id: t.tenantId,
              created_time: now + i,
            })),
          )
          .execute();
      }
      const roleRows = [
        ...user.roleNames.map((role_name) => ({ tenant_id: '', role_name })),
        ...user.tenants.flatMap((t) =>
          t.roleNames.map((role_name) => ({ tenant_id: t.tenantId, role_name })),
        ),
      ];
      if (roleRows.length > 0) {
        await tx
          .insertInto('user_roles')
          .values(roleRows.map((r) => ({ project_id: p, user_id: user.userId, ...r })))
          .execute();
      }
    },

    /** Small, hot updates that do not touch the aggregate's relations (login ids, roles, tenants). */
    async updateSignInState(
      db: Db,
      projectId: string,
      userId: string,
      fields: Partial<
        Pick<UserRecord, 'failedAttempts' | 'status' | 'verifiedEmail' | 'verifiedPhone' | 'modifiedTime'>
      >,
    ): Promise<void> {
      const set: {
        failed_attempts?: number;
        status?: string;
        verified_email?: number;
        verified_phone?: number;
        modified_time?: number;
      } = {};
      if (fields.failedAttempts !== undefined) set.failed_attempts = fields.failedAttempts;
      if (fields.status !== undefined) set.status = fields.status;
      if (fields.verifiedEmail !== undefined) set.verified_email = fields.verifiedEmail ? 1 : 0;
      if (fields.verifiedPhone !== undefined) set.verified_phone = fields.verifiedPhone ? 1 : 0;
      if (fields.modifiedTime !== undefined) set.modified_time = fields.modifiedTime;
      await db
        .updateTable('users')
        .set(set)
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .execute();
    },

    /** Atomic, so concurrent wrong guesses all count toward the lockout. */
    async incrementFailedAttempts(db: Db, projectId: string, userId: string): Promise<void> {
      await db
        .updateTable('users')
        .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
        .where('project_id', '=', projectId)
        .where('id', '=', userId)
        .execute();
    },

    async delete(db: Db, projectId: string, userId: string): Promise<void> {
      await db.deleteFrom('users').where('project_id', '=', projectId).where('id', '=', userId).execute();
    },
  };
}

export type UserRepo = ReturnType<typeof createUserRepo>;
