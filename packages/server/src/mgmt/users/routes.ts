import { z } from 'zod';
import { loginHistory } from '../../auth/login-history.ts';
import { createTotpRepo } from '../../auth/totp/repo.ts';
import { LatchkeyError } from '../../errors.ts';
import type { RoutePlugin } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { createUserBatches } from './batch.ts';
import {
  customAttributes,
  inviteFields,
  loginId,
  patchBody,
  phone,
  searchBody,
  userWriteBody,
} from './schema.ts';
import { searchUsers } from './search.ts';
import { createUserService } from './service.ts';

const identify = z.object({ loginId: z.string().optional(), userId: z.string().optional() });
const byLoginId = z.object({ loginId });
const statusBody = z.object({ loginId, status: z.enum(['enabled', 'disabled']) });
const loginIdBody = z.object({ loginId, newLoginId: loginId.optional() });
const emailBody = z.object({
  loginId,
  email: z.email().optional(),
  verified: z.boolean().optional(),
  failOnConflict: z.boolean().optional(),
});
const phoneBody = z.object({
  loginId,
  phone: phone.optional(),
  verified: z.boolean().optional(),
  failOnConflict: z.boolean().optional(),
});
const nameBody = z.object({
  loginId,
  name: z.string().max(512).optional(),
  displayName: z.string().max(512).optional(),
  givenName: z.string().max(256).optional(),
  middleName: z.string().max(256).optional(),
  familyName: z.string().max(256).optional(),
});
const pictureBody = z.object({ loginId, picture: z.string().max(4096).optional() });
const attributeBody = z.object({
  loginId,
  attributeKey: z.string().min(1).max(128),
  attributeValue: customAttributes.valueType.optional(),
});
const rolesBody = z.object({
  loginId,
  roleNames: z.array(z.string().min(1)).max(1000),
  tenantId: z.string().optional(),
});
const tenantBody = z.object({
  loginId,
  tenantId: z.string().min(1),
  roleNames: z.array(z.string().min(1)).optional(),
});
const passwordBody = z.object({ loginId, password: z.string().min(1).max(1024) });
// Users are parsed one by one by the service, so one malformed user fails alone (in `failedUsers`).
const batchBody = z.object({
  users: z.array(z.unknown()).min(1).max(1000),
  invite: z.boolean().optional(),
  ...inviteFields,
});
const patchBatchBody = z.object({ users: z.array(z.unknown()).min(1).max(1000) });
const deleteBatchBody = z.object({ userIds: z.array(z.string().min(1)).min(1).max(1000) });
const historyBody = z.array(z.string().min(1)).max(1000);

