import { z } from 'zod';
import { LatchkeyError } from '../../errors.ts';
import { type RoutePlugin, sendSession } from '../../http/app.ts';
import { parseInput } from '../../http/validate.ts';
import type { Project } from '../../projects/repo.ts';
import { nowSeconds } from '../../util.ts';
import { methods, parseMethod } from '../passwordless/addresses.ts';
import { optionalRefresh, passwordless } from '../passwordless/context.ts';
import { startBody, updateAddressBody } from '../passwordless/schema.ts';
import { newOtpCode } from '../passwordless/secrets.ts';
import type { Prepared, StartFlow } from '../passwordless/service.ts';

const verifyBody = z.object({ loginId: z.string().min(1).max(320), code: z.string().regex(/^\d{4,10}$/, 'must be the digits of the code') });

/** OTP over email, SMS, voice and WhatsApp (reference §2.1). */
export const otpRoutes: RoutePlugin = (app, deps) => {
  const { store, auth, limits } = deps;
  const { secrets, service } = passwordless(deps);

  /** Issues a fresh code (earlier ones for the login id stop working) and sends it. */
  async function issueCode(project: Project, prepared: Prepared) {
    const { otpLength, otpExpirationSeconds } = project.settings.passwordless;
    const code = newOtpCode(otpLength);
    await store.db.transaction().execute(async (tx) => {
      await secrets.retireActive(tx, project.id, 'otp', prepared.loginId);
      await secrets.create(tx, project.id, {
        kind: 'otp',
        secret: code,
        loginId: prepared.loginId,
        userId: prepared.userId,
        method: prepared.method,
        payload: prepared.payload,
        ttlSeconds: otpExpirationSeconds,
      });
    });
    return service.send(project, prepared, prepared.payload.flow === 'reset' ? 'reset' : 'otp', { code }, otpExpirationSeconds);
  }

  for (const flow of ['signup', 'signin', 'signup-in'] as StartFlow[]) {
    app.post<{ Params: { method: string } }>(`/v1/auth/otp/${flow}/:method`, async (req) => {
      const project = await auth.project(req);
      const method = parseMethod(req.params.method);
      const body = parseInput(startBody, req.body);
      await limits.enforce(project, 'send', { loginId: body.loginId, ip: req.ip });
      const caller = flow === 'signup' ? undefined : await optionalRefresh(deps, req);
      return issueCode(project, await service.prepareStart(project, flow, method, body, caller));
    });
  }

  app.post<{ Params: { method: string } }>('/v1/auth/otp/verify/:method', async (req, reply) => {
    const project = await auth.project(req);
    const method = parseMethod(req.params.method);
    const body = parseInput(verifyBody, req.body);
    await limits.enforce(project, 'verify', { loginId: body.loginId, ip: req.ip });
    const secret = await secrets.latestOtp(project.id, body.loginId);
    const usable = secret && secret.expiresTime > nowSeconds() && (secret.method === method || secret.method === 'embedded');
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
    return issueCode(caller.project, service.prepareUpdate(caller, 'email', body));
  });

  app.post<{ Params: { method: string } }>('/v1/auth/otp/update/phone/:method', async (req) => {
    const caller = await auth.refresh(req);
    const method = parseMethod(req.params.method, methods.filter((m) => m !== 'email'));
    const body = parseInput(updateAddressBody, req.body);
    await limits.enforce(caller.project, 'send', { loginId: body.loginId, ip: req.ip });
    return issueCode(caller.project, service.prepareUpdate(caller, method, body));
  });
};
