import type { AuditLog } from '../../audit/types.ts';
import { hashPassword } from '../../auth/password/hashing.ts';
import { checkPasswordPolicy } from '../../auth/password/policy.ts';
import { createTotpRepo } from '../../auth/totp/repo.ts';
import type { DeliveryService } from '../../delivery/service.ts';
import { LatchkeyError } from '../../errors.ts';
import type { Project } from '../../projects/repo.ts';
import type { Db } from '../../store/db.ts';
import type { SessionService } from '../../tokens/sessions.ts';
import { newUserRecord } from '../../users/factory.ts';
import { importHashedPassword } from '../../users/password-import.ts';
import type { UserRecord, UserRepo, UserTenantRecord } from '../../users/repo.ts';
import { toWireUser, type WireUser } from '../../users/wire.ts';
import { normalizeLoginId, nowSeconds, unique } from '../../util.ts';
import { createAttributeDefinitions } from '../attributes/definitions.ts';
import { checkInvite, sendInvite } from './invite.ts';
import type { InviteOptions, UserPatch, UserWrite } from './schema.ts';

type Deps = {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  users: UserRepo;
  sessions: SessionService;
  delivery: DeliveryService;
  audit: AuditLog;
};

const attributeDefinitions = createAttributeDefinitions();
const totp = createTotpRepo();

