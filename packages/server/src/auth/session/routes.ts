import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseAuthorization } from '../../http/request-auth.ts';
import { parseInput } from '../../http/validate.ts';
import { verifyToken } from '../../tokens/jwt.ts';
import { toWireUser } from '../../users/wire.ts';
import { loginHistory } from '../login-history.ts';

// Ruby sends `tenantId`, Node and Go send `tenant` (reference §2.10).
const selectTenantBody = z.object({ tenant: z.string().optional(), tenantId: z.string().optional() });
const validateBody = z.object({ sessionJwt: z.string().optional() });

export const sessionRoutes: RoutePlugin = (app, { store, sessions, keys, auth }) => {
  app.post('/v1/auth/refresh', async (req, reply) => {
    const caller = await auth.refresh(req);
    return sendSession(reply, await sessions.refresh(caller));
  });

  app.post('/v1/auth/tenant/select', async (req, reply) => {
    const caller = await auth.refresh(req);
    const body = parseInput(selectTenantBody, req.body);
    return sendSession(reply, await sessions.selectTenant(caller, body.tenant ?? body.tenantId));
  });

  app.post('/v1/auth/logout', async (req, reply) => {
    const caller = await auth.refresh(req);
    await sessions.logout(caller);
    reply.header('set-cookie', sessions.expiredCookies());
    return {};
  });

  app.post('/v1/auth/logoutall', async (req, reply) => {
    const caller = await auth.refresh(req);
    await sessions.revokeAll(caller.project.id, caller.user.userId);
    reply.header('set-cookie', sessions.expiredCookies());
    return {};
  });

  app.get('/v1/auth/me', async (req) => {
    const caller = await auth.refresh(req);
    return toWireUser(caller.user);
  });

  app.get('/v1/auth/me/history', async (req) => {
    const caller = await auth.refresh(req);
    return loginHistory(store.db, caller.project.id, [caller.user.userId]);
  });

  // Server-side validation for callers that cannot verify JWTs locally: the session JWT comes in the
  // Authorization header (`Bearer P:<sessionJwt>`) or the body, and the answer is its verified claims.
  app.post('/v1/auth/validate', async (req) => {
    const project = await auth.project(req);
    const token =
      parseInput(validateBody, req.body).sessionJwt ?? parseAuthorization(req.headers.authorization)?.jwts[0];
    if (!token) throw new LatchkeyError('missingArguments', 'A session JWT is required');
    const claims = await verifyToken(keys, project.id, token, 'DS');
    return { ...claims, jwt: token };
  });
};
