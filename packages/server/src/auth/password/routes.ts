import { z } from 'zod';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Project } from '../../projects/repo.ts';
import { passwordless } from '../passwordless/context.ts';
import { publicPolicy } from './policy.ts';
import { createPasswordReset } from './reset.ts';
import { createPasswordService } from './service.ts';

const loginOptions = z.object({ customClaims: z.record(z.string(), z.unknown()).optional() }).optional();

const signUpBody = z.object({
  loginId: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  user: z
    .object({
      name: z.string().optional(),
      displayName: z.string().optional(),
      givenName: z.string().optional(),
      middleName: z.string().optional(),
      familyName: z.string().optional(),
      email: z.email().optional(),
      phone: z.string().optional(),
    })
    .optional(),
  loginOptions,
});
const signInBody = z.object({
  loginId: z.string().min(1).max(320),
  password: z.string().min(1).max(1024),
  loginOptions,
});
const replaceBody = z.object({
  loginId: z.string().min(1).max(320),
  oldPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
const updateBody = z.object({
  loginId: z.string().min(1).max(320),
  newPassword: z.string().min(1).max(1024),
});
// Ruby sends `redirectUrl` and `templateId`; Node and Go `templateOptions`.
const resetBody = z.object({
  loginId: z.string().min(1).max(320),
  redirectUrl: z.string().optional(),
  URI: z.string().optional(),
  templateId: z.string().optional(),
  templateOptions: z.record(z.string(), z.string()).optional(),
});

/**
 * Rate limits (docs/rate-limits.md): sign-up, sign-in and replace are `signIn` calls (each checks or sets a
 * password), reset is a `send`, and update is a `verify` (the last step of a reset). Each counts per login id
 * and per client address before any password is hashed.
 */
export const passwordRoutes: RoutePlugin = (app, deps) => {
  const { store, users, sessions, auth, limits } = deps;
  const service = createPasswordService({ db: store.db, users, sessions });
  const { secrets, service: passwordlessService } = passwordless(deps);
  const reset = createPasswordReset({
    db: store.db,
    secrets,
    service: passwordlessService,
    mode: deps.config.mode,
  });
  const sendReset = (project: Project, body: z.infer<typeof resetBody>) =>
    reset(project, { ...body, redirectUrl: body.redirectUrl ?? body.URI });

  app.post('/v1/auth/password/signup', async (req, reply) => {
    const project = await auth.project(req);
    const body = parseInput(signUpBody, req.body);
    await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
    await limits.enforce(project, 'signIn', { loginId: body.loginId, ip: req.ip });
    const issued = await service.signUp(
      project,
      {
        loginId: body.loginId,
        password: body.password,
        user: body.user,
        customClaims: body.loginOptions?.customClaims,
      },
      { ip: req.ip },
    );
    return sendSession(reply, issued);
  });

  app.post('/v1/auth/password/signin', async (req, reply) => {
    const project = await auth.project(req);
    const body = parseInput(signInBody, req.body);
    await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
    await limits.enforce(project, 'signIn', { loginId: body.loginId, ip: req.ip });
    const issued = await service.signIn(
      project,
      { loginId: body.loginId, password: body.password, customClaims: body.loginOptions?.customClaims },
      { ip: req.ip },
    );
    return sendSession(reply, issued);
  });

  app.post('/v1/auth/password/replace', async (req, reply) => {
    const project = await auth.project(req);
    const body = parseInput(replaceBody, req.body);
    await limits.enforce(project, 'signIn', { loginId: body.loginId, ip: req.ip });
    const issued = await service.replace(project, body, { ip: req.ip });
    return sendSession(reply, issued);
  });

  app.post('/v1/auth/password/update', async (req) => {
    const caller = await auth.refresh(req);
    const body = parseInput(updateBody, req.body);
    await limits.enforce(caller.project, 'verify', { loginId: body.loginId, ip: req.ip });
    await service.update(caller.project, caller.user, body);
    return {};
  });

  app.get('/v1/auth/password/policy', async (req) => {
    const project = await auth.project(req);
    return publicPolicy(project.settings.password);
  });

  app.post('/v1/auth/password/reset', async (req) => {
    const project = await auth.project(req);
    const body = parseInput(resetBody, req.body);
    await limits.enforce(project, 'send', { loginId: body.loginId, ip: req.ip });
    return sendReset(project, body);
  });
};
