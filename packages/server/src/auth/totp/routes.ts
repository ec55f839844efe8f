import { z } from 'zod';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { CODE_PATTERN } from './codes.ts';
import { createTotpRepo } from './repo.ts';
import { createTotpService } from './service.ts';

const loginId = z.string().min(1).max(320);

// Ruby builds `user` with its management composer, so it may also carry loginId, test and invite: ignored.
const signUpBody = z.object({
  loginId,
  user: z
    .object({
      name: z.string().max(512).optional(),
      displayName: z.string().max(512).optional(),
      givenName: z.string().max(256).optional(),
      middleName: z.string().max(256).optional(),
      familyName: z.string().max(256).optional(),
      email: z.email().optional(),
      phone: z.string().max(64).optional(),
    })
    .optional(),
});

const verifyBody = z.object({
  loginId,
  code: z.string().regex(CODE_PATTERN, 'a TOTP code is 6 digits'),
  loginOptions: z
    .object({
      customClaims: z.record(z.string(), z.unknown()).optional(),
      stepup: z.boolean().optional(),
      mfa: z.boolean().optional(),
    })
    .optional(),
});

const updateBody = z.object({ loginId });

export const totpRoutes: RoutePlugin = (app, { store, users, sessions, limits, auth }) => {
  const service = createTotpService({ db: store.db, users, totp: createTotpRepo(), sessions, limits });

  app.post('/v1/auth/totp/signup', async (req) => {
    const project = await auth.project(req);
    const body = parseInput(signUpBody, req.body);
    return service.signUp(project, { loginId: body.loginId, user: body.user }, { ip: req.ip });
  });

  // P:R? — the refresh token is read only for step-up and MFA, which raise that session (reference §1.13).
  app.post('/v1/auth/totp/verify', async (req, reply) => {
    const project = await auth.project(req);
    const body = parseInput(verifyBody, req.body);
    await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
    const raising = body.loginOptions?.stepup === true || body.loginOptions?.mfa === true;
    const existing = raising ? await auth.refresh(req) : undefined;
    const issued = await service.verify(
      project,
      {
        loginId: body.loginId,
        code: body.code,
        customClaims: body.loginOptions?.customClaims,
        existing,
        stepup: body.loginOptions?.stepup === true,
      },
      { ip: req.ip },
    );
    return sendSession(reply, issued);
  });

  app.post('/v1/auth/totp/update', async (req) => {
    const caller = await auth.refresh(req);
    return service.update(caller, parseInput(updateBody, req.body).loginId);
  });
};
