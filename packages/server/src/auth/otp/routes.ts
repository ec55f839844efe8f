import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import { nowSeconds } from '../../util.ts';
import { methods, parseMethod } from '../passwordless/addresses.ts';
import { optionalRefresh, passwordless } from '../passwordless/context.ts';
import { issueCode } from '../passwordless/issue.ts';
import { startBody, updateAddressBody } from '../passwordless/schema.ts';
import type { StartFlow } from '../passwordless/service.ts';

const verifyBody = z.object({
  loginId: z.string().min(1).max(320),
  code: z.string().regex(/^\d{4,10}$/, 'must be the digits of the code'),
});

/** OTP over email, SMS, voice and WhatsApp (reference §2.1). */
export const otpRoutes: RoutePlugin = (app, deps) => {
  const { store, auth, limits } = deps;
  const { secrets, service } = passwordless(deps);
  const issuing = { db: store.db, secrets, service, mode: deps.config.mode };

  for (const flow of ['signup', 'signin', 'signup-in'] as StartFlow[]) {
    app.post<{ Params: { method: string } }>(`/v1/auth/otp/${flow}/:method`, async (req) => {
      const project = await auth.project(req);
      const method = parseMethod(req.params.method);
      const body = parseInput(startBody, req.body);
      await auth.checkCustomClaimsAllowed(req, body.loginOptions?.customClaims);
      await limits.enforce(project, 'send', { loginId: body.loginId, ip: req.ip });
      const caller = flow === 'signup' ? undefined : await optionalRefresh(deps, req);
      return issueCode(issuing, project, await service.prepareStart(project, flow, method, body, caller));
    });
  }

  app.post<{ Params: { method: string } }>('/v1/auth/otp/verify/:method', async (req, reply) => {
    const project = await auth.project(req);
    const method = parseMethod(req.params.method);
    const body = parseInput(verifyBody, req.body);
    await limits.enforce(project, 'verify', { loginId: body.loginId, ip: req.ip });
    const secret = await secrets.latestOtp(project.id, body.loginId);
    const usable =
      secret &&
      secret.expiresTime > nowSeconds() &&
      (secret.method === method || secret.method === 'embedded');
    if (!usable) throw new LatchkeyError('wrongCode');
    if (!secrets.codeMatches(project.id, secret.hash, body.code)) {
      const attempts = await secrets.countAttempt(project.id, secret.id);
      if (attempts >= project.settings.passwordless.otpMaxAttempts) {
        await secrets.consume(project.id, secret.id);
        throw new LatchkeyError('tooManyAttempts');
      }
      throw new LatchkeyError('wrongCode');
    }
    if (!(await secrets.consume(project.id, secret.id))) throw new LatchkeyError('wrongCode');
    return sendSession(reply, await service.redeem(project, secret, { ip: req.ip }, service.amrFor(method)));
  });

  app.post('/v1/auth/otp/update/email', async (req) => {
    const caller = await auth.refresh(req);
    const body = parseInput(updateAddressBody, req.body);
    await limits.enforce(caller.project, 'send', { loginId: body.loginId, ip: req.ip });
    return issueCode(issuing, caller.project, service.prepareUpdate(caller, 'email', body));
  });

  app.post<{ Params: { method: string } }>('/v1/auth/otp/update/phone/:method', async (req) => {
    const caller = await auth.refresh(req);
    const method = parseMethod(
      req.params.method,
      methods.filter((m) => m !== 'email'),
    );
    const body = parseInput(updateAddressBody, req.body);
    await limits.enforce(caller.project, 'send', { loginId: body.loginId, ip: req.ip });
    return issueCode(issuing, caller.project, service.prepareUpdate(caller, method, body));
  });
};