export const userRoutes: RoutePlugin = (app, { store, users, sessions, auth, delivery, audit }) => {
  const db = store.db;
  const service = createUserService({ db, dialect: store.dialect, users, sessions, delivery, audit });
  const batches = createUserBatches({ db, service });
  const who = (input: unknown): string => {
    const { loginId: l, userId } = parseInput(identify, input);
    const id = l ?? userId;
    if (!id) throw new LatchkeyError('missingArguments', 'loginId or userId is required');
    return id;
  };

  app.post('/v1/mgmt/user/create', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(userWriteBody, req.body);
    return { user: await service.create(project, body, { test: false }) };
  });

  app.post('/v1/mgmt/user/create/test', async (req) => {
    const project = await auth.management(req);
    return { user: await service.create(project, parseInput(userWriteBody, req.body), { test: true }) };
  });

  app.post('/v1/mgmt/user/create/batch', async (req) => {
    const project = await auth.management(req);
    const { users: list, ...invite } = parseInput(batchBody, req.body);
    return batches.batchCreate(project, list, invite);
  });

  app.patch('/v1/mgmt/user/patch/batch', async (req) => {
    const project = await auth.management(req);
    return batches.patchBatch(project, parseInput(patchBatchBody, req.body).users);
  });

  app.post('/v1/mgmt/user/delete/batch', async (req) => {
    const project = await auth.management(req);
    return batches.deleteBatch(project, parseInput(deleteBatchBody, req.body).userIds);
  });

  app.post('/v1/mgmt/user/update', async (req) => {
    const project = await auth.management(req);
    return { user: await service.update(project, parseInput(userWriteBody, req.body)) };
  });

  app.patch('/v1/mgmt/user/patch', async (req) => {
    const project = await auth.management(req);
    return { user: await service.patch(project, parseInput(patchBody, req.body)) };
  });

  app.post('/v1/mgmt/user/delete', async (req) => {
    const project = await auth.management(req);
    await service.delete(project, who(req.body));
    return {};
  });

  app.delete('/v1/mgmt/user/test/delete/all', async (req) => {
    const project = await auth.management(req);
    await service.deleteAllTestUsers(project);
    return {};
  });

  app.get('/v1/mgmt/user', async (req) => {
    const project = await auth.management(req);
    return { user: await service.load(project, who(req.query)) };
  });

  app.post('/v1/mgmt/user/logout', async (req) => {
    const project = await auth.management(req);
    await service.logout(project, who(req.body));
    return {};
  });

  for (const path of ['/v1/mgmt/user/search', '/v2/mgmt/user/search']) {
    app.post(path, async (req) => {
      const project = await auth.management(req);
      return searchUsers(db, users, project.id, parseInput(searchBody, req.body));
    });
  }
  app.post('/v2/mgmt/user/search/test', async (req) => {
    const project = await auth.management(req);
    return searchUsers(db, users, project.id, {
      ...parseInput(searchBody, req.body),
      testUsersOnly: true,
      withTestUser: true,
    });
  });

  app.post('/v1/mgmt/user/update/status', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(statusBody, req.body);
    return { user: await service.setStatus(project, body.loginId, body.status) };
  });

  app.post('/v1/mgmt/user/update/loginid', async (req) => {
    const project = await auth.management(req);
    const body = parseInput(loginIdBody, req.body);
    return { user: await service.updateLoginId(project, body.loginId, body.newLoginId) };
  });

  app.post('/v1/mgmt/user/update/email', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(emailBody, req.body);
    return {
      user: await service.updateContact(
        project,
        b.loginId,
        'email',
        b.email,
        b.verified ?? true,
        b.failOnConflict ?? false,
      ),
    };
  });

  app.post('/v1/mgmt/user/update/phone', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(phoneBody, req.body);
    return {
      user: await service.updateContact(
        project,
        b.loginId,
        'phone',
        b.phone,
        b.verified ?? true,
        b.failOnConflict ?? false,
      ),
    };
  });

  // Ruby sends `name`, Node and Go `displayName`; only the fields sent change.
  app.post('/v1/mgmt/user/update/name', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(nameBody, req.body);
    const raw = (req.body ?? {}) as Record<string, unknown>;
    const sent = (k: string) => k in raw;
    const fields: Record<string, string> = {};
    if (sent('name') || sent('displayName')) fields.name = b.name ?? b.displayName ?? '';
    for (const k of ['givenName', 'middleName', 'familyName'] as const) if (sent(k)) fields[k] = b[k] ?? '';
    return { user: await service.updateFields(project, b.loginId, fields) };
  });

  app.post('/v1/mgmt/user/update/picture', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(pictureBody, req.body);
    return { user: await service.updateFields(project, b.loginId, { picture: b.picture ?? '' }) };
  });

  app.post('/v1/mgmt/user/update/customAttribute', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(attributeBody, req.body);
    return {
      user: await service.updateCustomAttribute(project, b.loginId, b.attributeKey, b.attributeValue),
    };
  });

  const roleRoute = (path: string, mode: 'set' | 'add' | 'remove') =>
    app.post(path, async (req) => {
      const project = await auth.management(req);
      const b = parseInput(rolesBody, req.body);
      return { user: await service.changeRoles(project, b.loginId, b.tenantId, b.roleNames, mode) };
    });
  roleRoute('/v1/mgmt/user/update/role/set', 'set');
  roleRoute('/v1/mgmt/user/update/role/add', 'add');
  roleRoute('/v2/mgmt/user/update/role/add', 'add');
  roleRoute('/v1/mgmt/user/update/role/remove', 'remove');

  app.post('/v1/mgmt/user/update/tenant/add', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(tenantBody, req.body);
    return { user: await service.addTenant(project, b.loginId, b.tenantId, b.roleNames ?? []) };
  });

  app.post('/v1/mgmt/user/update/tenant/remove', async (req) => {
    const project = await auth.management(req);
    const b = parseInput(tenantBody, req.body);
    return { user: await service.removeTenant(project, b.loginId, b.tenantId, b.roleNames ?? []) };
  });

  const passwordRoute = (path: string, state: 'active' | 'temporary') =>
    app.post(path, async (req) => {
      const project = await auth.management(req);
      const b = parseInput(passwordBody, req.body);
      await service.setPassword(project, b.loginId, b.password, state);
      return {};
    });
  passwordRoute('/v1/mgmt/user/password/set/temporary', 'temporary');
  passwordRoute('/v1/mgmt/user/password/set/active', 'active');
  passwordRoute('/v1/mgmt/user/password/set', 'temporary');

  app.post('/v1/mgmt/user/password/expire', async (req) => {
    const project = await auth.management(req);
    await service.expirePassword(project, parseInput(byLoginId, req.body).loginId);
    return {};
  });

  // Removes the authenticator seed: TOTP sign-in fails until the user adds one again (`/v1/auth/totp/update`).
  app.post('/v1/mgmt/user/totp/delete', async (req) => {
    const project = await auth.management(req);
    const id = parseInput(byLoginId, req.body).loginId;
    const userId = await users.resolveUserId(db, project.id, id);
    if (!userId) throw new LatchkeyError('managementUserNotFound', `User ${id} not found`);
    await createTotpRepo().removeSeed(db, project.id, userId);
    return {};
  });

  // Node and Go post a bare JSON array of user ids.
  app.post('/v1/mgmt/user/history', async (req) => {
    const project = await auth.management(req);
    return loginHistory(db, project.id, parseInput(historyBody, req.body));
  });
};