/** Management of the user aggregate: every write is validated first and applied in one transaction. */
export function createUserService(deps: Deps) {
  const { db, users } = deps;

  async function resolve(conn: Db, projectId: string, loginIdOrUserId: string): Promise<string> {
    const id = await users.resolveUserId(conn, projectId, loginIdOrUserId);
    if (!id) throw new LatchkeyError('managementUserNotFound', `User ${loginIdOrUserId} not found`);
    return id;
  }

  /** Roles must exist: project roles at project level; a tenant's own role or a project role inside a tenant. */
  async function checkAssignments(
    conn: Db,
    projectId: string,
    roleNames: string[],
    tenants: { tenantId: string; roleNames: string[] }[],
  ) {
    const tenantIds = unique(tenants.map((t) => t.tenantId));
    if (tenantIds.length > 0) {
      const found = await conn
        .selectFrom('tenants')
        .select(['id', 'name'])
        .where('project_id', '=', projectId)
        .where('id', 'in', tenantIds)
        .execute();
      const missing = tenantIds.filter((id) => !found.some((f) => f.id === id));
      if (missing.length > 0)
        throw new LatchkeyError('tenantNotFound', `Unknown tenants: ${missing.join(', ')}`);
    }
    const wanted = unique([...roleNames, ...tenants.flatMap((t) => t.roleNames)]);
    if (wanted.length === 0) return;
    const roles = await conn
      .selectFrom('roles')
      .select(['tenant_id', 'name'])
      .where('project_id', '=', projectId)
      .where('name', 'in', wanted)
      .execute();
    const has = (tenantId: string, name: string) =>
      roles.some((r) => r.name === name && (r.tenant_id === '' || r.tenant_id === tenantId));
    const missing = [
      ...roleNames.filter((r) => !roles.some((x) => x.name === r && x.tenant_id === '')),
      ...tenants.flatMap((t) =>
        t.roleNames.filter((r) => !has(t.tenantId, r)).map((r) => `${r} (tenant ${t.tenantId})`),
      ),
    ];
    if (missing.length > 0)
      throw new LatchkeyError('roleNotFound', `Unknown roles: ${unique(missing).join(', ')}`);
  }

  async function tenantRecords(
    conn: Db,
    projectId: string,
    input: UserWrite['userTenants'],
  ): Promise<UserTenantRecord[]> {
    const merged = new Map<string, string[]>();
    for (const t of input ?? [])
      merged.set(t.tenantId, unique([...(merged.get(t.tenantId) ?? []), ...(t.roleNames ?? [])]));
    const list = [...merged].map(([tenantId, roleNames]) => ({ tenantId, roleNames }));
    await checkAssignments(conn, projectId, [], list);
    if (list.length === 0) return [];
    const names = await conn
      .selectFrom('tenants')
      .select(['id', 'name'])
      .where('project_id', '=', projectId)
      .where(
        'id',
        'in',
        list.map((t) => t.tenantId),
      )
      .execute();
    return list.map((t) => ({ ...t, tenantName: names.find((n) => n.id === t.tenantId)?.name ?? '' }));
  }

  async function checkLoginIdsFree(conn: Db, projectId: string, loginIds: string[], userId?: string) {
    for (const id of loginIds) {
      if (await users.loginIdTaken(conn, projectId, id, userId))
        throw new LatchkeyError('loginIdInUse', `Login ID ${id} is already in use`);
    }
  }

  function profileFrom(input: Partial<UserWrite>) {
    return {
      name: input.name ?? input.displayName,
      givenName: input.givenName,
      middleName: input.middleName,
      familyName: input.familyName,
      email: input.email,
      phone: input.phone,
      verifiedEmail: input.verifiedEmail,
      verifiedPhone: input.verifiedPhone,
      picture: input.picture,
      customAttributes: input.customAttributes,
      ssoAppIds: input.ssoAppIds ?? input.ssoAppIDs,
    };
  }

  async function passwordFields(project: Project, input: Partial<UserWrite>) {
    if (input.hashedPassword) {
      if (input.password)
        throw new LatchkeyError('invalidArguments', 'Send either password or hashedPassword, not both');
      // Imported hashes skip the password policy: the password was accepted by the system it comes from.
      return { passwordHash: importHashedPassword(input.hashedPassword), passwordSetTime: nowSeconds() };
    }
    if (!input.password) return undefined;
    checkPasswordPolicy(project.settings.password, input.password);
    return { passwordHash: await hashPassword(input.password), passwordSetTime: nowSeconds() };
  }

  /** Answers with the user as a later load will show it (canonical order of roles and tenants). */
  async function reloaded(tx: Db, projectId: string, userId: string): Promise<WireUser> {
    const user = await users.load(tx, projectId, userId);
    if (!user) throw new LatchkeyError('managementUserNotFound');
    return toWireUser(user);
  }

  async function mutate(
    project: Project,
    loginIdOrUserId: string,
    change: (user: UserRecord, tx: Db) => Promise<void> | void,
  ): Promise<WireUser> {
    return db.transaction().execute(async (tx) => {
      const userId = await resolve(tx, project.id, loginIdOrUserId);
      const user = await users.loadForUpdate(tx, project.id, userId, deps.dialect === 'postgres');
      if (!user) throw new LatchkeyError('managementUserNotFound', `User ${loginIdOrUserId} not found`);
      await change(user, tx);
      user.modifiedTime = nowSeconds();
      await users.save(tx, user, false);
      return reloaded(tx, project.id, user.userId);
    });
  }

  const checkAttributes = (conn: Db, projectId: string, values: Record<string, unknown> | undefined) =>
    attributeDefinitions.check(conn, projectId, 'user', values);

  async function create(
    project: Project,
    input: UserWrite,
    options: { test: boolean; invite?: InviteOptions },
  ): Promise<WireUser> {
    // A user's own invite options win over a batch's top-level ones.
    const invite: InviteOptions | undefined =
      input.invite || options.invite?.invite
        ? { ...options.invite, ...withoutUndefined(pickInvite(input)) }
        : undefined;
    if (invite) {
      // Re-invite (the Node SDK's `loginIdOrUserId`): a user id of an existing user sends to that user.
      const existing = /^U[A-Za-z0-9]+$/.test(input.loginId)
        ? await users.load(db, project.id, input.loginId)
        : undefined;
      if (existing) {
        const wire = toWireUser(existing);
        checkInvite(project, wire, invite);
        await sendInvite(deps.delivery, project, wire, invite);
        return wire;
      }
      checkInvite(project, input, invite);
    }
    const password = await passwordFields(project, input);
    const created = await db.transaction().execute(async (tx) => {
      await checkAttributes(tx, project.id, input.customAttributes);
      const loginIds = unique(
        [input.loginId, ...(input.additionalLoginIds ?? input.additionalIdentifiers ?? [])].map(
          normalizeLoginId,
        ),
      );
      await checkLoginIdsFree(tx, project.id, loginIds);
      const roleNames = unique(input.roleNames ?? []);
      await checkAssignments(tx, project.id, roleNames, []);
      const record = newUserRecord(project.id, {
        ...withoutUndefined(profileFrom(input)),
        loginIds,
        // A user created by management is "invited" until activated or first signed in (reference §3.2.2).
        status: input.status ?? 'invited',
        test: options.test,
        roleNames,
        tenants: await tenantRecords(tx, project.id, input.userTenants),
      });
      if (password) Object.assign(record, password);
      await users.save(tx, record, true);
      if (input.seed) await totp.setSeed(tx, project.id, record.userId, input.seed.toUpperCase());
      return reloaded(tx, project.id, record.userId);
    });
    await deps.audit.record({
      projectId: project.id,
      action: 'UserCreated',
      actorId: 'management',
      userId: created.userId,
      loginIds: created.loginIds,
      tenants: created.userTenants.map((t) => t.tenantId),
      data: { invited: Boolean(invite), imported: Boolean(input.hashedPassword) },
    });
    if (invite) {
      await sendInvite(deps.delivery, project, created, invite);
      await deps.audit.record({
        projectId: project.id,
        action: 'UserInvited',
        actorId: 'management',
        userId: created.userId,
        loginIds: created.loginIds,
        tenants: created.userTenants.map((t) => t.tenantId),
      });
    }
    return created;
  }

  /** Deletes the users and their refresh tokens (in the caller's transaction). */
  async function removeUsers(tx: Db, projectId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    for (const id of ids) await users.delete(tx, projectId, id);
    await tx
      .deleteFrom('refresh_tokens')
      .where('project_id', '=', projectId)
      .where('user_id', 'in', ids)
      .execute();
  }

  async function recordDeleted(projectId: string, ids: string[]): Promise<void> {
    for (const userId of ids)
      await deps.audit.record({ projectId, action: 'UserDeleted', actorId: 'management', userId });
  }

  return {
    resolve,
    create,

    /** Update overrides every field; `test` and `invite` are ignored (Ruby sends `test: false` on every update). */
    async update(project: Project, input: UserWrite): Promise<WireUser> {
      const password = await passwordFields(project, input);
      return mutate(project, input.loginId, async (user, tx) => {
        await checkAttributes(tx, project.id, input.customAttributes);
        const extra = input.additionalLoginIds ?? input.additionalIdentifiers ?? [];
        const named = normalizeLoginId(input.loginId);
        const primary = user.loginIds.includes(named) ? named : user.loginIds[0]!;
        const loginIds = unique([primary, ...extra].map(normalizeLoginId));
        await checkLoginIdsFree(tx, project.id, loginIds, user.userId);
        const roleNames = unique(input.roleNames ?? []);
        await checkAssignments(tx, project.id, roleNames, []);
        const tenants = await tenantRecords(tx, project.id, input.userTenants);
        const p = profileFrom(input);
        Object.assign(user, {
          loginIds,
          name: p.name ?? '',
          givenName: p.givenName ?? '',
          middleName: p.middleName ?? '',
          familyName: p.familyName ?? '',
          email: p.email ?? '',
          phone: p.phone ?? '',
          verifiedEmail: p.verifiedEmail ?? false,
          verifiedPhone: p.verifiedPhone ?? false,
          picture: p.picture ?? '',
          customAttributes: p.customAttributes ?? {},
          ssoAppIds: p.ssoAppIds ?? [],
          roleNames,
          tenants,
          ...(input.status ? { status: input.status } : {}),
        });
        if (password) Object.assign(user, password, { passwordState: 'active' });
      });
    },

    /** Patch changes only the given fields. */
    async patch(project: Project, input: UserPatch): Promise<WireUser> {
      const password = await passwordFields(project, input);
      return mutate(project, input.loginId, async (user, tx) => {
        await checkAttributes(tx, project.id, input.customAttributes);
        const extra = input.additionalLoginIds ?? input.additionalIdentifiers;
        if (extra) {
          const loginIds = unique([user.loginIds[0]!, ...extra].map(normalizeLoginId));
          await checkLoginIdsFree(tx, project.id, loginIds, user.userId);
          user.loginIds = loginIds;
        }
        if (input.roleNames) {
          user.roleNames = unique(input.roleNames);
          await checkAssignments(tx, project.id, user.roleNames, []);
        }
        if (input.userTenants) user.tenants = await tenantRecords(tx, project.id, input.userTenants);
        Object.assign(user, withoutUndefined(profileFrom(input)));
        if (input.status) user.status = input.status;
        if (password) Object.assign(user, password, { passwordState: 'active' });
      });
    },

    removeUsers,
    recordDeleted,

    async delete(project: Project, loginIdOrUserId: string): Promise<void> {
      const userId = await db.transaction().execute(async (tx) => {
        const id = await resolve(tx, project.id, loginIdOrUserId);
        await removeUsers(tx, project.id, [id]);
        return id;
      });
      await recordDeleted(project.id, [userId]);
    },

    async deleteAllTestUsers(project: Project): Promise<void> {
      await db.transaction().execute(async (tx) => {
        const ids = tx
          .selectFrom('users')
          .select('id')
          .where('project_id', '=', project.id)
          .where('test', '=', 1);
        await tx
          .deleteFrom('refresh_tokens')
          .where('project_id', '=', project.id)
          .where('user_id', 'in', ids)
          .execute();
        await tx.deleteFrom('users').where('project_id', '=', project.id).where('test', '=', 1).execute();
      });
    },

    async load(project: Project, loginIdOrUserId: string): Promise<WireUser> {
      // as resolve(): a login id first, then a user id, but the user is read directly (no id-only lookup first)
      const user =
        (await users.findByLoginId(db, project.id, loginIdOrUserId)) ??
        (await users.load(db, project.id, loginIdOrUserId));
      if (!user) throw new LatchkeyError('managementUserNotFound', `User ${loginIdOrUserId} not found`);
      return toWireUser(user);
    },

    async logout(project: Project, loginIdOrUserId: string): Promise<void> {
      const userId = await resolve(db, project.id, loginIdOrUserId);
      await deps.sessions.revokeAll(project.id, userId);
    },

    async setStatus(
      project: Project,
      loginIdOrUserId: string,
      status: 'enabled' | 'disabled',
    ): Promise<WireUser> {
      const user = await mutate(project, loginIdOrUserId, (u) => {
        u.status = status;
        // Enabling also lifts a password lockout.
        if (status === 'enabled') u.failedAttempts = 0;
      });
      if (status === 'disabled') await deps.sessions.revokeAll(project.id, user.userId);
      return user;
    },

    updateLoginId(project: Project, loginId: string, newLoginId: string | undefined): Promise<WireUser> {
      return mutate(project, loginId, async (user, tx) => {
        const index = user.loginIds.indexOf(normalizeLoginId(loginId));
        const at = index === -1 ? 0 : index;
        if (!newLoginId) {
          if (user.loginIds.length <= 1) throw new LatchkeyError('lastLoginId');
          user.loginIds = user.loginIds.filter((_, i) => i !== at);
          return;
        }
        await checkLoginIdsFree(tx, project.id, [newLoginId], user.userId);
        user.loginIds = unique(user.loginIds.map((id, i) => (i === at ? normalizeLoginId(newLoginId) : id)));
      });
    },

    /** Sets (or, when empty, removes) the email or phone; `failOnConflict` refuses one another user already has. */
    updateContact(
      project: Project,
      loginId: string,
      kind: 'email' | 'phone',
      value: string | undefined,
      verified: boolean,
      failOnConflict: boolean,
    ) {
      return mutate(project, loginId, async (user, tx) => {
        if (value && failOnConflict) {
          const other = await tx
            .selectFrom('users')
            .select('id')
            .where('project_id', '=', project.id)
            .where(kind, '=', value)
            .where('id', '!=', user.userId)
            .executeTakeFirst();
          if (other)
            throw new LatchkeyError('managementUserExists', `Another user already has ${kind} ${value}`);
        }
        user[kind] = value ?? '';
        if (kind === 'email') user.verifiedEmail = value ? verified : false;
        else user.verifiedPhone = value ? verified : false;
      });
    },

    updateFields(
      project: Project,
      loginId: string,
      fields: Partial<Pick<UserRecord, 'name' | 'givenName' | 'middleName' | 'familyName' | 'picture'>>,
    ) {
      return mutate(project, loginId, (user) => {
        Object.assign(user, fields);
      });
    },

    updateCustomAttribute(project: Project, loginId: string, key: string, value: unknown) {
      return mutate(project, loginId, async (user, tx) => {
        await checkAttributes(tx, project.id, { [key]: value === '' || value === undefined ? null : value });
        const next = { ...user.customAttributes };
        if (value === undefined || value === null || value === '') delete next[key];
        else next[key] = value;
        user.customAttributes = next;
      });
    },

    changeRoles(
      project: Project,
      loginId: string,
      tenantId: string | undefined,
      roleNames: string[],
      mode: 'set' | 'add' | 'remove',
    ) {
      return mutate(project, loginId, async (user, tx) => {
        const apply = (current: string[]) =>
          mode === 'set'
            ? unique(roleNames)
            : mode === 'add'
              ? unique([...current, ...roleNames])
              : current.filter((r) => !roleNames.includes(r));
        if (!tenantId) {
          if (mode !== 'remove') await checkAssignments(tx, project.id, roleNames, []);
          user.roleNames = apply(user.roleNames);
          return;
        }
        const membership = user.tenants.find((t) => t.tenantId === tenantId);
        if (!membership)
          throw new LatchkeyError(
            'invalidArguments',
            `User is not a member of tenant ${tenantId}; add the tenant first`,
          );
        if (mode !== 'remove') await checkAssignments(tx, project.id, [], [{ tenantId, roleNames }]);
        membership.roleNames = apply(membership.roleNames);
      });
    },

    /** Ruby manages tenant roles through these endpoints with `roleNames` (reference §3.2.2, the contradiction). */
    addTenant(project: Project, loginId: string, tenantId: string, roleNames: string[]) {
      return mutate(project, loginId, async (user, tx) => {
        await checkAssignments(tx, project.id, [], [{ tenantId, roleNames }]);
        const membership = user.tenants.find((t) => t.tenantId === tenantId);
        if (membership) {
          membership.roleNames = unique([...membership.roleNames, ...roleNames]);
          return;
        }
        const tenant = await tx
          .selectFrom('tenants')
          .select('name')
          .where('project_id', '=', project.id)
          .where('id', '=', tenantId)
          .executeTakeFirstOrThrow();
        user.tenants.push({ tenantId, tenantName: tenant.name, roleNames: unique(roleNames) });
      });
    },

    removeTenant(project: Project, loginId: string, tenantId: string, roleNames: string[]) {
      return mutate(project, loginId, (user) => {
        const membership = user.tenants.find((t) => t.tenantId === tenantId);
        if (!membership)
          throw new LatchkeyError('invalidArguments', `User is not a member of tenant ${tenantId}`);
        if (roleNames.length > 0)
          membership.roleNames = membership.roleNames.filter((r) => !roleNames.includes(r));
        else user.tenants = user.tenants.filter((t) => t.tenantId !== tenantId);
      });
    },

    async setPassword(
      project: Project,
      loginId: string,
      password: string,
      state: 'active' | 'temporary',
    ): Promise<void> {
      checkPasswordPolicy(project.settings.password, password);
      const hash = await hashPassword(password);
      await mutate(project, loginId, (user) => {
        Object.assign(user, {
          passwordHash: hash,
          passwordState: state,
          passwordSetTime: nowSeconds(),
          failedAttempts: 0,
        });
      });
    },

    async expirePassword(project: Project, loginId: string): Promise<void> {
      await mutate(project, loginId, (user) => {
        user.passwordState = 'expired';
      });
    },
  };
}

const pickInvite = (i: InviteOptions): InviteOptions => ({
  inviteUrl: i.inviteUrl,
  sendMail: i.sendMail,
  sendSMS: i.sendSMS,
  templateId: i.templateId,
  templateOptions: i.templateOptions,
  locale: i.locale,
});

function withoutUndefined<T extends Record<string, unknown>>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export type UserService = ReturnType<typeof createUserService>;
